/**
 * Reference-relative timing (until the sweep's own interleaved rounds replace it): every round
 * visits the points in a shuffled order and times the reference right before each point, so
 * both see the same phase of a shared, noisy machine. Each visit keeps its fastest run (the
 * least disturbed by neighbours); a point's latency = median over rounds of (its fastest /
 * the reference's fastest in the same pair) × the reference's median fastest over the whole
 * run: slow phases cancel in the ratio.
 */
import * as ort from 'onnxruntime-node'
import {timeRuns} from '../src/sweep/measure.js'
import {realClock} from '../src/sweep/clock.js'
import {makeInput, type SweepSession} from '../src/sweep/session.js'
import {percentile} from '../src/sweep/stats.js'

export interface RelativeTiming {
  /** ms, as reference-relative latency. */
  latencyMs: number
  /** Median ratio to the reference. */
  relRef: number
  /** Half-width of the middle half of the per-round ratios over their median (a spread, not a CI). */
  spread: number
}

const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 50)

export async function timeRelative(
  reference: SweepSession,
  points: readonly SweepSession[],
  opts: {rounds: number; runs: number; seed: number},
): Promise<{reference: number; points: RelativeTiming[]}> {
  const run = (s: SweepSession) => {
    const feeds = {[s.input.name]: makeInput(s.input, 0)}
    return async () => Math.min(...(await timeRuns(() => s.run(feeds), {warmup: 0, runs: opts.runs, minTimeMs: 0}, realClock)).samples)
  }
  const ref = run(reference)
  const timers = points.map(run)
  // Warm every session once: first runs allocate.
  await ref()
  for (const t of timers) await t()
  const refMs: number[] = []
  const ratios: number[][] = points.map(() => [])
  let x = opts.seed >>> 0 || 1
  const rand = () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 4294967296
  }
  for (let round = 0; round < opts.rounds; round++) {
    const order = points.map((_, i) => i)
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[order[i], order[j]] = [order[j], order[i]]
    }
    for (const i of order) {
      const r = await ref()
      const p = await timers[i]()
      refMs.push(r)
      ratios[i].push(p / r)
    }
  }
  const refMedian = median(refMs)
  return {
    reference: refMedian,
    points: ratios.map((rs) => {
      const m = median(rs)
      const s = [...rs].sort((a, b) => a - b)
      return {latencyMs: m * refMedian, relRef: m, spread: (percentile(s, 75) - percentile(s, 25)) / 2 / m}
    }),
  }
}

/**
 * CPU sessions with a fixed thread count: on a machine shared by several jobs, ORT's default
 * (one spinning thread per core) turns every neighbour's burst into noise; one thread per
 * session makes a network's time its own. The latency model is then of this CPU at this count.
 */
export async function cpuSession(model: string, threads: number): Promise<SweepSession> {
  ort.env.logLevel = 'fatal'
  const s = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
  })
  const meta = s.inputMetadata[0]
  if (!meta?.isTensor) throw new Error('model has no tensor input')
  return {
    input: {name: meta.name, type: meta.type, shape: meta.shape.map(Number)},
    run: (feeds) => s.run(feeds),
    endProfiling: () => s.endProfiling(),
    release: () => s.release(),
  }
}
