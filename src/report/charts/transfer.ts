/** Paper Table 5: transfer learning, params vs accuracy on eight datasets. */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, PlotRow} from '../chart.js'
import type {PaperTable, Table5Row, TransferEntry} from '../paper.js'
import {labelLayers} from '../labels.js'
import {frame, logAxis, millions, OWN_Y_PANELS, TITLE} from '../theme.js'

const VS_PUBLIC = 'vs best public model'
const VS_REPORTED = 'vs best reported result'

export function transferRows(table5: PaperTable<Table5Row>): PlotRow[] {
  const row = (dataset: string, comparison: string, side: string, e: TransferEntry): PlotRow => ({
    dataset,
    comparison,
    side,
    model: e.model,
    top1: e.top1,
    paramsM: e.params === null ? null : millions(e.params),
  })
  return table5.rows.flatMap((r) => [
    row(r.dataset, VS_PUBLIC, 'other', r.public),
    row(r.dataset, VS_PUBLIC, 'EfficientNet', r.oursVsPublic),
    row(r.dataset, VS_REPORTED, 'other', r.reported),
    row(r.dataset, VS_REPORTED, 'EfficientNet', r.oursVsReported),
  ])
}

export function transferChart(table5: PaperTable<Table5Row>): Chart {
  const title = 'Transfer learning: accuracy vs parameters on eight datasets'
  const all = transferRows(table5)
  const rows = all.filter((r) => r.paramsM !== null)
  const hidden = [...new Set(all.filter((r) => r.paramsM === null).map((r) => `${r.model} on ${r.dataset}`))]
  const x = {field: 'paramsM', type: 'quantitative', title: TITLE.params, ...logAxis(rows.map((r) => r.paramsM as number), 200)} as const
  // Ticks at least 0.1 apart: '.1f' labels then never repeat (a 0.05 step printed 90.8 three times).
  const y = {field: 'top1', type: 'quantitative', title: 'top-1 accuracy (%)', scale: {zero: false, padding: 10}, axis: {format: '.1f', tickMinStep: 0.1}} as const
  const spec: TopLevelSpec = {
    ...frame(title, [
      'Paper Table 5. Each line joins an EfficientNet to the model it is compared with (transfer models drop the ImageNet classifier).',
      hidden.length ? `Params not published, not shown: ${hidden.join('; ')}.` : '',
    ].filter(Boolean), rows),
    facet: {field: 'dataset', type: 'nominal', title: null, sort: table5.rows.map((r) => r.dataset)},
    columns: 4,
    spec: {
      width: 200,
      height: 170,
      layer: [
        {mark: {type: 'line', color: '#bbb'}, encoding: {x, y, detail: {field: 'comparison'}}},
        {
          mark: {type: 'point', filled: true, size: 70},
          encoding: {
            x,
            y,
            color: {field: 'side', type: 'nominal', title: null, scale: {domain: ['EfficientNet', 'other'], range: ['#d62728', '#4c78a8']}},
            shape: {field: 'comparison', type: 'nominal', title: 'Comparison', scale: {domain: [VS_PUBLIC, VS_REPORTED], range: ['circle', 'square']}},
            tooltip: [
              {field: 'dataset'},
              {field: 'comparison'},
              {field: 'model'},
              {field: 'top1', type: 'quantitative', title: 'top-1 (%)'},
              {field: 'paramsM', type: 'quantitative', title: 'params (M)'},
            ],
          },
        },
        ...labelLayers(x, y, 'model', {fontSize: 9}),
      ],
    },
    // One panel per dataset: accuracies of different datasets are not compared, parameters are.
    resolve: OWN_Y_PANELS,
  }
  return {id: 'transfer', title, rows, spec}
}
