import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {lower} from '../../src/arch/lower.js'
import {resolvePoint} from '../../src/arch/point.js'
import {baseByName} from '../../src/arch/target.js'
import {opTraffic} from '../../src/flops/costs.js'
import {networkFeatures, opClass} from '../../src/latency/features.js'
import {calibrate, fitSet, FEATURE_SETS, predictMs, r2Linear} from '../../src/latency/model.js'
import {nnls} from '../../src/latency/nnls.js'
import {assertUsageError, runCli} from '../helpers/cli.js'
import {lawSweep, point} from './helpers.js'

test('nnls: the constrained optimum by hand, and the unconstrained one when it is non-negative', () => {
  // min (x1 − 2)² + (x2 + 1)² + (x1 + x2 − 1)² with x ≥ 0: x2 = 0 is active, then x1 = 1.5.
  const x = nnls([[1, 0], [0, 1], [1, 1]], [2, -1, 1])
  assert.ok(Math.abs(x[0] - 1.5) < 1e-9 && x[1] === 0, `${x}`)
  // Exact data from x = (3, 0.5) on wildly scaled columns is recovered.
  const A = [[1e9, 2], [3e9, 1], [2e9, 7], [5e8, 3]]
  const y = nnls(A, A.map((r) => 3e-9 * r[0] + 0.5 * r[1]))
  assert.ok(Math.abs(y[0] / 3e-9 - 1) < 1e-6 && Math.abs(y[1] / 0.5 - 1) < 1e-6, `${y}`)
})

test('calibration recovers a known roofline law and predicts unseen points exactly', () => {
  const samples = [[1, 1, 128], [2, 1, 128], [4, 1, 128], [1, 1.4, 128], [1, 2.6, 128], [1, 1, 192], [1, 1, 256], [1.2, 1.1, 160], [3, 1.8, 144]].map(([d, w, s]) => point(d, w, s))
  const c = calibrate(samples)
  assert.ok(c.loo.maxAbsRel < 1e-6, `${c.featureSet}: ${JSON.stringify(c.loo)}`)
  for (const [d, w, s] of [[1.5, 1.3, 176], [2.5, 2.1, 136]]) {
    const p = point(d, w, s)
    assert.ok(Math.abs(predictMs(c, p.features) / p.ms - 1) < 1e-6)
  }
  // A law the set cannot express is not recovered: MACs alone leaves a real error.
  const macsOnly = fitSet('macs', ['macs'], samples)
  const worst = Math.max(...samples.map((s) => Math.abs(predictMs(macsOnly, s.features) / s.ms - 1)))
  assert.ok(worst > 0.05, `${worst}`)
  assert.ok(Object.keys(FEATURE_SETS).includes(c.featureSet))
})

test('r2Linear is the squared correlation', () => {
  assert.ok(Math.abs(r2Linear([1, 2, 3, 4], [2, 4, 6, 8]) - 1) < 1e-12)
  assert.ok(Math.abs(r2Linear([1, 2, 3, 4], [1, 3, 2, 4]) - 0.64) < 1e-12)
})

