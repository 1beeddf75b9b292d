/**
 * The timm landscape: every model of a timm results file at its MACs (effscale's count where
 * effscale builds it, else timm's benchmark infer_gmacs) and at its measured throughput in each
 * timm benchmark file, with the Pareto front — the models no other beats on both accuracy and
 * cost — drawn and labelled (timm name = architecture . recipe), and the user's own trials
 * beside them at effscale's MACs.
 */
import type {TopLevelSpec} from 'vega-lite'
import {benchmarkContextLine, type Benchmark} from '../../accuracy/benchmark.js'
import type {TimmRow} from '../../accuracy/csv.js'
import {costPoint} from '../../accuracy/resolve.js'
import {familyGroup} from '../../accuracy/timm.js'
import type {Chart, Layers, PlotRow} from '../chart.js'
import {labelLayers} from '../labels.js'
import {billions, frame, logAxis, round, SHARED_Y_PANELS, TITLE} from '../theme.js'

export interface UserPoint {
  name: string
  macs: number
  top1: number
}

export const MACS_PANEL = 'MACs'

export interface Landscape {
  rows: PlotRow[]
  /** What went into each panel, for the subtitle and the report's notes. */
  counts: string[]
}

/** Models no other beats: sorted by cost, each more accurate than every cheaper one. */
export function paretoFront<T extends {top1: number}>(rows: T[], cost: (r: T) => number): Set<T> {
  const front = new Set<T>()
  let best = -Infinity
  for (const r of [...rows].sort((a, b) => cost(a) - cost(b) || b.top1 - a.top1)) {
    if (r.top1 > best) {
      front.add(r)
      best = r.top1
    }
  }
  return front
}

export function landscapeRows(timm: readonly TimmRow[], benchmarks: readonly Benchmark[], user: readonly UserPoint[]): Landscape {
  const benchMacs = new Map<string, number>()
  for (const b of benchmarks) for (const r of b.rows) if (!benchMacs.has(`${r.arch}@${r.imageSize}`)) benchMacs.set(`${r.arch}@${r.imageSize}`, r.macs)
  const base = (r: TimmRow) => ({name: r.name, group: familyGroup(r), family: r.family, recipe: r.recipe, imageSize: r.imageSize, top1: r.top1, source: 'timm'})
  const rows: PlotRow[] = []
  const counts: string[] = []

  let fromEffscale = 0
  const withMacs = timm.flatMap((r) => {
    if (r.point) {
      fromEffscale++
      return [{...base(r), x: billions(costPoint({...r.point, imageSize: r.imageSize}).macs), macsFrom: 'effscale'}]
    }
    const m = benchMacs.get(`${r.arch}@${r.imageSize}`)
    return m === undefined ? [] : [{...base(r), x: billions(m), macsFrom: 'timm benchmark'}]
  })
  const macsFront = paretoFront(withMacs, (r) => r.x)
  rows.push(...withMacs.map((r) => ({panel: MACS_PANEL, ...r, front: macsFront.has(r) ? 1 : 0})))
  rows.push(...user.map((u) => ({panel: MACS_PANEL, name: u.name, group: null, family: null, recipe: null, imageSize: null, top1: u.top1, source: 'yours', x: billions(u.macs), macsFrom: 'effscale', front: 0})))
  counts.push(
    `MACs: ${withMacs.length} of ${timm.length} timm rows (${fromEffscale} at effscale's count, ${withMacs.length - fromEffscale} at timm's benchmark MACs; ${timm.length - withMacs.length} without MACs: effscale cannot build them and no benchmark row has their architecture at that image size), ${macsFront.size} on the front${user.length ? `; ${user.length} of yours` : ''}`,
  )
  for (const b of benchmarks) {
    const speed = new Map(b.rows.map((r) => [`${r.arch}@${r.imageSize}`, r.samplesPerSec]))
    const joined = timm.flatMap((r) => {
      const s = speed.get(`${r.arch}@${r.imageSize}`)
      return s === undefined ? [] : [{...base(r), x: round(s, 2), macsFrom: null}]
    })
    // Faster is cheaper: the front runs from the fastest model down.
    const front = paretoFront(joined, (r) => -r.x)
    rows.push(...joined.map((r) => ({panel: b.label, ...r, front: front.has(r) ? 1 : 0})))
    counts.push(`${b.label}: ${joined.length} of ${timm.length} timm rows joined on architecture and image size, ${front.size} on the front`)
  }
  return {rows, counts}
}

