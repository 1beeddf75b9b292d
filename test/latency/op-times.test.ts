import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {test} from 'node:test'
import {resolveTarget} from '../../src/arch/target.js'
import {lowerTarget} from '../../src/flops/index.js'
import {networkFeatures, type Features} from '../../src/latency/features.js'
import {calibrate, fitSetByOps, FEATURE_SETS, predictMs, type Sample} from '../../src/latency/model.js'
import {opOfNode, opTimes, type TraceEvent} from '../../src/latency/op-times.js'
import {sweepSamples} from '../../src/latency/samples.js'
import {safeName} from '../../src/sweep/profile.js'
import {runCli} from '../helpers/cli.js'
import {tinyGrid} from '../sweep/helpers.js'
import {lawSweep} from './helpers.js'

const net = lowerTarget(resolveTarget({model: 'efficientnet-b0'}))
const node = (name: string, ts: number, dur: number): TraceEvent => ({cat: 'Node', name: `${name}_kernel_time`, ts, dur})
const run = (ts: number, dur: number): TraceEvent => ({cat: 'Session', name: 'model_run', ts, dur})

test('a kernel is charged to the op whose name it starts with at a separator; inserted reorders to the next op', () => {
  const names = new Set(net.ops.map((o) => o.name))
  assert.equal(opOfNode('stage2.block1.expand.conv_nchwc', names), 'stage2.block1.expand')
  assert.equal(opOfNode('stage2.block1.expand.swish/QuickGeluFusion/', names), 'stage2.block1.expand')
  assert.equal(opOfNode('stage1.block1.se.expand_nchwc', names), 'stage1.block1.se.expand')
  assert.equal(opOfNode('stage1.block1.se.scale', names), 'stage1.block1.se.scale')
  assert.equal(opOfNode('ReorderOutput_token_297', names), undefined)
  // "stage1.block1.dwx" is not op "stage1.block1.dw": a prefix counts only up to a separator.
  assert.equal(opOfNode('stage1.block1.dwx', names), undefined)

  // Two runs, times in µs; a reorder before the SE multiply is charged to it.
  const trace = [
    run(0, 1000),
    node('stage1.block1.dw.conv_nchwc', 10, 100),
    node('stage1.block1.dw.swish/QuickGeluFusion/', 120, 50),
    node('ReorderOutput_token_1', 200, 30),
    node('stage1.block1.se.scale', 240, 70),
    run(2000, 1000),
    node('stage1.block1.dw.conv_nchwc', 2010, 300),
    node('stage1.block1.dw.swish/QuickGeluFusion/', 2320, 50),
    node('ReorderOutput_token_1', 2400, 30),
    node('stage1.block1.se.scale', 2440, 70),
  ]
  // A second trace (another session opening) has its own clock: its runs are its own.
  const second = [run(0, 1000), node('stage1.block1.dw.conv_nchwc', 10, 200), node('stage1.block1.se.scale', 300, 100)]
  const t = opTimes([trace, second], net)
  assert.equal(t.runs, 3)
  assert.equal(t.perOp.get('stage1.block1.dw'), 0.2, 'median of 0.15, 0.35 and 0.2 ms')
  assert.equal(t.perOp.get('stage1.block1.se.scale'), 0.1, 'median of 0.1, 0.1, 0.1 ms (the reorder included)')
  assert.equal(t.perOp.has('stage2.block2.add'), false)
})

/** A made-up CPU, op by op: 1×1 convs 4 GMAC/s, depthwise 1 GB/s, swish passes 3 GB/s, 15 µs a kernel; a run costs its kernels + 0.4 ms. */
const opMs = (f: Features) => f.macs.pointwise / 4e6 + f.bytes.depthwise / 1e6 + f.actBytes.swish / 3e6 + 0.015 * Object.values(f.ops).reduce((a, b) => a + b, 0)
function profiled(depth: number, width: number, imageSize: number): Sample {
  const n = lowerTarget(resolveTarget({base: 'efficientnet-b0', depth, width, imageSize}))
  const ops = n.ops.map((op) => {
    const features = networkFeatures({...n, ops: [op]}, 1, 'fp32')
    return {features, ms: opMs(features)}
  })
  const features = networkFeatures(n, 1, 'fp32')
  return {label: `d${depth} w${width} ${imageSize}`, features, ms: ops.reduce((a, o) => a + o.ms, 0) + 0.4, ops}
}

