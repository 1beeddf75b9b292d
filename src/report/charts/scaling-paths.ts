/**
 * The paper's Figure 8 for a base other than B0: single-dimension scaling (width, depth,
 * resolution) against compound scaling of the same base, measured. Left, MACs at each step of
 * each path (how fast a path buys MACs); right, measured latency against MACs (what those MACs
 * cost on this device) — the paper plots accuracy there; a sweep measures latency.
 */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, PlotRow} from '../chart.js'
import {frame, logAxis, TITLE} from '../theme.js'

export const PATHS = ['width', 'depth', 'resolution', 'compound'] as const
const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#d62728']

/**
 * Rows of one base on the four paths at one batch, each with its step along its path (0 = the
 * base). Null when the sweep lacks the compound path or every single-dimension one.
 */
export function scalingPathRows(sweep: PlotRow[], base: string): PlotRow[] | null {
  const mine = sweep.filter((r) => r.base === base && PATHS.includes(r.grid as (typeof PATHS)[number]))
  if (mine.length === 0) return null
  const batch = Math.min(...mine.map((r) => r.batch as number))
  const run = mine[0].run
  const rows = mine.filter((r) => r.batch === batch && r.run === run)
  const grids = new Set(rows.map((r) => r.grid))
  if (!grids.has('compound') || grids.size < 2) return null
  return PATHS.flatMap((path) =>
    rows
      .filter((r) => r.grid === path)
      .sort((a, b) => (a.macsB as number) - (b.macsB as number))
      .map((r, step) => ({path, step, model: r.model, imageSize: r.imageSize, depth: r.depth, width: r.width, batch, macsB: r.macsB, p50Ms: r.p50Ms})),
  )
}

/** The base whose paths the chart shows: the first swept base other than B0 with a compound grid. */
export function scalingPathBase(sweep: PlotRow[]): string | undefined {
  return [...new Set(sweep.filter((r) => r.grid === 'compound' && r.base !== 'efficientnet-b0').map((r) => r.base as string))][0]
}

export function scalingPathsChart(rows: PlotRow[], base: string): Chart {
  const title = `Scaling ${base}: single dimensions vs compound (cf. the paper's Figure 8)`
  const batch = rows[0].batch
  const color = {field: 'path', type: 'nominal', title: 'scaling path', scale: {domain: [...PATHS], range: COLORS}, sort: [...PATHS]} as const
  const tooltip = [
    {field: 'path'},
    {field: 'model'},
    {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
    {field: 'macsB', type: 'quantitative', title: 'MACs/image (B)', format: '.3f'},
    {field: 'p50Ms', type: 'quantitative', title: 'p50 (ms)', format: '.2f'},
  ] as const
  const macsY = {field: 'macsB', type: 'quantitative', title: TITLE.macs, ...logAxis(rows.map((r) => r.macsB as number), 280, 'y')} as const
  const spec: TopLevelSpec = {
    ...frame(
      title,
      [
        `Batch ${batch}. Width ×1…5, depth ×1…8, resolution ×1…2.5 (Figure 3's grids) and compound φ = 0…N (α 1.2, β 1.1, γ 1.15), each from the same base.`,
        'Left: MACs at each step of a path. Right: measured median latency against MACs, log-log; a lower line reaches the same MACs for less latency.',
      ],
      rows,
    ),
    hconcat: [
      {
        width: 300,
        height: 280,
        mark: {type: 'line', point: {filled: true, size: 45}},
        encoding: {
          x: {field: 'step', type: 'quantitative', title: 'step along the path (0 = the base)', axis: {tickMinStep: 1, format: 'd'}},
          y: macsY,
          color,
          order: {field: 'step', type: 'quantitative'},
          tooltip: [...tooltip],
        },
      },
      {
        width: 300,
        height: 280,
        mark: {type: 'line', point: {filled: true, size: 45}},
        encoding: {
          x: {field: 'macsB', type: 'quantitative', title: TITLE.macs, ...logAxis(rows.map((r) => r.macsB as number), 300)},
          y: {field: 'p50Ms', type: 'quantitative', title: TITLE.latency, ...logAxis(rows.map((r) => r.p50Ms as number), 280, 'y')},
          color,
          order: {field: 'macsB', type: 'quantitative'},
          tooltip: [...tooltip],
        },
      },
    ],
    resolve: {scale: {y: 'independent'}},
  }
  return {id: 'scaling-paths', title, rows, spec}
}
