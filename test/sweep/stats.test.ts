/** Intervals and tests behind `stable` and `compare`, checked by simulation with seeded samples (no clock, no timing). */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {refMedians, roundOrder, roundStats, type RoundRun} from '../../src/sweep/rounds.js'
import {mannWhitneyP, medianCI, seededRandom, shuffled} from '../../src/sweep/stats.js'

/** Samples of a distribution with a known median, by inverse CDF of a uniform u. */
const DISTRIBUTIONS: Record<string, {median: number; draw: (u: number, v: number) => number}> = {
  // Box–Muller normal around 10 ms.
  normal: {median: 10, draw: (u, v) => 10 + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v)},
  // Lognormal(σ = 1): skewed, median e^μ.
  lognormal: {median: Math.exp(2), draw: (u, v) => Math.exp(2 + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v))},
  // Pareto(α = 1.2): infinite variance, median 2^(1/α) × 5.
  pareto: {median: 5 * Math.pow(2, 1 / 1.2), draw: (u) => 5 / Math.pow(1 - u, 1 / 1.2)},
}

describe('95% interval of the median', () => {
  for (const [name, dist] of Object.entries(DISTRIBUTIONS)) {
    for (const n of [6, 11, 40]) {
      it(`${name}, ${n} values: covers the true median in ≈ 95% of 1,000 samples`, () => {
        const rand = seededRandom(n * 31 + name.length)
        let covered = 0
        for (let s = 0; s < 1000; s++) {
          const xs = Array.from({length: n}, () => dist.draw(rand(), rand()))
          const ci = medianCI(xs)
          if (ci.lo <= dist.median && dist.median <= ci.hi) covered++
        }
        // Binomial(1000, 0.95) has sd 6.9: 93–97% is ±3 sd.
        assert.ok(covered >= 930 && covered <= 970, `${name} n=${n}: covered ${covered}/1000`)
      })
    }
  }

  it('a point timed in rounds: the interval from round medians covers the true median ≈ 95% (heavy tails, 6–20 rounds)', () => {
    for (const [name, dist] of Object.entries(DISTRIBUTIONS)) {
      const rand = seededRandom(7 + name.length)
      let covered = 0
      for (let s = 0; s < 1000; s++) {
        const rounds: RoundRun[] = Array.from({length: 6 + (s % 15)}, (_, k) => ({
          key: 'p', round: k + 1, ref_key: 'p', ref_ms: null,
          // An odd count of runs per round: the median of a round median is the median itself.
          runs_ms: Array.from({length: 3 + 2 * (s % 3)}, () => dist.draw(rand(), rand())),
        }))
        const st = roundStats(rounds, 0.05)
        if (st.ci_lo_ms <= dist.median && dist.median <= st.ci_hi_ms) covered++
      }
      assert.ok(covered >= 930 && covered <= 975, `${name}: covered ${covered}/1000`)
    }
  })

  it('fewer than 6 values: no 95% interval exists, [min, max] and never stable', () => {
    assert.deepEqual(medianCI([3, 1, 2]), {lo: 1, hi: 3})
    const r = (round: number): RoundRun => ({key: 'p', round, runs_ms: [10, 10, 10], ref_key: 'p', ref_ms: 10})
    assert.equal(roundStats([1, 2, 3, 4, 5].map(r), 0.05).stable, false)
    const six = roundStats([1, 2, 3, 4, 5, 6].map(r), 0.05)
    assert.deepEqual([six.stable, six.ci_rel, six.rel_ref, six.rounds, six.runs], [true, 0, 1, 6, 18])
  })

  it('rel_ref pairs a round with the reference\'s own line of that round when the line kept none (the reference came later)', () => {
    const rounds: RoundRun[] = [1, 2, 3].map((k) => ({key: 'p', round: k, runs_ms: [30 * k], ref_key: 'r', ref_ms: null}))
    const ref: RoundRun[] = [1, 2, 3].map((k) => ({key: 'r', round: k, runs_ms: [10 * k], ref_key: 'r', ref_ms: 10 * k}))
    assert.equal(roundStats(rounds, 0.05).rel_ref, null)
    assert.equal(roundStats(rounds, 0.05, refMedians(ref)).rel_ref, 3)
    // Rounds of another input directory (sweep merge) do not pair.
    assert.equal(roundStats(rounds.map((r) => ({...r, from: 1})), 0.05, refMedians(ref)).rel_ref, null)
  })

  it('rel_ref: the ratio to the reference of the same round cancels a machine that slows down', () => {
    // The machine gets 3× slower from round 4; the point is always 2× the reference.
    const rounds: RoundRun[] = Array.from({length: 8}, (_, k) => {
      const f = k >= 3 ? 3 : 1
      return {key: 'p', round: k + 1, runs_ms: [20 * f, 20.2 * f, 19.8 * f], ref_key: 'r', ref_ms: 10 * f}
    })
    const st = roundStats(rounds, 0.05)
    assert.equal(st.stable, false)
    assert.ok(Math.abs(st.rel_ref! - 2) < 1e-12)
    assert.ok(Math.abs(st.rel_ci_lo! - 2) < 1e-12 && Math.abs(st.rel_ci_hi! - 2) < 1e-12)
  })
})

describe('round order', () => {
  it('deterministic by seed and round, a different order per round and seed, the reference shuffled with the rest', () => {
    const items = Array.from({length: 20}, (_, i) => i)
    assert.deepEqual(roundOrder(items, 3, 2), roundOrder(items, 3, 2))
    assert.notDeepEqual(roundOrder(items, 3, 2), roundOrder(items, 3, 3))
    assert.notDeepEqual(roundOrder(items, 3, 2), roundOrder(items, 4, 2))
    assert.deepEqual([...shuffled(items, 9)].sort((a, b) => a - b), items)
    // Item 0 (the reference, listed first) is not first in every round.
    const firsts = new Set(Array.from({length: 10}, (_, r) => roundOrder(items, 3, r + 1)[0]))
    assert.ok(firsts.size > 3)
  })
})

describe('Mann–Whitney U', () => {
  it('p ≈ uniform under the null (≈ 5% below 0.05), and small for a 15% shift', () => {
    const rand = seededRandom(11)
    const draw = () => DISTRIBUTIONS.lognormal.draw(rand(), rand())
    let rejected = 0
    for (let s = 0; s < 1000; s++) {
      const a = Array.from({length: 30}, draw)
      const b = Array.from({length: 30}, draw)
      if (mannWhitneyP(a, b) < 0.05) rejected++
    }
    assert.ok(rejected >= 30 && rejected <= 70, `rejected ${rejected}/1000 under the null`)
    const tight = () => 10 * (1 + 0.02 * (rand() - 0.5))
    const a = Array.from({length: 20}, tight)
    const b = Array.from({length: 20}, () => 1.15 * tight())
    assert.ok(mannWhitneyP(a, b) < 1e-6)
    assert.equal(mannWhitneyP([1, 1, 1], [1, 1, 1]), 1)
  })
})
