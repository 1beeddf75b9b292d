import {resolveTarget} from '../arch/target.js'
import {PAPER_FAMILY} from '../arch/variants.js'
import {costTarget} from './index.js'
import type {Table2Row} from './paper.js'

/** effscale's count of one named model beside the paper's Table 2 figures. */
export interface FamilyRow {
  model: string
  imageSize: number
  params: number
  macs: number
  paper: {params: number; macs: number | null; top1: number} | null
  /** effscale MACs / paper MACs − 1 (the paper prints 2 significant digits). */
  macsDeviation: number | null
}

export function familyVsPaper(table2: Table2Row[], models: readonly string[] = PAPER_FAMILY): FamilyRow[] {
  return models.map((model) => {
    const c = costTarget(resolveTarget({model}))
    const p = table2.find((r) => r.variant === model)
    return {
      model,
      imageSize: c.point.imageSize,
      params: c.params,
      macs: c.macs,
      paper: p ? {params: p.params, macs: p.macs, top1: p.top1} : null,
      macsDeviation: p?.macs ? c.macs / p.macs - 1 : null,
    }
  })
}
