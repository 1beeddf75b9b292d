/**
 * `compare RUN_A RUN_B`: per shared point, B/A latency with a 95% interval and a significance
 * test, like Go's benchstat ("+12.3% ±2.1% p=0.002", "~" when not significant), and a
 * geometric-mean row. Rounds are the units: a round's runs share the machine's phase, so the
 * test (Mann–Whitney U) and the interval (percentile bootstrap, seeded) take each point's
 * round medians, never its runs as if independent. Pure apart from reading the two directories.
 */
import {UserError} from '../errors.js'
import type {SweepRecord} from './record.js'
import {readSweepWithRuns, type PointRuns} from './results.js'
import {mannWhitneyP, median, seededRandom} from './stats.js'

export type MatchBy = 'key' | 'order'

export interface CompareOptions {
  /** A significant slowdown beyond this share (0.05 = 5%) is a regression (exit 1). */
  threshold: number
  /** p below this is significant. */
  alpha: number
  /** Pair points by key (same grid point), or by position in the two grids (same grid, other networks). */
  match: MatchBy
}

export interface ComparedPoint {
  grid: string
  model: string
  key_a: string
  key_b: string
  a_p50_ms: number
  b_p50_ms: number
  a_rounds: number
  b_rounds: number
  /** Median of B's round medians / median of A's, and its 95% interval. */
  ratio: number
  ratio_lo: number
  ratio_hi: number
  p: number
  significant: boolean
  /** Significantly slower by more than the threshold. */
  regression: boolean
}

export interface Comparison {
  a: string
  b: string
  threshold: number
  alpha: number
  match: MatchBy
  points: ComparedPoint[]
  geomean: {a_ms: number; b_ms: number; ratio: number}
  /** Points of one run only (not compared). */
  only_a: number
  only_b: number
  regressions: number
  notes: string[]
}

const BOOTSTRAP = 2000

/** 95% percentile-bootstrap interval of median(b) / median(a), resampling each side's values. */
export function ratioInterval(a: readonly number[], b: readonly number[], seed = 1): {lo: number; hi: number} {
  const rand = seededRandom(seed)
  const pick = (xs: readonly number[]) => Array.from({length: xs.length}, () => xs[Math.floor(rand() * xs.length)])
  const ratios = Array.from({length: BOOTSTRAP}, () => median(pick(b)) / median(pick(a))).sort((x, y) => x - y)
  return {lo: ratios[Math.floor(0.025 * BOOTSTRAP)], hi: ratios[Math.ceil(0.975 * BOOTSTRAP) - 1]}
}

export function comparePoints(a: PointRuns<SweepRecord>, b: PointRuns<SweepRecord>, o: CompareOptions): ComparedPoint {
  const ma = a.rounds.map((r) => median(r.runs_ms))
  const mb = b.rounds.map((r) => median(r.runs_ms))
  const ratio = median(mb) / median(ma)
  const ci = ratioInterval(ma, mb)
  const p = mannWhitneyP(ma, mb)
  const significant = p < o.alpha
  return {
    grid: a.record.grid,
    model: a.record.model === b.record.model ? a.record.model : `${a.record.model} → ${b.record.model}`,
    key_a: a.record.key,
    key_b: b.record.key,
    a_p50_ms: a.record.p50_ms!,
    b_p50_ms: b.record.p50_ms!,
    a_rounds: ma.length,
    b_rounds: mb.length,
    ratio,
    ratio_lo: ci.lo,
    ratio_hi: ci.hi,
    p,
    significant,
    regression: significant && ratio > 1 + o.threshold,
  }
}

const geomean = (xs: readonly number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length)

export function compareRuns(dirA: string, dirB: string, o: CompareOptions): Comparison {
  const read = (dir: string) => {
    const r = readSweepWithRuns<SweepRecord>(dir, 'compare')
    const usable = r.points.filter((p) => p.record.status === 'ok' && typeof p.record.p50_ms === 'number')
    if (usable.length === 0) throw new UserError(`compare ${dir}: no measured point`)
    const noRuns = usable.find((p) => p.rounds.length === 0)
    if (noRuns) throw new UserError(`compare ${dir}: point "${noRuns.record.key}" has no timed runs in runs.jsonl (a sweep from before rounds?); measure it again`)
    return {...r, usable}
  }
  const A = read(dirA)
  const B = read(dirB)
  const notes: string[] = []
  if (A.meta?.device !== B.meta?.device || A.meta?.ep !== B.meta?.ep) {
    notes.push(`the runs were measured on different machines: ${A.meta?.ep} (${A.meta?.device}) and ${B.meta?.ep} (${B.meta?.device})`)
  }
  let pairs: Array<[PointRuns<SweepRecord>, PointRuns<SweepRecord>]>
  if (o.match === 'key') {
    const byKey = new Map(B.usable.map((p) => [p.record.key, p]))
    pairs = A.usable.flatMap((p) => (byKey.has(p.record.key) ? [[p, byKey.get(p.record.key)!] as [typeof p, typeof p]] : []))
    if (pairs.length === 0) {
      const hint = A.meta?.grid?.size === B.meta?.grid?.size ? '; the grids have the same size: --match order pairs their points by position' : ''
      throw new UserError(`compare: ${dirA} and ${dirB} share no measured point${hint}`)
    }
  } else {
    const ka = A.meta?.grid?.keys
    const kb = B.meta?.grid?.keys
    if (!Array.isArray(ka) || !Array.isArray(kb)) throw new UserError(`compare --match order: both directories need a run.json with their grid`)
    if (ka.length !== kb.length) throw new UserError(`compare --match order: ${dirA} has ${ka.length} grid points, ${dirB} has ${kb.length}; pairing by position needs grids of one size`)
    const at = (r: typeof A) => new Map(r.usable.map((p) => [p.record.key, p]))
    const ma = at(A)
    const mb = at(B)
    pairs = ka.flatMap((k, i) => (ma.has(k) && mb.has(kb[i]) ? [[ma.get(k)!, mb.get(kb[i])!] as [PointRuns<SweepRecord>, PointRuns<SweepRecord>]] : []))
    if (pairs.length === 0) throw new UserError(`compare: no grid position is measured in both ${dirA} and ${dirB}`)
  }
  const points = pairs.map(([a, b]) => comparePoints(a, b, o))
  return {
    a: dirA,
    b: dirB,
    threshold: o.threshold,
    alpha: o.alpha,
    match: o.match,
    points,
    geomean: {a_ms: geomean(points.map((p) => p.a_p50_ms)), b_ms: geomean(points.map((p) => p.b_p50_ms)), ratio: geomean(points.map((p) => p.ratio))},
    only_a: A.usable.length - pairs.length,
    only_b: B.usable.length - pairs.length,
    regressions: points.filter((p) => p.regression).length,
    notes,
  }
}

/** benchstat's cell: "+12.3% ±2.1% p=0.002 n=6+6", or "~ (p=0.485 n=6+6)" when not significant. */
export function deltaCell(p: ComparedPoint): string {
  const n = `n=${p.a_rounds}+${p.b_rounds}`
  const pv = p.p < 0.001 ? 'p<0.001' : `p=${p.p.toFixed(3)}`
  if (!p.significant) return `~ (${pv} ${n})`
  const pct = (p.ratio - 1) * 100
  const half = ((p.ratio_hi - p.ratio_lo) / 2) * 100
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}% ±${half.toFixed(1)}% ${pv} ${n}`
}