test('fitted op by op: a per-class law is recovered from kernel times, the fixed cost per inference from the latencies', () => {
  const grid = [[1, 1, 128], [2, 1, 128], [1, 1.4, 128], [1, 2.6, 128], [1, 1, 192]].map(([d, w, s]) => profiled(d, w, s))
  const name = 'roofline per op class, activation passes, kernels per class'
  const fit = fitSetByOps(name, FEATURE_SETS[name], grid)
  for (const [d, w, s] of [[3, 1.8, 144], [1.5, 1.2, 256]]) {
    const p = profiled(d, w, s)
    assert.ok(Math.abs(predictMs(fit, p.features) / p.ms - 1) < 1e-6, `${predictMs(fit, p.features)} vs ${p.ms}`)
  }
  // Whole-network latencies of one family cannot tell the swish passes from the convs they follow;
  // kernel times can, and leave-one-out says so: calibrate keeps an op-by-op fit.
  const c = calibrate(grid)
  assert.match(c.featureSet, /fitted op by op$/)
  assert.ok(c.loo.maxAbsRel < 1e-6, JSON.stringify(c.loo))
  const wholeOnly = c.candidates.filter((x) => !x.featureSet.endsWith('op by op'))
  assert.ok(wholeOnly.every((x) => x.loo.rmsRel > c.loo.rmsRel))
})

test('a sweep directory with profiles/ gives its samples kernel times; one without gives none', () => {
  const dir = lawSweep()
  const plain = sweepSamples(dir)
  assert.equal(plain.profiled, 0)
  assert.ok(plain.samples.every((s) => s.ops === undefined))
  // A trace for the first network of the sweep, named as `sweep --profile` names them.
  const first = plain.samples[0]
  const records = readFileSync(path.join(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {key: string; runs_key?: string | null; model: string})
  const rec = records.find((r) => r.model === first.label)!
  mkdirSync(path.join(dir, 'profiles'))
  const trace = [run(0, 5000), node('stem.conv_nchwc', 10, 400), node('stem.swish/QuickGeluFusion/', 420, 100)]
  writeFileSync(path.join(dir, 'profiles', `${safeName(rec.runs_key ?? rec.key)}_o1_2026-12-02_10-00-00.json`), JSON.stringify(trace))
  writeFileSync(path.join(dir, 'profiles', `${safeName(rec.runs_key ?? rec.key)}_o2_2026-12-02_10-00-01.json`), '[{"cat": "Sess')
  const withProfile = sweepSamples(dir)
  assert.equal(withProfile.profiled, 1)
  const s = withProfile.samples.find((x) => x.label === first.label)!
  assert.equal(s.ops!.length, s.features.ops.pointwise + s.features.ops.depthwise + s.features.ops.dense + s.features.ops.elementwise + s.features.ops.linear)
  assert.equal(s.ops!.reduce((a, o) => a + o.ms, 0), 0.5)
  assert.ok(withProfile.skipped.some((x) => /profile .*_o2_.*\.json/.test(x)), 'a torn trace is skipped with its name')
})

test('sweep --profile → calibrate: the real ORT kernels of every network are charged to its ops, and the fit is op by op', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-profiled-'))
  const out = path.join(dir, 'sweep')
  const s = runCli(['sweep', '--ep', 'cpu', '--grid', tinyGrid(dir), '--profile', '--rounds', '2', '--max-rounds', '2', '--runs', '3', '--min-time-ms', '0', '--out', out, '--cache', path.join(dir, 'cache'), '--json'])
  assert.equal(s.status, 0, s.stderr)
  const data = sweepSamples(out)
  assert.equal(data.profiled, data.samples.length)
  for (const sample of data.samples) {
    // Every conv, pool and multiply ran a kernel of its own, charged to it by name; only adds fused into a conv cost nothing.
    const unpaid = sample.ops!.filter((o) => o.ms === 0)
    assert.ok(unpaid.length <= sample.features.ops.elementwise, `${sample.label}: ${unpaid.length} ops without kernel time`)
    assert.ok(sample.ops!.filter((o) => o.features.ops.pointwise + o.features.ops.depthwise + o.features.ops.dense > 0).every((o) => o.ms > 0), sample.label)
  }
  const model = path.join(dir, 'model.json')
  const c = runCli(['calibrate', '--sweep', out, '--out', model])
  assert.equal(c.status, 0, c.stderr)
  assert.match(c.stdout, new RegExp(`fitted op by op on the kernel times of ${data.samples.length} profiled networks`))
  const m = JSON.parse(readFileSync(model, 'utf8')) as {featureSet: string; source: {profiled: number}; range: {activations: string[]}}
  assert.match(m.featureSet, /fitted op by op$/)
  assert.equal(m.source.profiled, data.samples.length)
  assert.deepEqual(m.range.activations, ['sigmoid', 'swish'])
  // MobileNetV2's ReLU6 was never calibrated: the prediction says it extrapolates, and why.
  const p = runCli(['predict', '--latency-model', model, '--model', 'mobilenet-v2', '--json'])
  assert.equal(p.status, 0, p.stderr)
  assert.ok((JSON.parse(p.stdout) as {outside: string[]}).outside.some((x) => /^activation relu6 not in the calibration \(sigmoid, swish\)$/.test(x)), p.stdout)
})
