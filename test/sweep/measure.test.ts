import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {timeRuns} from '../../src/sweep/measure.js'
import {profileRuns} from '../../src/sweep/profile.js'
import {latencyStats, percentile} from '../../src/sweep/stats.js'

/** Clock that returns the given readings in order. */
function script(readings: number[]): () => number {
  let i = 0
  return () => {
    if (i >= readings.length) throw new Error('clock read too often')
    return readings[i++]
  }
}

describe('timing with an injected clock', () => {
  it('times the first run apart, skips warm-up, then one sample per run', async () => {
    let calls = 0
    const run = async () => void calls++
    // first run: 0 → 50; warm-up (no reads); start 100; runs of 10, 20, 30, 40 ms.
    const clock = script([0, 50, 100, 100, 110, 110, 130, 130, 160, 160, 200])
    const t = await timeRuns(run, {warmup: 2, runs: 4, minTimeMs: 0}, clock)
    assert.equal(t.firstRunMs, 50)
    assert.deepEqual(t.samples, [10, 20, 30, 40])
    assert.equal(calls, 1 + 2 + 4)
  })

  it('keeps running until both the count and the minimum time are reached', async () => {
    let now = 0
    const clock = () => (now += 5)
    const t = await timeRuns(async () => undefined, {warmup: 0, runs: 2, minTimeMs: 100}, clock)
    assert.ok(t.samples.length > 2)
    assert.ok(t.samples.every((s) => s === 5))
    // Timed time starts at the read before the first timed run (15) and each run ends 10 ms later: 10 runs reach 100 ms.
    assert.equal(t.samples.length, 10)
    const capped = await timeRuns(async () => undefined, {warmup: 0, runs: 2, minTimeMs: 1e9, maxRuns: 7}, clock)
    assert.equal(capped.samples.length, 7)
  })

  it('stops at the signal and says so', async () => {
    const ac = new AbortController()
    let n = 0
    const t = await timeRuns(async () => void (++n === 5 && ac.abort()), {warmup: 0, runs: 1000, minTimeMs: 0}, () => 0, ac.signal)
    assert.equal(t.aborted, true)
    // The first run is not a sample; the run that saw the signal is the last one.
    assert.equal(n, 5)
    assert.equal(t.samples.length, 4)
    const inWarmup = new AbortController()
    let m = 0
    const w = await timeRuns(async () => void (++m === 2 && inWarmup.abort()), {warmup: 10, runs: 1, minTimeMs: 0}, () => 0, inWarmup.signal)
    assert.deepEqual([w.aborted, w.samples.length, m], [true, 0, 2])
  })

  it('exact percentiles, mean and stdev (linear interpolation)', () => {
    const s = latencyStats([40, 10, 30, 20, 50, 60, 70, 80, 90, 100])
    assert.equal(s.runs, 10)
    assert.equal(s.min_ms, 10)
    assert.equal(s.mean_ms, 55)
    assert.equal(s.p50_ms, 55)
    assert.equal(s.p90_ms, 91)
    assert.equal(s.p99_ms, 99.1)
    assert.ok(Math.abs(s.stdev_ms - Math.sqrt(9166.666666666666 / 10)) < 1e-9)
    assert.equal(percentile([7], 99), 7)
  })

  it('profile traces: kernel time summed inside each model_run', () => {
    const ev = [
      {cat: 'Session', name: 'model_run', ts: 100, dur: 1000},
      {cat: 'Node', name: 'Conv_0_kernel_time', ts: 150, dur: 300},
      {cat: 'Node', name: 'Relu_1_kernel_time', ts: 500, dur: 200},
      {cat: 'Session', name: 'model_run', ts: 2000, dur: 500},
      {cat: 'Node', name: 'Conv_0_kernel_time', ts: 2100, dur: 250},
    ]
    assert.deepEqual(profileRuns(ev), [{runMs: 1, kernelMs: 0.5}, {runMs: 0.5, kernelMs: 0.25}])
  })
})
