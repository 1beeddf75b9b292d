/**
 * From a sweep: latency (or throughput) against MACs per scaling dimension, one panel per batch
 * size (and per run when several are given). The slope of each grid's line is the latency one
 * more MAC costs along that dimension: which dimension buys the least latency per FLOP.
 * Sweeps timed in rounds add error bars (the 95% interval of the median) and draw unstable
 * points hollow, so a suspect number is not read as a fact.
 */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, Layers, PlotRow} from '../chart.js'
import {batchFacet, frame, logAxis, SHARED_PANELS, TITLE} from '../theme.js'

export type SweepMetric = 'latency' | 'throughput' | 'relative'

const FIELDS: Record<SweepMetric, {field: string; lo?: string; hi?: string; title: string; yTitle: string}> = {
  latency: {field: 'p50Ms', lo: 'ciLoMs', hi: 'ciHiMs', title: 'Latency vs MACs per scaling dimension', yTitle: TITLE.latency},
  throughput: {field: 'throughput', title: 'Throughput vs MACs per scaling dimension', yTitle: TITLE.throughput},
  relative: {field: 'relRef', lo: 'relLo', hi: 'relHi', title: 'Latency relative to the reference vs MACs per scaling dimension', yTitle: 'Latency ÷ reference of the same round'},
}

export function sweepChart(all: PlotRow[], runs: string[], metric: SweepMetric): Chart {
  const {field, lo, hi, title, yTitle} = FIELDS[metric]
  const rows = metric === 'relative' ? all.filter((r) => typeof r.relRef === 'number') : all
  const x = {field: 'macsB', type: 'quantitative', title: TITLE.macs, ...logAxis(rows.map((r) => r.macsB as number), 300)} as const
  const y = {field, type: 'quantitative', title: yTitle, ...logAxis(rows.map((r) => r[field] as number), 240, 'y')} as const
  const withCi = rows.some((r) => r.ciLoMs !== null && r.ciLoMs !== undefined)
  const unstable = rows.filter((r) => r.stability === 'unstable').length
  const ciNote = withCi
    ? [`${lo ? 'Bars: 95% interval. ' : ''}Hollow: unstable (interval of the median wider than the sweep's --max-ci): ${unstable} of ${rows.length} points.`]
    : []
  const what =
    metric === 'relative'
      ? ["Each point's round median ÷ the reference's in the same round (the base network, timed first each round):", "the machine's slow phases cancel. The latency chart plots the absolute medians."]
      : []
  const spec: TopLevelSpec = {
    ...frame(title, [`Sweep ${runs.join(', ')}: median per batch, log-log. One line per scaling grid; a steeper line means more ${metric === 'throughput' ? 'throughput lost' : 'latency'} per extra MAC.`, ...what, ...ciNote, 'MACs per image (multiply-accumulates); FLOPs = 2 × MACs.'], rows),
    facet: batchFacet(runs),
    spec: {
      width: 300,
      height: 240,
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
          ...(withCi ? [
            {field: 'ciLoMs', type: 'quantitative', title: '95% interval from (ms)', format: '.3f'},
            {field: 'ciHiMs', type: 'quantitative', title: '95% interval to (ms)', format: '.3f'},
            {field: 'stability', title: 'stability'},
          ] as const : []),
        ],
      },
      layer: layers(withCi, lo, hi),
    },
    resolve: SHARED_PANELS,
  }
  return {id: `sweep-${metric}`, title, rows, spec}
}

/** Error bars (where the metric has an interval), the line, filled points, hollow unstable points. */
function layers(withCi: boolean, lo: string | undefined, hi: string | undefined): Layers {
  const out: Layers = []
  if (withCi && lo && hi) {
    out.push({transform: [{filter: `datum.${lo} != null`}], mark: {type: 'rule', opacity: 0.7, clip: true}, encoding: {y: {field: lo, type: 'quantitative'}, y2: {field: hi}}})
  }
  out.push({mark: {type: 'line'}})
  out.push({transform: [{filter: "datum.stability !== 'unstable'"}], mark: {type: 'point', filled: true, size: 45, opacity: 1}})
  if (withCi) out.push({transform: [{filter: "datum.stability === 'unstable'"}], mark: {type: 'point', filled: false, size: 45, strokeWidth: 1.5, opacity: 1}})
  return out
}
