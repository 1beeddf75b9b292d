/**
 * Sweep flags → a plan: the grid (or the embedded default for whichever EP loads), timing per
 * EP, the shard. Pure: no files (the grid file's text is passed in), no ORT.
 */
import {parsePositiveInt} from '../cli/numbers.js'
import {UserError} from '../errors.js'
import {fileShapes, parseGridFile} from './grid-file.js'
import {cpuDefault, DIMS, DTYPES, gpuDefault, INPUTS, parseShard, type Dim, type GridSpec} from './grid.js'
import type {TimingOptions} from './measure.js'
import type {Ep} from './session.js'

export interface SweepFlags {
  dims?: string
  base?: string
  'phi-max'?: string
  models?: string
  grid?: string
  gridText?: string
  batch?: string
  dtype?: string
  input?: string
  runs?: string
  'min-time-ms'?: string
  warmup?: string
  shard?: string
}

export interface SweepPlan {
  grid: GridSpec | ((ep: Ep) => GridSpec)
  source: string
  shard?: {k: number; n: number}
  timing: (ep: Ep) => TimingOptions
}

/** Per-EP timing defaults: GPUs are fast and noisy, so more runs over at least a second. */
export const TIMING_DEFAULTS: Record<Ep, TimingOptions> = {
  cpu: {warmup: 3, runs: 10, minTimeMs: 300},
  cuda: {warmup: 10, runs: 50, minTimeMs: 1000},
}

export function parseList(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim())
  if (items.some((s) => s === '')) throw new UserError(`${flag}: empty item in "${text}"`)
  return items
}

export function parseBatches(text: string): number[] {
  return parseList('--batch', text).map((b) => {
    const n = Number(b)
    if (!Number.isInteger(n) || n <= 0) throw new UserError(`--batch must be whole numbers > 0, got "${b}"`)
    return n
  })
}

function oneOf<T extends string>(flag: string, value: string, options: readonly T[]): T {
  if (!options.includes(value as T)) throw new UserError(`${flag} must be one of ${options.join(', ')}, got "${value}"`)
  return value as T
}

export function sweepPlan(f: SweepFlags): SweepPlan {
  const batches = f.batch === undefined ? undefined : parseBatches(f.batch)
  const dtype = f.dtype === undefined ? undefined : oneOf('--dtype', f.dtype, DTYPES)
  const input = f.input === undefined ? undefined : oneOf('--input', f.input, INPUTS)
  const shard = f.shard === undefined ? undefined : parseShard(f.shard)
  const timing = timingFromFlags(f)
  // --base and --phi-max shape the --dims grids only; said anywhere else they would be ignored.
  const dimsOnly = (['base', 'phi-max'] as const).find((k) => f[k] !== undefined)
  if (dimsOnly && (f.gridText !== undefined || f.dims === undefined)) {
    throw new UserError(`--${dimsOnly} applies to --dims grids${f.gridText !== undefined ? '; with --grid put it in the grid file' : ''}`)
  }

  if (f.gridText !== undefined) {
    if (f.dims !== undefined || f.models !== undefined) throw new UserError('--grid conflicts with --dims/--models: put them in the grid file')
    const g = parseGridFile(f.gridText, f.grid ?? 'grid')
    const points = fileShapes(g, f.grid ?? 'grid')
    const grid: GridSpec = {
      base: g.base,
      dims: g.dims,
      phiMax: g.phiMax,
      points,
      batches: batches ?? g.batch ?? [1],
      dtype: dtype ?? g.dtype ?? 'fp32',
      input: input ?? g.input ?? 'float32-nchw',
    }
    return {grid, source: `file:${f.grid}`, shard, timing}
  }
  if (f.dims !== undefined || f.models !== undefined) {
    const dims = f.dims === undefined ? [] : parseList('--dims', f.dims).map((d) => oneOf<Dim>('--dims', d, DIMS))
    const phiMax = f['phi-max'] === undefined ? undefined : parsePhiMax(f['phi-max'])
    const models = f.models === undefined ? [] : parseList('--models', f.models)
    const grid: GridSpec = {base: f.base, dims, phiMax, models, batches: batches ?? [1], dtype: dtype ?? 'fp32', input: input ?? 'float32-nchw'}
    return {grid, source: 'flags', shard, timing}
  }
  // Embedded defaults: which one depends on the EP that actually loads.
  return {
    grid: (ep) => (ep === 'cuda' ? gpuDefault(batches, dtype, input) : cpuDefault(batches, dtype, input)),
    source: 'default',
    shard,
    timing,
  }
}

function parsePhiMax(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new UserError(`--phi-max must be a whole number 0…20, got "${text}"`)
  return n
}

function timingFromFlags(f: SweepFlags): (ep: Ep) => TimingOptions {
  const runs = parsePositiveInt('--runs', f.runs)
  const warmup = f.warmup === undefined ? undefined : nonNegativeInt('--warmup', f.warmup)
  const minTimeMs = f['min-time-ms'] === undefined ? undefined : nonNegativeInt('--min-time-ms', f['min-time-ms'])
  return (ep) => {
    const d = TIMING_DEFAULTS[ep]
    return {warmup: warmup ?? d.warmup, runs: runs ?? d.runs, minTimeMs: minTimeMs ?? d.minTimeMs}
  }
}

function nonNegativeInt(flag: string, text: string): number {
  const n = Number(text.trim() === '' ? NaN : text)
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag} must be a whole number ≥ 0, got "${text}"`)
  return n
}
