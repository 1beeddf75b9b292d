/**
 * Latency model benchmark (issue 12): calibrate on the default CPU grid measured in this run,
 * then predict ≥ 20 networks not in it — random (d, w, r) inside the grid's range, B3 and
 * MobileNetV2 — measured in the same run, every network timed against the B0 reference in
 * interleaved rounds (reference-timing.ts). Target: ≥ 90% of predictions within ±10%.
 */
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {resolveTarget, type TargetInput} from '../src/arch/target.js'
import {costTotals, lowerTarget} from '../src/flops/index.js'
import {networkFeatures} from '../src/latency/features.js'
import {calibrate, errorSummary, r2Linear, r2Predicted} from '../src/latency/model.js'
import {buildModel, predict} from '../src/latency/model-file.js'
import {sweepSamples} from '../src/latency/samples.js'
import {loadEmitter} from '../src/sweep/emitter.js'
import {buildGrid, cpuDefault, gridId, measureKey, type GridPoint} from '../src/sweep/grid.js'
import {cachedModel} from '../src/sweep/model-cache.js'
import {baseRecord} from '../src/sweep/point.js'
import {profilePrefix, profileSession} from '../src/sweep/profile.js'
import {ortFactory, ortVersion, type SweepSession} from '../src/sweep/session.js'
import {cpuSession, timeRelative} from './reference-timing.js'

const ROUNDS = Number(process.env.EFFSCALE_BENCH_ROUNDS ?? 10)
const RUNS = Number(process.env.EFFSCALE_BENCH_RUNS ?? 5)
const RANDOM_POINTS = 19
const THREADS = Number(process.env.EFFSCALE_BENCH_THREADS ?? 1)
/** Seed of the random unseen points (another seed: other points, the same method). */
const SEED = Number(process.env.EFFSCALE_BENCH_SEED ?? 12)
/** Profiled runs per calibration network (as `sweep --profile` records them), 0 for none. */
const PROFILE_RUNS = Number(process.env.EFFSCALE_BENCH_PROFILE_RUNS ?? 10)

interface Net {
  label: string
  target: TargetInput
}

