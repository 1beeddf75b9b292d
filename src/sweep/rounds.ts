/**
 * Interleaved rounds: each round times every point still measured, in an order shuffled by the
 * seed, the reference first. A point's statistics come from its rounds (pure, recomputable from
 * runs.jsonl): latency over all timed runs, the 95% interval from the round medians (the runs
 * of one round share the machine's phase, so rounds are the independent units), and its
 * latency relative to the reference of the same round.
 */
import {latencyStats, median, medianCI, MIN_CI_SAMPLES, shuffled, type LatencyStats} from './stats.js'

/** One line of runs.jsonl: the timed runs of one point in one round. */
export interface RoundRun {
  /** Key of the point measured (the record's `runs_key`). */
  key: string
  round: number
  /** Timed runs, ms, in order. */
  runs_ms: number[]
  /** Key of this point's reference, and the median of the reference's runs in this round (null when the reference failed). */
  ref_key: string
  ref_ms: number | null
}

export interface RoundStats extends LatencyStats {
  rounds: number
  /** 95% interval of the median latency, ms. */
  ci_lo_ms: number
  ci_hi_ms: number
  /** Half-width of that interval over the median, e.g. 0.031 for ±3.1%. */
  ci_rel: number
  stable: boolean
  /** Median over rounds of (this point's round median / the reference's round median), and its 95% interval. */
  rel_ref: number | null
  rel_ci_lo: number | null
  rel_ci_hi: number | null
}

/** Statistics of one point from its rounds; stable = ≥ MIN_CI_SAMPLES rounds and CI half-width ≤ maxCi × median. */
export function roundStats(rounds: readonly RoundRun[], maxCi: number): RoundStats {
  const all = rounds.flatMap((r) => r.runs_ms)
  const st = latencyStats(all)
  const medians = rounds.map((r) => median(r.runs_ms))
  const ci = medianCI(medians)
  const ciRel = (ci.hi - ci.lo) / 2 / st.p50_ms
  const ratios = rounds.filter((r) => r.ref_ms !== null && r.ref_ms > 0).map((r) => median(r.runs_ms) / r.ref_ms!)
  const rel = ratios.length ? medianCI(ratios) : undefined
  return {
    ...st,
    rounds: rounds.length,
    ci_lo_ms: ci.lo,
    ci_hi_ms: ci.hi,
    ci_rel: ciRel,
    stable: rounds.length >= MIN_CI_SAMPLES && ciRel <= maxCi,
    rel_ref: ratios.length ? median(ratios) : null,
    rel_ci_lo: rel?.lo ?? null,
    rel_ci_hi: rel?.hi ?? null,
  }
}

/** The order of a round: references first (every round starts by timing them), the rest shuffled by seed and round. */
export function roundOrder<T>(refs: readonly T[], others: readonly T[], seed: number, round: number): T[] {
  return [...refs, ...shuffled(others, (seed * 1_000_003 + round * 7919) >>> 0)]
}
