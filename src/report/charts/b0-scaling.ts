/** Paper Table 7 / Figure 8: EfficientNet-B0 scaled by one dimension vs compound scaling. */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart} from '../chart.js'
import type {PaperTable, ScalingRow} from '../paper.js'
import {frame} from '../theme.js'
import {scalingLayers, scalingRows} from './scaling.js'

export function b0ScalingChart(table7: PaperTable<ScalingRow>): Chart {
  const title = 'EfficientNet-B0: one dimension vs compound scaling (top-1 vs MACs)'
  const rows = scalingRows(table7.rows)
  const spec: TopLevelSpec = {
    ...frame(title, ['Paper Table 7 accuracy; circles at effscale\'s computed MACs, diamonds at the published FLOPs (multiply-adds).', 'MACs = multiply-accumulates; FLOPs = 2 × MACs.'], rows),
    width: 560,
    height: 360,
    ...scalingLayers(),
  }
  return {id: 'b0-scaling', title, rows, spec}
}
