/** Shared look of every chart: one font (bundled for PNGs), titles, axis titles with units. */
import type {Config} from 'vega-lite'
import type {TopLevelSpec} from 'vega-lite'
import type {PlotRow} from './chart.js'

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
