/**
 * Paper Table 2 / Figures 1 and 5: EfficientNet-B0…B7 against the other ImageNet models,
 * top-1 vs MACs or vs params on a log axis. Models effscale can build are placed at effscale's
 * computed values; the rest at the published ones (the tooltip shows both).
 */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, PlotRow} from '../chart.js'
import {pointForName} from '../../accuracy/models.js'
import {costPoint} from '../../accuracy/resolve.js'
import type {PaperTable, Table2Row} from '../paper.js'
import {labelLayers} from '../labels.js'
import {billions, frame, logAxis, millions, TITLE} from '../theme.js'

export type FamilyMetric = 'macs' | 'params'

export function familyRows(table2: PaperTable<Table2Row>): PlotRow[] {
  return table2.rows.map((r) => {
    const p = r.variant ? pointForName(r.variant) : undefined
    const c = p && costPoint(p)
    return {
      model: r.model,
      family: r.model.startsWith('EfficientNet') ? 'EfficientNet' : 'other models',
      top1: r.top1,
      top5: r.top5,
      imageSize: c ? c.imageSize : null,
      macsB: c ? billions(c.macs) : r.macs === null ? null : billions(r.macs),
      paramsM: c ? millions(c.params) : millions(r.params),
      from: c ? 'effscale (computed)' : 'paper (published)',
      paperMacsB: r.macs === null ? null : billions(r.macs),
      paperParamsM: millions(r.params),
    }
  })
}

export function familyChart(table2: PaperTable<Table2Row>, metric: FamilyMetric): Chart {
  const xField = metric === 'macs' ? 'macsB' : 'paramsM'
  const what = metric === 'macs' ? 'MACs' : 'parameters'
  const title = `EfficientNet-B0…B7 vs other ImageNet models: top-1 vs ${what}`
  const rows = familyRows(table2).filter((r) => r[xField] !== null)
  const x = {field: xField, type: 'quantitative', title: TITLE[metric], ...logAxis(rows.map((r) => r[xField] as number), 620)} as const
  const y = {field: 'top1', type: 'quantitative', title: TITLE.top1, scale: {zero: false, padding: 12}} as const
  const color = {field: 'family', type: 'nominal', title: null, scale: {domain: ['EfficientNet', 'other models'], range: ['#d62728', '#4c78a8']}} as const
  const spec: TopLevelSpec = {
    ...frame(title, [`Paper Table 2 accuracy (v5). EfficientNets and ResNet-50 at effscale's computed ${what}, the others at the published ones (log scale).`, 'MACs = multiply-accumulates (the paper\'s FLOPs); FLOPs = 2 × MACs.'], rows),
    width: 620,
    height: 400,
    layer: [
      {transform: [{filter: "datum.family === 'EfficientNet'"}], mark: {type: 'line', color: '#d62728', strokeWidth: 2}, encoding: {x, y, order: {field: xField, type: 'quantitative'}}},
      {
        mark: {type: 'point', filled: true, size: 70},
        encoding: {
          x,
          y,
          color,
          tooltip: [
            {field: 'model'},
            {field: 'top1', type: 'quantitative', title: 'top-1 (%)'},
            {field: 'macsB', type: 'quantitative', title: 'MACs (B)', format: '.3f'},
            {field: 'paramsM', type: 'quantitative', title: 'params (M)', format: '.2f'},
            {field: 'from', title: 'placed at'},
            {field: 'paperMacsB', type: 'quantitative', title: 'paper FLOPs (B MACs)'},
            {field: 'paperParamsM', type: 'quantitative', title: 'paper params (M)'},
          ],
        },
      },
      ...labelLayers(x, y, 'model', {color}),
    ],
  }
  return {id: `family-${metric}`, title, rows, spec}
}
