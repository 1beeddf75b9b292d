/**
 * timm's inference benchmark CSVs (benchmark-infer-<dtype>-<layout>-pt<torch>-<device>.csv):
 * model, infer_img_size, infer_samples_per_sec, infer_step_time (ms), infer_batch_size,
 * param_count (millions), infer_gmacs (billions of MACs per image), infer_macts. Pure: text in,
 * rows out. The file name is the only place the device and dtype are recorded, so it is parsed
 * for the charts' subtitles.
 */
import path from 'node:path'
import {UserError} from '../errors.js'
import {finiteCell, positiveCell, readCsv} from './csv.js'

export interface BenchmarkRow {
  line: number
  /** timm architecture (benchmark files carry no recipe tag). */
  arch: string
  imageSize: number
  samplesPerSec: number
  stepMs: number | null
  batch: number | null
  paramsM: number | null
  /** Multiply-accumulates per image, as timm counts them. */
  macs: number
}

/** What the file name says about how it was measured (null where it says nothing). */
export interface BenchmarkContext {
  /** "rtx4090", "cpu i7_12700h". */
  device: string | null
  /** "cuda 12.4" or "cpu". */
  backend: string | null
  /** "amp (fp16 autocast)", "fp32". */
  dtype: string | null
  layout: string | null
  torch: string | null
  /** "torch.compile (dynamo)" when the name says so. */
  compiled: string | null
}

export interface Benchmark {
  source: string
  /** Short label for legends: the file name without "benchmark-infer-" and ".csv". */
  label: string
  context: BenchmarkContext
  rows: BenchmarkRow[]
  /** Rows whose (arch, image size) repeats an earlier row: the first is kept. */
  duplicates: number
}

const COLUMNS = ['model', 'infer_img_size', 'infer_samples_per_sec', 'infer_gmacs'] as const

export function parseBenchmarkCsv(text: string, source: string): Benchmark {
  const t = readCsv(text, source)
  const missing = COLUMNS.filter((c) => !t.columns.includes(c))
  if (missing.length) throw new UserError(`${source}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (a timm benchmark CSV has ${COLUMNS.join(', ')})`)
  const rows: BenchmarkRow[] = []
  const seen = new Set<string>()
  let duplicates = 0
  for (const {line, cells} of t.rows) {
    const at = `${source} line ${line}`
    const arch = cells.model?.trim().toLowerCase()
    if (!arch) throw new UserError(`${at}: model is empty`)
    const imageSize = positiveCell(cells.infer_img_size, 'infer_img_size', at, true)!
    if (!Number.isInteger(imageSize)) throw new UserError(`${at}: infer_img_size must be a whole number of pixels, got ${imageSize}`)
    const gmacs = positiveCell(cells.infer_gmacs, 'infer_gmacs', at, true)!
    const row: BenchmarkRow = {
      line,
      arch,
      imageSize,
      samplesPerSec: positiveCell(cells.infer_samples_per_sec, 'infer_samples_per_sec', at, true)!,
      stepMs: positiveCell(cells.infer_step_time, 'infer_step_time', at) ?? null,
      batch: positiveCell(cells.infer_batch_size, 'infer_batch_size', at) ?? null,
      paramsM: finiteCell(cells.param_count, 'param_count', at) ?? null,
      macs: gmacs * 1e9,
    }
    const key = `${arch}@${imageSize}`
    if (seen.has(key)) {
      duplicates++
      continue
    }
    seen.add(key)
    rows.push(row)
  }
  const base = path.basename(source).replace(/\.csv$/i, '')
  return {source, label: base.replace(/^benchmark-infer-/, '').replace(/-excerpt$/, ''), context: benchmarkContext(base), rows, duplicates}
}

const DTYPES: Record<string, string> = {amp: 'amp (fp16 autocast)', fp32: 'fp32', fp16: 'fp16', bf16: 'bf16', ampbf16: 'amp (bf16 autocast)'}

/** "benchmark-infer-amp-nchw-pt240-cu124-rtx4090" → its device, backend, dtype, layout, torch. */
export function benchmarkContext(stem: string): BenchmarkContext {
  const parts = stem.toLowerCase().replace(/^benchmark-infer-/, '').split('-')
  const ctx: BenchmarkContext = {device: null, backend: null, dtype: null, layout: null, torch: null, compiled: null}
  const rest: string[] = []
  for (const p of parts) {
    if (DTYPES[p]) ctx.dtype = DTYPES[p]
    else if (p === 'nchw' || p === 'nhwc') ctx.layout = p.toUpperCase()
    else if (/^pt\d+$/.test(p)) ctx.torch = `PyTorch ${p.slice(2).split('').join('.')}`
    else if (/^cu\d+$/.test(p)) ctx.backend = `CUDA ${p.slice(2, -1)}.${p.slice(-1)}`
    else if (p === 'cpu') ctx.backend = 'cpu'
    else if (p === 'dynamo') ctx.compiled = 'torch.compile (dynamo)'
    else if (p === 'excerpt') continue
    else rest.push(p)
  }
  if (rest.length) ctx.device = rest.join(' ')
  return ctx
}

/** One line for a chart subtitle: device, EP (backend), threads, dtype, batch, as far as known. */
export function benchmarkContextLine(b: Benchmark): string {
  const c = b.context
  const batches = [...new Set(b.rows.map((r) => r.batch).filter((x): x is number => x !== null))].sort((x, y) => x - y)
  const batch = batches.length === 0 ? 'batch not recorded' : batches.length === 1 ? `batch ${batches[0]}` : `batch ${batches[0]}–${batches[batches.length - 1]} (timm lowers it for big models)`
  return [
    `${b.label}: device ${c.device ?? 'not recorded'}`,
    `EP ${[c.torch, c.backend].filter(Boolean).join(' + ') || 'not recorded'}${c.compiled ? `, ${c.compiled}` : ''}`,
    'threads not recorded',
    `dtype ${c.dtype ?? 'not recorded'}${c.layout ? ` ${c.layout}` : ''}`,
    batch,
  ].join(' · ')
}
