/**
 * Accuracy against MACs along each scaling path — depth only, width only, resolution only,
 * compound — from the user's trials (a points CSV: base, depth, width, resolution, top1) at
 * effscale's computed MACs, with the saturating law fitted per path (fit --by path) and its 95 %
 * prediction band. Without trials of the user's own, the paper's published points (Table 7 and
 * the B0–B7 of Table 2) are drawn instead, and say so.
 */
import type {TopLevelSpec} from 'vega-lite'
import type {AccuracyData} from '../../accuracy/csv.js'
import {pointForName} from '../../accuracy/models.js'
import {costPoint, resolveAccuracy} from '../../accuracy/resolve.js'
import {UserError} from '../../errors.js'
import {fitGroups, fitPoints, pathOf, PATHS, type FitPoint} from '../../search/fit-groups.js'
import {predictWithUncertainty} from '../../search/fit.js'
import type {Chart, PlotRow} from '../chart.js'
import {labelLayers} from '../labels.js'
import type {PaperTables} from '../paper.js'
import {billions, frame, logAxis, round, SCALINGS, SHARED_PANELS, TITLE} from '../theme.js'

export const PUBLISHED_T7 = 'published: paper Table 7'
export const PUBLISHED_T2 = 'published: paper Table 2'
export const YOURS = 'your trials'

interface SourcedPoint extends FitPoint {
  from: string
}

/** The paper's B0 points: Table 7 (one way and compound) and B0–B7 of Table 2. */
export function paperPathPoints(paper: PaperTables): SourcedPoint[] {
  const t7 = paper.table7.rows.map((r) => ({r, from: PUBLISHED_T7, label: r.scaling === 'baseline' ? 'B0 (T7)' : r.scaling === 'compound' ? 'compound (T7)' : `${r.scaling[0]}=${r.scaling === 'depth' ? r.depth : r.scaling === 'width' ? r.width : r.resolution}`}))
  const t2 = paper.table2.rows
    .filter((r) => r.variant?.startsWith('efficientnet-b') && Number(r.variant.slice(-1)) <= 7)
    .map((r) => ({variant: r.variant!, top1: r.top1, label: `B${r.variant!.slice(-1)}`}))
  const point = (label: string, from: string, top1: number, c: ReturnType<typeof costPoint>, line: number): SourcedPoint => ({
    label,
    line,
    macs: c.macs,
    top1,
    base: c.base,
    path: pathOf(c.depth, c.width, c.resolution),
    multipliers: {depth: c.depth, width: c.width, resolution: c.resolution},
    macsFrom: 'effscale',
    from,
  })
  return [
    ...t7.map(({r, from, label}, i) => point(label, from, r.top1, costPoint({base: r.base, depth: r.depth, width: r.width, resolution: r.resolution}), i + 1)),
    ...t2.map((r, i) => point(r.label, PUBLISHED_T2, r.top1, costPoint(pointForName(r.variant)!), t7.length + i + 1)),
  ]
}

/** The user's placed trials, or null when the file holds none of effscale's points. */
export function userPathPoints(data: AccuracyData): SourcedPoint[] | null {
  if (data.format !== 'points' || data.rows.length === 0) return null
  return fitPoints(resolveAccuracy(data)).map((p) => ({...p, from: YOURS}))
}

const SAMPLES = 32
/** Degrees of freedom (points − 3) a curve needs before its prediction band is drawn. */
const MIN_BAND_DOF = 3

export function pathRows(points: SourcedPoint[]): {rows: PlotRow[]; fitted: string[]; skipped: string[]} {
  const bases = [...new Set(points.map((p) => p.base!))]
  const rows: PlotRow[] = []
  for (const p of points) {
    rows.push({kind: 'point', base: p.base, path: p.path, label: p.label, from: p.from, macsB: billions(p.macs), top1: p.top1, depth: round(p.multipliers!.depth, 4), width: round(p.multipliers!.width, 4), resolution: round(p.multipliers!.resolution, 4)})
  }
  // Traces: each path from the base's baseline points through its own, in MACs order.
  for (const base of bases) {
    const own = points.filter((p) => p.base === base)
    const baseline = own.filter((p) => p.path === 'baseline')
    for (const path of PATHS) {
      const on = own.filter((p) => p.path === path)
      if (on.length === 0) continue
      const trace = [...baseline, ...on].sort((a, b) => a.macs - b.macs)
      for (const [i, p] of trace.entries()) rows.push({kind: 'trace', base, path, order: i, macsB: billions(p.macs), top1: p.top1})
    }
  }
  const fitted: string[] = []
  const skipped: string[] = []
  let grouped
  try {
    grouped = fitGroups(points, 'path')
  } catch (e) {
    if (!(e instanceof UserError)) throw e
    return {rows, fitted, skipped: [e.message]}
  }
  for (const g of grouped.groups) {
    const fit = grouped.fits.get(g.group)
    if (!fit) {
      skipped.push(`${g.group}: ${g.points.filter((p) => p.path !== 'baseline').length} point(s) besides the baseline`)
      continue
    }
    fitted.push(`${g.group} (${g.points.length} points, LOO RMS ${fit.looError === null ? '—' : fit.looError.toFixed(2)} pp)`)
    const base = g.points[0].base
    const path = g.points.find((p) => p.path !== 'baseline')!.path
    const {minMacs, maxMacs} = fit.range
    // A band from fewer than 3 degrees of freedom (t ≥ 4.3) would only shade the whole panel.
    const band = fit.n - 3 >= MIN_BAND_DOF
    for (let i = 0; i < SAMPLES; i++) {
      const macs = minMacs * (maxMacs / minMacs) ** (i / (SAMPLES - 1))
      const p = predictWithUncertainty(fit, macs)
      rows.push({kind: 'fit', base, path, order: i, macsB: billions(macs), top1: round(p.top1, 3), low: band && p.interval ? round(p.interval.low, 3) : null, high: band && p.interval ? round(p.interval.high, 3) : null})
    }
  }
  return {rows, fitted, skipped}
}

