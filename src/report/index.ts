/**
 * `effscale report`: read the inputs (paper fixtures, sweeps, an accuracy CSV), build the
 * charts (charts/index.ts), then write DIR/<chart>.vl.json, .svg, .png, data.csv and
 * report.html. Every input is checked before anything is written.
 */
import path from 'node:path'
import {parseBenchmarkCsv} from '../accuracy/benchmark.js'
import {accuracySummary, parseAccuracyCsv, type AccuracySummary} from '../accuracy/csv.js'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'
import {CONVENTION} from '../flops/index.js'
import {toCsv} from '../io/csv.js'
import {ensureOutDir} from '../io/out-dir.js'
import {writeFileAtomic} from '../io/write.js'
import type {Chart, PlotRow} from './chart.js'
import {buildCharts} from './charts/index.js'
import {readEmbedScripts, reportHtml} from './html.js'
import {placeLabels} from './labels.js'
import {readPaperTables} from './paper.js'
import {distinctLabels, loadSweep} from './sweep.js'

export interface ReportOptions {
  out: string
  sweeps?: string[]
  accuracy?: string
  /** timm results CSV: the landscape for the Pareto chart. */
  timm?: string
  /** timm benchmark CSVs: throughput (and MACs) of the landscape's models. */
  benchmarks?: string[]
}

export interface ChartFiles {
  id: string
  title: string
  /** Plotted rows (all of them are in data.csv). */
  rows: number
  spec: string
  svg: string
  png: string
}

export interface ReportResult {
  out: string
  convention: typeof CONVENTION
  html: string
  data: string
  charts: ChartFiles[]
  accuracy: AccuracySummary | null
  sweeps: Array<{dir: string; label: string; records: number; ok: number; failed: number}>
  notes: string[]
}

export async function buildReport(opts: ReportOptions): Promise<ReportResult> {
  const runs = distinctLabels((opts.sweeps ?? []).map(loadSweep))
  const accuracy = opts.accuracy === undefined ? undefined : parseAccuracyCsv(readText(opts.accuracy, '--accuracy'), opts.accuracy)
  const timm = opts.timm === undefined ? undefined : parseAccuracyCsv(readText(opts.timm, '--timm'), opts.timm)
  if (timm && timm.format !== 'timm') throw new UserError(`--timm ${opts.timm}: not a timm results file (needs model, img_size, top1 and no base column)`)
  const benchmarks = (opts.benchmarks ?? []).map((f) => parseBenchmarkCsv(readText(f, '--benchmark'), f))
  if (benchmarks.length && !timm && accuracy?.format !== 'timm') throw new UserError('--benchmark gives throughput to timm models: add their accuracy with --timm FILE (timm\'s results CSV), or give that file as --accuracy')
  // A bad --out is refused once the inputs are read, before any chart is drawn.
  ensureOutDir(opts.out, '--out')
  const built = buildCharts({paper: readPaperTables(), runs, accuracy, timm, benchmarks})
  // What was done to the input numbers (e.g. fractions read as percent) is said, not hidden.
  const notes = [...[accuracy, timm].flatMap((d) => d?.notes ?? []), ...built.notes]
  const charts: Chart[] = []
  for (const c of built.charts) charts.push(await placeLabels(c))
  // vega, vega-lite, ajv's Vega-Lite schema and resvg: loaded only to draw.
  const {schemaErrors, toPng, toSvg} = await import('./render.js')

  const files: ChartFiles[] = []
  for (const chart of charts) {
    const errors = schemaErrors(chart.spec)
    if (errors.length) throw new Error(`chart ${chart.id} does not validate against the Vega-Lite schema: ${errors.join('; ')}`)
    const svg = await toSvg(chart.spec)
    const f = {spec: `${chart.id}.vl.json`, svg: `${chart.id}.svg`, png: `${chart.id}.png`}
    write(opts.out, f.spec, JSON.stringify(chart.spec, null, 2) + '\n')
    write(opts.out, f.svg, svg)
    write(opts.out, f.png, toPng(svg))
    files.push({id: chart.id, title: chart.title, rows: chart.rows.length, ...f})
  }
  write(opts.out, 'data.csv', dataCsv(charts))
  const inputs = [
    CONVENTION,
    'Accuracy: the EfficientNet paper (arXiv 1905.11946 v5), Tables 2, 3, 5 and 7; MACs and params computed by effscale unless marked published.',
    ...runs.map((r) => `Sweep ${r.label}: ${r.dir} (${r.records.length} records)`),
    ...(accuracy ? [`Accuracy CSV: ${accuracy.source} (${accuracy.rows.length} rows placed, ${accuracy.unknown.length} not buildable by effscale)`] : []),
    ...(timm ? [`timm results: ${timm.source} (${timm.timm.length} rows)`] : []),
    ...benchmarks.map((b) => `timm benchmark: ${b.source} (${b.rows.length} rows${b.duplicates ? `, ${b.duplicates} repeated architecture/image-size rows ignored` : ''})`),
    ...notes,
  ]
  write(opts.out, 'report.html', reportHtml({charts, notes: inputs, scripts: readEmbedScripts()}))

  return {
    out: opts.out,
    convention: CONVENTION,
    html: 'report.html',
    data: 'data.csv',
    charts: files,
    accuracy: accuracy ? accuracySummary(accuracy) : null,
    sweeps: runs.map((r) => {
      const ok = r.records.filter((x) => x.status === 'ok').length
      return {dir: r.dir, label: r.label, records: r.records.length, ok, failed: r.records.length - ok}
    }),
    notes,
  }
}

function write(out: string, name: string, data: string | Uint8Array): void {
  const file = path.join(out, name)
  writeFileAtomic(file, data, `--out ${out}: cannot write ${file}`)
}

/** Every plotted row of every chart, a `chart` column first; columns in first-seen order; formula-leading text escaped (io/csv.ts). */
export function dataCsv(charts: Pick<Chart, 'id' | 'rows'>[]): string {
  const rows: PlotRow[] = charts.flatMap((c) => c.rows.map((r) => ({chart: c.id, ...r})))
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  return toCsv(rows, columns)
}