test('calibrate → predict: an unmeasured point on the law, the range, extrapolation and refusals', () => {
  const dir = lawSweep()
  const out = path.join(path.dirname(dir), 'model.json')
  const cal = runCli(['calibrate', '--sweep', dir, '--out', out])
  assert.equal(cal.status, 0, cal.stderr)
  assert.match(cal.stdout, /leave-one-out/)
  assert.match(cal.stdout, /R² of measured latency: against MACs [\d.]+, against activations [\d.]+, against the model 1\.000/)
  const model = JSON.parse(readFileSync(out, 'utf8'))
  assert.deepEqual([model.identity.ep, model.identity.dtype, model.identity.input, model.identity.device], ['cpu', 'fp32', 'float32-nchw', 'AMD EPYC'])
  assert.deepEqual(model.batches, [1, 4])

  const r = runCli(['predict', '--latency-model', out, '--base', 'efficientnet-b0', '--width', '1.6', '--depth', '2.5', '--image-size', '176', '--json'])
  assert.equal(r.status, 0, r.stderr)
  const p = JSON.parse(r.stdout)
  const truth = point(2.5, 1.6, 176).ms
  assert.ok(Math.abs(p.latencyMs / truth - 1) < 1e-3, `${p.latencyMs} vs ${truth}`)
  assert.ok(p.low <= p.latencyMs && p.latencyMs <= p.high)
  assert.equal(p.extrapolating, false)

  const big = JSON.parse(runCli(['predict', '--latency-model', out, '--model', 'efficientnet-b7', '--json']).stdout)
  assert.equal(big.extrapolating, true)
  assert.match(big.outside.join(' '), /MACs .* outside/)
  const batch = JSON.parse(runCli(['predict', '--latency-model', out, '--model', 'efficientnet-b0', '--batch', '2', '--json']).stdout)
  assert.match(batch.outside.join(' '), /batch 2 not calibrated/)
  assert.match(runCli(['predict', '--latency-model', out, '--model', 'efficientnet-b7']).stdout, /extrapolating/)

  assertUsageError(['predict', '--latency-model', out, '--model', 'efficientnet-b0', '--dtype', 'fp16'], /calibrated for EP cpu, dtype fp32, input float32-nchw on AMD EPYC; asked for EP cpu, dtype fp16, input float32-nchw/)
  assertUsageError(['predict', '--latency-model', out, '--model', 'efficientnet-b0', '--ep', 'cuda'], /calibrated for EP cpu.*asked for EP cuda/)
  assertUsageError(['predict', '--latency-model', out, '--model', 'efficientnet-b0', '--input', 'uint8-nhwc'], /asked for EP cpu, dtype fp32, input uint8-nhwc/)
  assertUsageError(['predict', '--latency-model', dir, '--model', 'efficientnet-b0'], /--latency-model .*: /)
  assertUsageError(['predict', '--latency-model', path.join(dir, 'run.json'), '--model', 'efficientnet-b0'], /not an effscale latency model/)
  assertUsageError(['calibrate', '--sweep', path.join(dir, 'nope')], /--sweep .*nope: no such directory/)
})

test('calibrate reads rel_ref × the reference p50 where the sweep timed interleaved rounds', () => {
  // p50 is garbage (a slow phase), the ratios to the reference are right: the model must follow the ratios.
  const ref = 'variant|efficientnet-b0|d=1|w=1|s=224|b=1|fp32|float32-nchw'
  const refMs = point(1, 1, 224).ms
  const dir = lawSweep((r, ms) => {
    r.ref_key = ref
    r.rel_ref = ms / refMs
    if (r.key !== ref) r.p50_ms = ms * (1 + 0.5 * Math.sin(ms))
  })
  const out = path.join(path.dirname(dir), 'model.json')
  const cal = runCli(['calibrate', '--sweep', dir, '--out', out])
  assert.equal(cal.status, 0, cal.stderr)
  const model = JSON.parse(readFileSync(out, 'utf8'))
  assert.equal(model.source.latency, 'rel_ref × reference p50_ms')
  assert.ok(model.loo.maxAbsRel < 1e-3, JSON.stringify(model.loo))
})

test('features: op classes, and at batch b activations move b times while weights move once', () => {
  const b0 = baseByName('efficientnet-b0')
  const net = lower(b0, resolvePoint(b0, {imageSize: 64}))
  const cls = (name: string) => opClass(net.ops.find((o) => o.name === name)!)
  assert.deepEqual(
    ['stem', 'stage1.block1.dw', 'stage1.block1.se.reduce', 'stage1.block1.se.scale', 'stage2.block1.expand', 'stage2.block2.add', 'classifier.pool', 'classifier.fc'].map(cls),
    ['dense', 'depthwise', 'elementwise', 'elementwise', 'pointwise', 'elementwise', 'elementwise', 'linear'],
  )
  const one = networkFeatures(net, 1, 'fp32')
  const three = networkFeatures(net, 3, 'fp16')
  let acts = 0
  let weights = 0
  for (const op of net.ops) {
    const t = opTraffic(op)
    acts += t.inputs + t.outputs
    weights += t.weights
  }
  assert.equal(one.totalBytes, 4 * (acts + weights))
  assert.equal(three.totalBytes, 2 * (3 * acts + weights))
  assert.equal(three.macs.pointwise, 3 * one.macs.pointwise)
  assert.deepEqual(three.ops, one.ops)
})