export async function bench(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'effscale-bench-latency-'))
  const emitter = await loadEmitter()
  const calGrid = buildGrid(cpuDefault())
  // One session per distinct network: B0 at 128 px sits in three grids.
  const calNets = new Map<string, GridPoint>()
  for (const p of calGrid.points) if (!calNets.has(measureKey(p))) calNets.set(measureKey(p), p)
  const calList = [...calNets.values()]
  const maxMacs = Math.max(...calList.map((p) => costTotals(resolveTarget({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize})).macs))

  // Random points inside the grid's range (d 1…8, w 1…3.8, 128…320 px) and its MACs span.
  const rand = xorshift(SEED)
  const logU = (lo: number, hi: number) => lo * (hi / lo) ** rand()
  const test: Net[] = []
  while (test.length < RANDOM_POINTS) {
    const t = {base: 'efficientnet-b0', depth: round2(logU(1, 8)), width: round2(logU(1, 3.8)), imageSize: 8 * Math.round(logU(128, 320) / 8)}
    if (costTotals(resolveTarget(t)).macs > maxMacs) continue
    test.push({label: `b0 d=${t.depth} w=${t.width} ${t.imageSize}px`, target: t})
  }
  test.push({label: 'efficientnet-b3', target: {model: 'efficientnet-b3'}}, {label: 'mobilenet-v2', target: {model: 'mobilenet-v2'}})

  const open = async (t: TargetInput): Promise<SweepSession> => {
    const model = cachedModel(path.join(tmp, 'cache'), lowerTarget(resolveTarget(t)), {batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 0}, emitter.emit, emitter.id)
    return cpuSession(model, THREADS)
  }
  const refTarget = {model: 'efficientnet-b0'}
  const ref = await open(refTarget)
  const calSessions = await Promise.all(calList.map((p) => open({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize})))
  const testSessions = await Promise.all(test.map((n) => open(n.target)))
  const t0 = performance.now()
  const timed = await timeRelative(ref, [...calSessions, ...testSessions], {rounds: ROUNDS, runs: RUNS, seed: 7})
  const seconds = (performance.now() - t0) / 1000
  for (const s of [ref, ...calSessions, ...testSessions]) await s.release()

  // Kernel times of the calibration networks, as `sweep --profile` writes them (OUT/profiles), in
  // sessions of their own after the timing, so profiling's cost is in no measured latency.
  const dir = path.join(tmp, 'sweep')
  const profiles = path.join(dir, 'profiles')
  mkdirSync(profiles, {recursive: true})
  for (const p of PROFILE_RUNS > 0 ? calList : []) {
    const model = cachedModel(path.join(tmp, 'cache'), lowerTarget(resolveTarget({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize})), {batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 0}, emitter.emit, emitter.id)
    await profileSession(ortFactory, {model, ep: 'cpu', deviceId: 0, threads: THREADS, profilePrefix: profilePrefix(profiles, p.key)}, {warmup: 0, runs: PROFILE_RUNS, seed: 0})
  }

  // The calibration points as a sweep directory (rel_ref and ref_key as the sweep's rounds write them), read by the one reader.
  const refKey = calGrid.points.find((p) => p.model === 'efficientnet-b0')!.key
  const byMeasure = new Map(calList.map((p, i) => [measureKey(p), timed.points[i]]))
  const records = calGrid.points.map((p) => {
    const t = byMeasure.get(measureKey(p))!
    const {macs, params} = costTotals(resolveTarget({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize}))
    const ms = p.key === refKey ? timed.reference : t.latencyMs
    return {...baseRecord(p, 'cpu', macs, params, new Date()), runs: ROUNDS * RUNS, p50_ms: ms, ref_key: refKey, rel_ref: ms / timed.reference}
  })
  writeFileSync(path.join(dir, 'results.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n')
  const device = os.cpus()[0]?.model?.trim() ?? 'unknown CPU'
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ep: 'cpu', device, ort_version: ortVersion(), grid: {id: gridId(calGrid.points.map((p) => p.key)), size: records.length, keys: calGrid.points.map((p) => p.key), source: 'default'}}))
  const data = sweepSamples(dir)
  const model = buildModel(dir, data, calibrate(data.samples))

  console.log(`unseen points: seed ${SEED}`)
  console.log(`${device}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${ROUNDS} rounds × ${RUNS} runs per network, ${THREADS} ORT thread(s) per session, reference efficientnet-b0 (${timed.reference.toFixed(2)} ms) timed before every point; ${seconds.toFixed(0)} s of timing`)
  console.log(`calibration: the default CPU grid, ${data.samples.length} distinct networks (${data.profiled} with kernel profiles of ${PROFILE_RUNS} runs); kept "${model.featureSet}"; leave-one-out median ${pc(model.loo.medianAbsRel)}, p90 ${pc(model.loo.p90AbsRel)}, ${pc(model.loo.within10)} within ±10%`)
  for (const c of model.candidates) console.log(`  candidate "${c.featureSet}": leave-one-out rms ${pc(c.loo.rmsRel)}, ${pc(c.loo.within10)} within ±10%`)
  console.log(`R² of latency on the default sweep: against MACs ${model.r2.macs.toFixed(3)}, against activations ${model.r2.activations.toFixed(3)}, against the model ${model.r2.model.toFixed(3)}`)

  const rows = test.map((n, i) => {
    const net = lowerTarget(resolveTarget(n.target))
    const p = predict(model, net, 1)
    const f = networkFeatures(net, 1, 'fp32')
    const measured = timed.points[calList.length + i]
    return {n, p, f, measured}
  })
  console.log('\nnetwork                                  MACs   measured ms  spread  predicted ms   error')
  for (const r of rows) {
    const err = r.p.latencyMs / r.measured.latencyMs - 1
    console.log(
      `${r.n.label.padEnd(36)} ${(r.f.totalMacs / 1e6).toFixed(0).padStart(6)}M ${r.measured.latencyMs.toFixed(2).padStart(11)}  ±${pc(r.measured.spread).padStart(5)} ${r.p.latencyMs.toFixed(2).padStart(12)}  ${(err >= 0 ? '+' : '') + pc(err)}${Math.abs(err) <= 0.1 ? '' : '  ✗'}${r.p.extrapolating ? '  (extrapolating: ' + r.p.outside.join('; ') + ')' : ''}`,
    )
  }
  const e = errorSummary(rows.map((r) => ({measured: r.measured.latencyMs, predicted: r.p.latencyMs})))
  const ms = rows.map((r) => r.measured.latencyMs)
  console.log(`\npredicted within ±10% of measured: ${rows.filter((r) => Math.abs(r.p.latencyMs / r.measured.latencyMs - 1) <= 0.1).length}/${rows.length} = ${pc(e.within10)} (target ≥ 90%; nn-Meter's 99% the stretch); median error ${pc(e.medianAbsRel)}, max ${pc(e.maxAbsRel)}`)
  const inside = rows.filter((r) => !r.p.extrapolating)
  const insideOk = inside.filter((r) => Math.abs(r.p.latencyMs / r.measured.latencyMs - 1) <= 0.1).length
  console.log(`  of them inside the calibrated range (not extrapolating): ${insideOk}/${inside.length} = ${pc(insideOk / inside.length)}`)
  // Noise floor: standard error of a median of ROUNDS ratios, σ from the interquartile range (σ ≈ IQR / 1.349).
  const se = rows.map((r) => (1.2533 * ((2 * r.measured.spread) / 1.349)) / Math.sqrt(ROUNDS)).sort((a, b) => a - b)
  console.log(`  measurement noise: standard error of a measured latency ≈ ${pc(se[se.length >> 1])} (median over points; ${pc(se[0])}…${pc(se[se.length - 1])}), from the spread over ${ROUNDS} rounds`)
  console.log(`R² on the ${rows.length} unseen networks: against MACs ${r2Linear(rows.map((r) => r.f.totalMacs), ms).toFixed(3)}, against activations ${r2Linear(rows.map((r) => r.f.activations), ms).toFixed(3)}, model predictions ${r2Predicted(ms, rows.map((r) => r.p.latencyMs)).toFixed(3)}`)
  console.log('spread: half the interquartile range of the per-round ratios to the reference, over their median.')
  // Everything measured stays on disk, so the model can be studied without measuring again.
  writeFileSync(path.join(tmp, 'unseen.json'), JSON.stringify(rows.map((r) => ({label: r.n.label, target: r.n.target, ...r.measured, predictedMs: r.p.latencyMs})), null, 2))
  console.log(`measurements: ${dir} (calibration sweep) and ${path.join(tmp, 'unseen.json')}`)
}

const pc = (x: number) => `${(100 * x).toFixed(1)}%`
const round2 = (x: number) => Math.round(x * 100) / 100

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4294967296
  }
}
