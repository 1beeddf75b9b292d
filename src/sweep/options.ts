/**
 * Sweep flags → a plan: the grid (or the embedded default for whichever EP loads), timing per
 * EP, the shard. Pure: no files (the grid file's text is passed in), no ORT.
 */
import {parsePositiveInt} from '../cli/numbers.js'
import {UserError} from '../errors.js'
import {fileShapes, parseGridFile} from './grid-file.js'
import {cpuDefault, DIMS, DTYPES, gpuDefault, INPUTS, parseShard, type Dim, type Grid, type GridSpec} from './grid.js'
import type {SweepTiming} from './measure.js'
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
  rounds?: string
  'max-rounds'?: string
  'max-ci'?: string
  'time-budget'?: string
  shard?: string
}

export interface SweepPlan {
  grid: GridSpec | Grid | ((ep: Ep) => GridSpec)
  source: string
  shard?: {k: number; n: number}
  timing: (ep: Ep) => SweepTiming
}

/**
 * Per-EP timing defaults, per round: at least 6 rounds (the fewest with a 95% interval of the
 * median), more for unstable points while the time budget lasts. The CPU budget keeps the
 * embedded default sweep under a minute on 2 cores; the CPU's 12 rounds spend it (26–32 s): a
 * shared machine's speed drifts by 2–5% over tens of seconds, and a point measured over more of
 * them moves less between sweeps (two back-to-back default sweeps: p50s within 5% on 21 of 21
 * points with 12 rounds, 19 of 21 with 6; `npm run bench -- stability`).
 */
export const TIMING_DEFAULTS: Record<Ep, SweepTiming> = {
  cpu: {warmup: 3, runs: 3, minTimeMs: 50, rounds: 12, maxRounds: 40, maxCi: 0.05, timeBudgetMs: 40_000},
  cuda: {warmup: 10, runs: 20, minTimeMs: 200, rounds: 6, maxRounds: 40, maxCi: 0.05, timeBudgetMs: 300_000},
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

/** Flags that describe emitted networks, refused beside --onnx (the files fix their own shape and precision). */
const NOT_WITH_ONNX = ['grid', 'dims', 'models', 'base', 'phi-max', 'batch', 'dtype', 'input'] as const

/**
 * `--onnx FILE...`: the grid is the files, built by the caller (onnx-grid.ts reads them);
 * `--input-shape` only goes with it.
 */
export function sweepPlan(f: SweepFlags, onnx?: {grid: Grid}): SweepPlan {
  if (onnx) {
    const clash = NOT_WITH_ONNX.find((k) => f[k] !== undefined)
    if (clash) throw new UserError(`--${clash} conflicts with --onnx: an ONNX file is timed as it is (give --input-shape for dynamic dims)`)
    return {grid: onnx.grid, source: 'onnx', shard: f.shard === undefined ? undefined : parseShard(f.shard), timing: timingFromFlags(f)}
  }
  return emittedPlan(f)
}

function emittedPlan(f: SweepFlags): SweepPlan {
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

function timingFromFlags(f: SweepFlags): (ep: Ep) => SweepTiming {
  const runs = parsePositiveInt('--runs', f.runs)
  const warmup = f.warmup === undefined ? undefined : nonNegativeInt('--warmup', f.warmup)
  const minTimeMs = f['min-time-ms'] === undefined ? undefined : nonNegativeInt('--min-time-ms', f['min-time-ms'])
  const rounds = parsePositiveInt('--rounds', f.rounds)
  const maxRounds = parsePositiveInt('--max-rounds', f['max-rounds'])
  if (rounds !== undefined && maxRounds !== undefined && maxRounds < rounds) throw new UserError(`--max-rounds ${maxRounds}: less than --rounds ${rounds}`)
  const maxCi = f['max-ci'] === undefined ? undefined : parseFraction('--max-ci', f['max-ci'])
  const budget = f['time-budget'] === undefined ? undefined : parseSeconds('--time-budget', f['time-budget'])
  return (ep) => {
    const d = TIMING_DEFAULTS[ep]
    const min = rounds ?? d.rounds
    return {
      warmup: warmup ?? d.warmup,
      runs: runs ?? d.runs,
      minTimeMs: minTimeMs ?? d.minTimeMs,
      rounds: min,
      maxRounds: maxRounds ?? Math.max(min, d.maxRounds),
      maxCi: maxCi ?? d.maxCi,
      timeBudgetMs: budget ?? d.timeBudgetMs,
    }
  }
}

/** "5%" or "0.05" → 0.05; a bare number above 1 is refused (was it meant as a percentage?). */
export function parseFraction(flag: string, text: string): number {
  const t = text.trim()
  const pct = t.endsWith('%')
  const n = Number(pct ? t.slice(0, -1) : t)
  const v = pct ? n / 100 : n
  if (t === '' || t === '%' || !Number.isFinite(v) || v <= 0 || v >= 1) {
    throw new UserError(`${flag} ${text}: give a percentage such as 5% (or a fraction such as 0.05), above 0 and below 100%`)
  }
  return v
}

/** "30", "30s", "2m" → milliseconds. */
function parseSeconds(flag: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m)?\s*$/.exec(text)
  if (!m) throw new UserError(`${flag} ${text}: give seconds, e.g. 30 or 30s or 2m`)
  return Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000)
}

function nonNegativeInt(flag: string, text: string): number {
  const n = Number(text.trim() === '' ? NaN : text)
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag} must be a whole number ≥ 0, got "${text}"`)
  return n
}
