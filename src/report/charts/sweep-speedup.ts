/** Several sweeps side by side: the speed-up of each run over the first, per matched point. */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, PlotRow} from '../chart.js'
import {batchFacet, frame, logAxis, SHARED_PANELS, TITLE} from '../theme.js'

export function speedupChart(rows: PlotRow[], runs: string[]): Chart {
  const title = `Speed-up over ${runs[0]}`
  const x = {field: 'macsB', type: 'quantitative', title: TITLE.macs, ...logAxis(rows.map((r) => r.macsB as number), 300)} as const
  const spec: TopLevelSpec = {
    ...frame(title, [`Median latency of ${runs[0]} ÷ that of ${runs.slice(1).join(', ')}, per matched point (same grid, base, multipliers, image size, batch). Above 1: faster than ${runs[0]}.`], rows),
    facet: batchFacet(),
    spec: {
      width: 300,
      height: 240,
      layer: [
        {mark: {type: 'rule', color: '#888', strokeDash: [4, 3]}, encoding: {y: {datum: 1, type: 'quantitative'}}},
        {
          mark: {type: 'line', point: {filled: true, size: 45}},
          encoding: {
            x,
            y: {field: 'speedup', type: 'quantitative', title: `speed-up (× vs ${runs[0]})`, ...logAxis([1, ...rows.map((r) => r.speedup as number)], 240, 'y')},
            color: {field: 'grid', type: 'nominal', title: 'scaling grid'},
            strokeDash: {field: 'run', type: 'nominal', title: 'run', sort: runs.slice(1)},
            order: {field: 'macsB', type: 'quantitative'},
            tooltip: [
              {field: 'model'},
              {field: 'grid'},
              {field: 'batch', type: 'quantitative'},
              {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
              {field: 'baselineMs', type: 'quantitative', title: `${runs[0]} p50 (ms)`, format: '.3f'},
              {field: 'run'},
              {field: 'runMs', type: 'quantitative', title: 'run p50 (ms)', format: '.3f'},
              {field: 'speedup', type: 'quantitative', title: 'speed-up ×', format: '.2f'},
            ],
          },
        },
      ],
    },
    resolve: SHARED_PANELS,
  }
  return {id: 'sweep-speedup', title, rows, spec}
}
