/**
 * Shared look of every chart and the rules a paper reader expects: one font (bundled for PNGs),
 * axis titles with units, log axes that label every decade without labels colliding, panels that
 * are meant to be compared on shared scales with their axes on each panel (a shared axis drawn
 * once below a grid of panels floats away from the plots).
 */
import type {Config} from 'vega-lite'
import type {TopLevelSpec} from 'vega-lite'
import type {PlotRow} from './chart.js'
import {textWidth} from './text-width.js'

/** Family of the bundled TTF (dejavu-fonts-ttf) that resvg loads for PNGs. */
export const FONT = 'DejaVu Sans'
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json'

export const CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 12,
  title: {fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start', offset: 12},
  axis: {labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6'},
  legend: {labelFontSize: 11, titleFontSize: 12, labelLimit: 320, orient: 'bottom', direction: 'horizontal'},
  header: {labelFontSize: 12, titleFontSize: 12},
  text: {fontSize: 10, color: '#333'},
}

export const TITLE = {
  macs: 'MACs per image (billions; the paper\'s "FLOPs")',
  params: 'Parameters (millions)',
  top1: 'ImageNet top-1 accuracy (%)',
  latency: 'Latency per batch, median (ms)',
  throughput: 'Throughput (images/s)',
} as const

/** Axis labels' font size (CONFIG.axis.labelFontSize), for spacing ticks. */
const LABEL_PX = 11

/**
 * Facets and concatenations whose panels are read against each other: one scale for all, an
 * axis on every panel.
 */
export const SHARED_PANELS = {scale: {x: 'shared', y: 'shared'}, axis: {x: 'independent', y: 'independent'}} as const

/** Side-by-side panels of different x quantities (MACs, params, throughput) against one y. */
export const SHARED_Y_PANELS = {scale: {x: 'independent', y: 'shared'}, axis: {x: 'independent', y: 'independent'}} as const

/** Panels that show different things (one per dataset or network): own y scale, axes on each. */
export const OWN_Y_PANELS = {scale: {y: 'independent'}, axis: {x: 'independent', y: 'independent'}} as const

/** d3-format specifier of a log axis: SI prefixes once values reach 10k (images/s), else plain. */
const logFormat = (hi: number) => (hi >= 1e4 ? '~s' : '~g')

function formatTick(v: number, format: string): string {
  if (format === '~s' && v >= 1e3) {
    const [d, unit] = v >= 1e9 ? [1e9, 'G'] : v >= 1e6 ? [1e6, 'M'] : [1e3, 'k']
    return `${Number((v / d).toPrecision(6))}${unit}`
  }
  return String(Number(v.toPrecision(6)))
}

const MANTISSAS = [
  [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 5],
  [1, 3],
  [1],
]

/**
 * A log scale over `values` with room around them and tick values chosen so that every decade
 * inside the domain is labelled and no two labels collide at `px` pixels of axis length:
 * 1, 1.2, 1.5 … 9 or 1…9 per decade when there is room, else 1-2-5, 1-3 or the decades alone. vega-lite's own log
 * ticks drop labels (10 and 100 among them) when they would overlap.
 */
export interface LogAxis {
  scale: {type: 'log'; domain: number[]; nice: false}
  axis: {values: number[]; format: string; labelOverlap: 'greedy'; grid: true}
}

export function logAxis(values: number[], px: number, orient: 'x' | 'y' = 'x'): LogAxis {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0)
  const min = finite.length ? Math.min(...finite) : 1
  const max = finite.length ? Math.max(...finite) : 10
  const pad = Math.max(1.12, (max / min) ** 0.05)
  const lo = min / pad
  const hi = max * pad
  const format = logFormat(hi)
  const at = (v: number) => ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * px
  const ticksOf = (ms: number[]) => {
    const out: number[] = []
    for (let k = Math.floor(Math.log10(lo)) - 1; 10 ** k <= hi; k++) for (const m of ms) if (m * 10 ** k >= lo && m * 10 ** k <= hi) out.push(Number((m * 10 ** k).toPrecision(6)))
    return out.sort((a, b) => a - b)
  }
  const fits = (ticks: number[]) =>
    ticks.every((t, i) => {
      if (i === 0) return true
      const need = orient === 'x' ? (textWidth(formatTick(ticks[i - 1], format), LABEL_PX) + textWidth(formatTick(t, format), LABEL_PX)) / 2 + 6 : LABEL_PX + 4
      return at(t) - at(ticks[i - 1]) >= need
    })
  // The densest set that fits and still has two ticks; decades are in every set.
  const chosen = MANTISSAS.map(ticksOf).find((t) => t.length >= 2 && fits(t)) ?? ticksOf([1])
  return {
    scale: {type: 'log', domain: [lo, hi], nice: false},
    axis: {values: chosen, format, labelOverlap: 'greedy', grid: true},
  }
}

export const SCALINGS = ['baseline', 'depth', 'width', 'resolution', 'compound'] as const

/** Top-level properties every chart shares; data is inlined so each *.vl.json stands alone. */
export function frame(title: string, subtitle: string | string[], rows: PlotRow[]) {
  return {
    $schema: SCHEMA,
    title: {text: title, subtitle},
    data: {values: rows},
    config: CONFIG,
  } satisfies Partial<TopLevelSpec>
}

/**
 * Facets of the sweep charts: a column per batch size (latency is per batch, so two batch sizes
 * never share a panel) and, given several runs, a row per run in the order they were given.
 */
export function batchFacet(runs: string[] = []) {
  const column = {field: 'batch', type: 'ordinal', title: 'batch size', sort: 'ascending'} as const
  const row = {field: 'run', type: 'nominal', title: null, sort: runs} as const
  return runs.length > 1 ? {column, row} : {column}
}

/** Billions / millions, rounded for display and stable in golden files. */
export const billions = (n: number): number => round(n / 1e9, 4)
export const millions = (n: number): number => round(n / 1e6, 3)
export function round(x: number, digits: number): number {
  return Number(x.toFixed(digits))
}
