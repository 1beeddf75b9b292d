/**
 * Timing one session: a timed first run, untimed warm-up (same input shape: cuDNN picks its
 * algorithms there), then timed runs until both --runs and --min-time-ms are reached. The
 * loop adds only two clock reads per run (bench/sweep.bench.ts measures the overhead).
 */
import type {Clock} from './clock.js'

export interface TimingOptions {
  /** Untimed runs after the first. */
  warmup: number
  /** At least this many timed runs. */
  runs: number
  /** And at least this much timed time (ms). */
  minTimeMs: number
  /** Hard cap on timed runs (guards a min time on a very fast model). */
  maxRuns?: number
}

export interface Timing {
  firstRunMs: number
  samples: number[]
  /** True when stopped early by the signal (the point should not be recorded). */
  aborted: boolean
}

export async function timeRuns(
  run: () => Promise<unknown>,
  opts: TimingOptions,
  clock: Clock,
  signal?: AbortSignal,
): Promise<Timing> {
  const f0 = clock()
  await run()
  const firstRunMs = clock() - f0
  for (let i = 0; i < opts.warmup; i++) {
    if (signal?.aborted) return {firstRunMs, samples: [], aborted: true}
    await run()
  }
  const maxRuns = opts.maxRuns ?? 100_000
  const samples: number[] = []
  const start = clock()
  for (;;) {
    if (signal?.aborted) return {firstRunMs, samples, aborted: true}
    const a = clock()
    await run()
    const b = clock()
    samples.push(b - a)
    if (samples.length >= maxRuns || (samples.length >= opts.runs && b - start >= opts.minTimeMs)) break
  }
  return {firstRunMs, samples, aborted: false}
}

/** Per round: at least `runs` timed runs and at least `minTimeMs` of timed time. */
export interface RoundTiming {
  runs: number
  minTimeMs: number
  maxRuns?: number
}

/** One round of a point on an open, warm session: timed runs only (two clock reads each). */
export async function timeRound(run: () => Promise<unknown>, opts: RoundTiming, clock: Clock, signal?: AbortSignal): Promise<{samples: number[]; aborted: boolean}> {
  const maxRuns = opts.maxRuns ?? 100_000
  const samples: number[] = []
  const start = clock()
  for (;;) {
    if (signal?.aborted) return {samples, aborted: true}
    const a = clock()
    await run()
    const b = clock()
    samples.push(b - a)
    if (samples.length >= maxRuns || (samples.length >= opts.runs && b - start >= opts.minTimeMs)) break
  }
  return {samples, aborted: false}
}

/** The sweep's timing: per round (`runs`, `minTimeMs`), how many rounds, when a point is stable. */
export interface SweepTiming extends TimingOptions {
  /** At least this many rounds. */
  rounds: number
  /** At most this many rounds. */
  maxRounds: number
  /** Stable when the 95% interval's half-width ≤ maxCi × median (0.05 = 5%). */
  maxCi: number
  /** No new round starts once this much time has passed since the first (ms), once 2 rounds are done (even below `rounds`). */
  timeBudgetMs: number
}
