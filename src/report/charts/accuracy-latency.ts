/** Accuracy vs measured latency, for the sweep points whose accuracy is known (paper or user CSV). */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, PlotRow} from '../chart.js'
import {labelLayers} from '../labels.js'
import {batchFacet, frame, logAxis, SHARED_PANELS, TITLE} from '../theme.js'

const MAX_USER_LABELS = 12

export function accuracyLatencyChart(rows: PlotRow[], runs: string[]): Chart {
  const title = 'Accuracy vs measured latency'
  const labelAll = rows.filter((r) => !String(r.accSource).startsWith('paper')).length <= MAX_USER_LABELS
  const x = {field: 'p50Ms', type: 'quantitative', title: TITLE.latency, ...logAxis(rows.map((r) => r.p50Ms as number), 300)} as const
  const y = {field: 'top1', type: 'quantitative', title: TITLE.top1, scale: {zero: false, padding: 10}} as const
  const spec: TopLevelSpec = {
    ...frame(title, [`Sweep points whose accuracy is known, joined on base, multipliers and image size. Runs: ${runs.join(', ')}.`], rows),
    facet: batchFacet(runs),
    spec: {
      width: 300,
      height: 240,
      layer: [
        {
          mark: {type: 'point', filled: true, size: 60},
          encoding: {
            x,
            y,
            color: {field: 'accSource', type: 'nominal', title: 'accuracy from'},
            tooltip: [
              {field: 'accName', title: 'model'},
              {field: 'accSource', title: 'accuracy from'},
              {field: 'top1', type: 'quantitative', title: 'top-1 (%)'},
              {field: 'run'},
              {field: 'batch', type: 'quantitative'},
              {field: 'dtype'},
              {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
              {field: 'macsB', type: 'quantitative', title: 'MACs/image (B)', format: '.3f'},
              {field: 'p50Ms', type: 'quantitative', title: 'p50 (ms)', format: '.3f'},
            ],
          },
        },
        // Names of paper models always; the user's only when few enough to read (else tooltips).
        ...labelLayers(x, y, 'accName', {fontSize: 9, filter: `${labelAll} || indexof(datum.accSource, 'paper') === 0`}),
      ],
    },
    resolve: SHARED_PANELS,
  }
  return {id: 'accuracy-latency', title, rows, spec}
}
