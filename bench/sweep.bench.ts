/**
 * Sweep benchmarks. (1) effscale's per-run latency vs a bare `session.run` loop on the same
 * session (target: overhead < 3%), alternating blocks so drift hits both alike. (2) the default
 * CPU sweep end to end, cold model cache (target: < 60 s). EFFSCALE_BENCH_EP=cuda benches CUDA.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {resolveTarget} from '../src/arch/target.js'
import {lowerTarget} from '../src/flops/index.js'
import {PACKAGE_ROOT} from '../src/paths.js'
import {realClock} from '../src/sweep/clock.js'
import {loadEmitter} from '../src/sweep/emitter.js'
import {timeRuns} from '../src/sweep/measure.js'
import {cachedModel} from '../src/sweep/model-cache.js'
import {makeInput, ortFactory, type Ep} from '../src/sweep/session.js'
import {percentile} from '../src/sweep/stats.js'

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50)

export async function bench(): Promise<void> {
  const ep = (process.env.EFFSCALE_BENCH_EP ?? 'cpu') as Ep
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'effscale-bench-'))
  const emitter = await loadEmitter()
  const net = lowerTarget(resolveTarget({model: 'efficientnet-b0'}))
  const model = cachedModel(tmp, net, {batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 0}, emitter.emit, emitter.id)
  const s = await ortFactory({model, ep, deviceId: 0})
  const feeds = {[s.input.name]: makeInput(s.input, 0)}
  for (let i = 0; i < 20; i++) await s.run(feeds)

  const n = 50
  const bare: number[] = []
  const ours: number[] = []
  for (let block = 0; block < 8; block++) {
    const t0 = performance.now()
    for (let i = 0; i < n; i++) await s.run(feeds)
    bare.push((performance.now() - t0) / n)
    const t = await timeRuns(() => s.run(feeds), {warmup: 0, runs: n, minTimeMs: 0}, realClock)
    ours.push(t.samples.reduce((a, x) => a + x, 0) / t.samples.length)
  }
  await s.release()
  const b = median(bare)
  const o = median(ours)
  console.log(`efficientnet-b0 224 px batch 1 on ${ep}: bare session.run loop ${b.toFixed(3)} ms/run, effscale timed loop ${o.toFixed(3)} ms/run (means of samples)`)
  console.log(`  overhead ${(((o - b) / b) * 100).toFixed(2)}% (target < 3%; 8 alternating blocks of ${n} runs, median of block means)`)

  if (ep !== 'cpu') return
  const out = path.join(tmp, 'default')
  const t0 = performance.now()
  execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'run.js'), 'sweep', '--ep', 'cpu', '--out', out, '--cache', path.join(tmp, 'cold'), '--json'], {stdio: ['ignore', 'ignore', 'inherit']})
  const sec = (performance.now() - t0) / 1000
  console.log(`default CPU sweep (effscale sweep --ep cpu, cold model cache, ${os.cpus().length} cores): ${sec.toFixed(1)} s end to end (target < 60 s)`)
}
