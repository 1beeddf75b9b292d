/**
 * From a sweep: latency (or throughput) against MACs per scaling dimension, one panel per batch
 * size (and per run when several are given). The slope of each grid's line is the latency one
 * more MAC costs along that dimension: which dimension buys the least latency per FLOP.
 */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, PlotRow} from '../chart.js'
import {batchFacet, frame, logAxis, SHARED_PANELS, TITLE} from '../theme.js'

export type SweepMetric = 'latency' | 'throughput'

export function sweepChart(rows: PlotRow[], runs: string[], metric: SweepMetric): Chart {
  const field = metric === 'latency' ? 'p50Ms' : 'throughput'
  const title = metric === 'latency' ? 'Latency vs MACs per scaling dimension' : 'Throughput vs MACs per scaling dimension'
  const x = {field: 'macsB', type: 'quantitative', title: TITLE.macs, ...logAxis(rows.map((r) => r.macsB as number), 300)} as const
  const y = {field, type: 'quantitative', title: TITLE[metric], ...logAxis(rows.map((r) => r[field] as number), 240, 'y')} as const
  const spec: TopLevelSpec = {
    ...frame(title, [`Sweep ${runs.join(', ')}: median per batch, log-log. One line per scaling grid; a steeper line means more ${metric === 'latency' ? 'latency' : 'throughput lost'} per extra MAC.`, 'MACs per image (multiply-accumulates); FLOPs = 2 × MACs.'], rows),
    facet: batchFacet(runs),
    spec: {
      width: 300,
      height: 240,
      mark: {type: 'line', point: {filled: true, size: 45}},
      encoding: {
        x,
        y,
        color: {field: 'grid', type: 'nominal', title: 'scaling grid'},
        order: {field: 'macsB', type: 'quantitative'},
        tooltip: [
          {field: 'run'},
          {field: 'model'},
          {field: 'grid', title: 'grid'},
          {field: 'batch', type: 'quantitative', title: 'batch'},
          {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
          {field: 'dtype'},
          {field: 'macsB', type: 'quantitative', title: 'MACs/image (B)', format: '.3f'},
          {field: 'p50Ms', type: 'quantitative', title: 'p50 (ms)', format: '.3f'},
          {field: 'throughput', type: 'quantitative', title: 'images/s', format: '.1f'},
          {field: 'msPerGmac', type: 'quantitative', title: 'ms per GMAC', format: '.4f'},
        ],
      },
    },
    resolve: SHARED_PANELS,
  }
  return {id: `sweep-${metric}`, title, rows, spec}
}
