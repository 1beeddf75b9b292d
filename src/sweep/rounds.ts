/**
 * Interleaved rounds: each round times every point still measured, the reference among them,
 * in an order shuffled by the seed (a fixed place in the round would give the reference an error
 * of its own, from whatever the machine does at that place). A point's statistics come from its rounds (pure, recomputable from
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
  /**
   * Key of this point's reference, and the median of the reference's runs in this round when it
   * was timed before this point (else null: the reference's own line of the round has it).
   */
  ref_key: string
  ref_ms: number | null
  /** Set by `sweep merge`: which input directory the line came from (rounds pair within one). */
  from?: number
  /**
   * A reference's round timed after its own figure settled, only as the denominator of points
   * still measured: not part of its record, since no other point is timed past settling (late
   * rounds hold few points, and there the default reference ran 10–20% faster than in full ones).
   */
  ref_only?: true
}

/** The rounds a point's own record rests on (every line but a reference's `ref_only` ones). */
export const ownRounds = (rounds: readonly RoundRun[]): RoundRun[] => rounds.filter((r) => !r.ref_only)

/** Round id for pairing a point's round with its reference's: round number within one directory of origin. */
export const roundId = (r: Pick<RoundRun, 'round' | 'from'>) => `${r.from ?? ''}#${r.round}`

/** The reference's median per round id, from its own lines. */
export function refMedians(refRounds: readonly RoundRun[]): Map<string, number> {
  return new Map(refRounds.map((r) => [roundId(r), median(r.runs_ms)]))
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
export function roundStats(rounds: readonly RoundRun[], maxCi: number, refs?: ReadonlyMap<string, number>): RoundStats {
  const all = rounds.flatMap((r) => r.runs_ms)
  const st = latencyStats(all)
  const medians = rounds.map((r) => median(r.runs_ms))
  const ci = medianCI(medians)
  const ciRel = (ci.hi - ci.lo) / 2 / st.p50_ms
  // The reference of the same round: from its own line when known, else the one this line kept.
  const refOf = (r: RoundRun) => refs?.get(roundId(r)) ?? r.ref_ms
  const ratios = rounds.flatMap((r) => {
    const ref = refOf(r)
    return ref !== null && ref !== undefined && ref > 0 ? [median(r.runs_ms) / ref] : []
  })
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

/** The order of a round: the references and the other points together, shuffled by seed and round. */
export function roundOrder<T>(units: readonly T[], seed: number, round: number): T[] {
  return shuffled(units, (seed * 1_000_003 + round * 7919) >>> 0)
}
