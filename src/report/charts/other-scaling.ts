/** Paper Table 3: MobileNetV1, MobileNetV2 and ResNet-50 scaled one way vs compound. */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart} from '../chart.js'
import type {PaperTable, ScalingRow} from '../paper.js'
import {frame} from '../theme.js'
import {scalingLayers, scalingRows} from './scaling.js'

export function otherScalingChart(table3: PaperTable<ScalingRow>): Chart {
  const title = 'Scaling MobileNets and ResNet-50: one dimension vs compound (top-1 vs MACs)'
  const rows = scalingRows(table3.rows)
  const models = [...new Set(table3.rows.map((r) => r.model))]
  const spec: TopLevelSpec = {
    ...frame(title, ['Paper Table 3 accuracy; circles at effscale\'s computed MACs, diamonds at the published FLOPs. Compound points other than MobileNetV1\'s are', 'not printed in the paper and are taken as d=1.4, w=1.2, r=1.3. MACs = multiply-accumulates; FLOPs = 2 × MACs.'], rows),
    facet: {column: {field: 'model', type: 'nominal', title: null, sort: models}},
    spec: {width: 300, height: 300, ...scalingLayers()},
    resolve: {scale: {x: 'independent', y: 'independent'}},
  }
  return {id: 'other-scaling', title, rows, spec}
}