const NAME_LABEL = 'name'
const LEGEND_LABELS = "datum.label === 'timm' ? 'timm, on the Pareto front' : 'your trials (effscale MACs)'"

export function paretoChart(timm: readonly TimmRow[], benchmarks: readonly Benchmark[], user: readonly UserPoint[], source: string): Chart {
  const title = 'timm models: Pareto front of accuracy vs MACs and vs measured throughput'
  const {rows, counts} = landscapeRows(timm, benchmarks, user)
  const y = {field: 'top1', type: 'quantitative', title: TITLE.top1, scale: {zero: false, padding: 10}} as const
  const panels = [MACS_PANEL, ...benchmarks.map((b) => b.label)]
  const panel = (name: string, i: number) => {
    const own = rows.filter((r) => r.panel === name)
    const isMacs = name === MACS_PANEL
    const x = {
      field: 'x',
      type: 'quantitative',
      title: isMacs ? TITLE.macs : `Throughput, ${name} (images/s)`,
      ...logAxis(own.map((r) => r.x as number), 440),
    } as const
    const where = (extra: string) => ({filter: `datum.panel === ${JSON.stringify(name)} && (${extra})`})
    const tooltip: Array<{field: string; title: string; type?: 'quantitative'; format?: string}> = [
      {field: 'name', title: 'model'},
      {field: 'group', title: 'family · recipe'},
      {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
      {field: 'top1', type: 'quantitative', title: 'top-1 (%)'},
      {field: 'x', type: 'quantitative', title: isMacs ? 'MACs (B)' : 'images/s', format: isMacs ? '.3f' : '.1f'},
      ...(isMacs ? [{field: 'macsFrom', title: 'MACs from'}] : []),
    ]
    const layer: Layers = [
      {transform: [where("datum.source === 'timm'")], mark: {type: 'point', filled: true, size: 14, opacity: 0.35, color: '#9e9e9e'}, encoding: {x, y, tooltip}},
      {transform: [where('datum.front === 1')], mark: {type: 'line', color: '#1f4e79', strokeWidth: 1.5, interpolate: 'step-after'}, encoding: {x, y, order: {field: 'x', type: 'quantitative', sort: isMacs ? 'ascending' : 'descending'}}},
      {
        transform: [where("datum.front === 1 || datum.source === 'yours'")],
        mark: {type: 'point', filled: true, size: 55, opacity: 0.95},
        encoding: {
          x,
          y,
          // Same field, same title and labels: one legend showing colour and shape together.
          color: {field: 'source', type: 'nominal', title: null, scale: {domain: ['timm', 'yours'], range: ['#1f4e79', '#d62728']}, legend: {labelExpr: LEGEND_LABELS}},
          shape: {field: 'source', type: 'nominal', title: null, scale: {domain: ['timm', 'yours'], range: ['circle', 'diamond']}, legend: {labelExpr: LEGEND_LABELS}},
          tooltip,
        },
      },
      ...labelLayers(x, y, NAME_LABEL, {fontSize: 9, field: `label${i}`, filter: `datum.panel === ${JSON.stringify(name)} && (datum.front === 1 || datum.source === 'yours')`}),
    ]
    return {width: 440, height: 380, title: isMacs ? 'accuracy vs MACs' : `accuracy vs throughput: ${name}`, layer}
  }
  const subtitle = [
    `timm results ${source}: ${timm.length} rows; grey: every model, dark: the Pareto front (no model is both cheaper and more accurate), labelled with timm's name (architecture . training recipe).`,
    ...counts,
    ...benchmarks.map(benchmarkContextLine),
    ...(user.length && benchmarks.length ? ['Your trials are in the MACs panel only: throughput depends on the device (your sweeps are in the latency charts).'] : []),
  ]
  const spec = {
    ...frame(title, subtitle, rows),
    hconcat: panels.map(panel),
    resolve: SHARED_Y_PANELS,
  } as TopLevelSpec
  return {id: 'pareto', title, rows, spec}
}
