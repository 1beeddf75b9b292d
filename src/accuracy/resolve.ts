/**
 * Points → networks and their exact MACs/params: the one place an accuracy row, a paper row or
 * a chart point is resolved (resolveTarget) and costed (costTotals). Memoised: the same points
 * recur across charts and files.
 */
import {resolveTarget, type Target} from '../arch/target.js'
import {UserError} from '../errors.js'
import {costTotals} from '../flops/index.js'
import type {AccuracyData, AccuracyRow} from './csv.js'
import type {PointRef} from './models.js'

export interface CostedPoint {
  base: string
  depth: number
  width: number
  resolution: number
  imageSize: number
  /** effscale's label, e.g. "efficientnet-b0 d=1.4 w=1.2 r=1.3". */
  label: string
  macs: number
  params: number
}

/** An accuracy row placed on its network, with that network's exact cost. */
export interface AccuracyPoint extends AccuracyRow {
  target: Target
  /** The row's model name when it has one (e.g. "efficientnet-b3"), else effscale's point label. */
  label: string
  macs: number
  params: number
}

interface Resolved {
  target: Target
  macs: number
  params: number
}

const cache = new Map<string, Resolved>()

function resolve(p: PointRef): Resolved {
  const id = JSON.stringify([p.base, p.depth, p.width, p.imageSize, p.resolution])
  const hit = cache.get(id)
  if (hit) return hit
  const target = resolveTarget({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize, resolution: p.resolution})
  const {macs, params} = costTotals(target)
  const r = {target, macs, params}
  cache.set(id, r)
  return r
}

/** Compute MACs and params of a point. */
export function costPoint(p: PointRef): CostedPoint {
  const {target, macs, params} = resolve(p)
  return {base: p.base, ...target.point, label: target.label, macs, params}
}

/** Resolve each placed row of an accuracy file; a row effscale rejects is named by file and line. */
export function resolveAccuracy(data: Pick<AccuracyData, 'source' | 'rows'>): AccuracyPoint[] {
  return data.rows.map((r) => {
    try {
      const {target, macs, params} = resolve(r)
      return {...r, target, label: r.name === r.base ? target.label : r.name, macs, params}
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${data.source} line ${r.line}: ${e.message}`)
      throw e
    }
  })
}