export function accuracyPathsChart(points: SourcedPoint[], published: boolean): Chart {
  const title = 'Accuracy vs MACs per scaling path: depth, width, resolution, compound'
  const {rows, fitted, skipped} = pathRows(points)
  const bases = [...new Set(points.map((p) => p.base!))]
  const width = bases.length > 1 ? 420 : 620
  const x = {field: 'macsB', type: 'quantitative', title: TITLE.macs, ...logAxis(points.map((p) => billions(p.macs)), width)} as const
  // The scale follows the points and curves; a band wider than that (few points: t(0.975, 1)
  // is 12.7) is clipped at the frame rather than flattening everything else.
  const tops = rows.filter((r) => r.kind !== 'trace').map((r) => r.top1 as number)
  const span = Math.max(1, Math.max(...tops) - Math.min(...tops))
  const y = {field: 'top1', type: 'quantitative', title: TITLE.top1, scale: {zero: false, nice: false, domain: [round(Math.min(...tops) - 0.15 * span, 2), round(Math.max(...tops) + 0.15 * span, 2)]}} as const
  const color = {field: 'path', type: 'nominal', title: 'scaling path', scale: {domain: [...SCALINGS], range: ['#222222', '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728']}} as const
  const froms = [...new Set(points.map((p) => p.from))]
  const subtitle = [
    published
      ? 'PUBLISHED points, not yours: paper Table 7 (B0 scaled one way and compound) and Table 2 (B0–B7); give --accuracy with your trials (base, depth, width, resolution, top1) to draw your own.'
      : `Your trials at effscale's computed MACs, ${points.length} points on ${bases.length} base${bases.length > 1 ? 's' : ''}.`,
    `Lines join each path's points from the baseline; dashed: ${'top1 = a − b · MACs^(−c)'} fitted per path, shaded its 95 % prediction interval (LOO; drawn from ${MIN_BAND_DOF + 3} points on, clipped at the frame).`,
    fitted.length ? `Fitted: ${fitted.join('; ')}.` : 'No path has the 3 distinct MACs values a curve needs.',
    ...(skipped.length ? [`Not fitted (too few points): ${skipped.join('; ')}.`] : []),
  ]
  const layer = [
    {
      transform: [{filter: "datum.kind === 'fit' && datum.low !== null"}],
      mark: {type: 'area', fillOpacity: 0.12, clip: true},
      encoding: {x, y: {field: 'low', type: 'quantitative', title: TITLE.top1}, y2: {field: 'high'}, color, detail: {field: 'path'}},
    },
    {
      transform: [{filter: "datum.kind === 'fit'"}],
      mark: {type: 'line', strokeDash: [6, 4], strokeWidth: 1.5},
      encoding: {x, y, color, detail: {field: 'path'}, order: {field: 'order', type: 'quantitative'}},
    },
    {
      transform: [{filter: "datum.kind === 'trace'"}],
      mark: {type: 'line', strokeWidth: 1.2, opacity: 0.7},
      encoding: {x, y, color, detail: {field: 'path'}, order: {field: 'order', type: 'quantitative'}},
    },
    {
      transform: [{filter: "datum.kind === 'point'"}],
      mark: {type: 'point', filled: true, size: 70, opacity: 0.9},
      encoding: {
        x,
        y,
        color,
        shape: {field: 'from', type: 'nominal', title: 'points', scale: {domain: froms, range: ['circle', 'square', 'diamond'].slice(0, froms.length)}},
        tooltip: [
          {field: 'label', title: 'model'},
          {field: 'from', title: 'accuracy from'},
          {field: 'path', title: 'path'},
          {field: 'depth', type: 'quantitative', title: 'depth ×'},
          {field: 'width', type: 'quantitative', title: 'width ×'},
          {field: 'resolution', type: 'quantitative', title: 'resolution ×'},
          {field: 'top1', type: 'quantitative', title: 'top-1 (%)'},
          {field: 'macsB', type: 'quantitative', title: 'effscale MACs (B)', format: '.3f'},
        ],
      },
    },
    ...labelLayers(x, y, 'label', {fontSize: 9, filter: "datum.kind === 'point'"}),
  ]
  const panel = {width, height: 380, layer}
  const spec = (bases.length > 1
    ? {...frame(title, subtitle, rows), facet: {column: {field: 'base', type: 'nominal', title: null, sort: bases}}, spec: panel, resolve: SHARED_PANELS}
    : {...frame(title, subtitle, rows), ...panel}) as TopLevelSpec
  return {id: 'accuracy-paths', title, rows, spec}
}
