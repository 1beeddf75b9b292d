/**
 * Every named model of every base: the emitted graph profiles to the analytic MACs exactly (at
 * the model's native size) and to the analytic params by the BN-folding rule, and it loads and
 * runs in onnxruntime-node (at a small image size: same weights, same graph, less time).
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import * as ort from 'onnxruntime-node'
import {BASES} from '../../src/arch/bases.js'
import type {Lowered} from '../../src/arch/ops.js'
import {resolveTarget} from '../../src/arch/target.js'
import {costTotals, lowerTarget} from '../../src/flops/index.js'
import {emitModel, INPUT_NAME, OUTPUT_NAME, type EmitOptions} from '../../src/onnx/emit.js'
import {profileOnnxBytes} from '../../src/onnx/profile.js'

/** The bases added with the block table (the paper's four are covered by grid.test.ts). */
const MODELS = Object.keys(BASES).filter((b) => !['efficientnet-b0', 'mobilenet-v1', 'mobilenet-v2', 'resnet-50'].includes(b))

const bnChannels = (net: Lowered) =>
  net.ops.reduce((n, op) => n + (op.kind === 'conv' && op.bn ? (op.bias ? 2 : 1) * op.out.c : 0), 0)

for (const model of MODELS) {
  test(`${model}: emitted ONNX profiles to the analytic MACs and params`, () => {
    const target = resolveTarget({model})
    const net = lowerTarget(target)
    const analytic = costTotals(target)
    const p = profileOnnxBytes(emitModel(net, {batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 3}))
    assert.deepEqual(p.unsupportedOps, [])
    assert.deepEqual(p.warnings, [])
    assert.equal(p.macs, analytic.macs)
    assert.equal(p.params, analytic.params - bnChannels(net))
  })

  const opts: EmitOptions = {batch: 2, dtype: model.startsWith('convnext') ? 'fp16' : 'fp32', input: 'float32-nchw', seed: 4}
  test(`${model}: runs in onnxruntime-node (64 px, ${opts.dtype})`, async () => {
    const base = BASES[model]
    const net = lowerTarget(resolveTarget({base: model, imageSize: 64}))
    assert.equal(costTotals(resolveTarget({base: model, imageSize: 64})).params, costTotals(resolveTarget({model})).params)
    const session = await ort.InferenceSession.create(emitModel(net, opts), {executionProviders: ['cpu']})
    const n = 2 * 3 * 64 * 64
    const input = new ort.Tensor('float32', Float32Array.from({length: n}, (_, i) => Math.sin(i)), [2, 3, 64, 64])
    const out = (await session.run({[INPUT_NAME]: input}))[OUTPUT_NAME]
    assert.deepEqual(out.dims, [2, base.numClasses])
    const data = out.data as Float32Array
    assert.ok(data.every(Number.isFinite), 'finite logits')
    assert.ok(data.some((x) => Math.abs(x) > 1e-4), 'non-zero logits')
    await session.release()
  })
}

/** Scaled points of the new families: the family rules (quantised widths, merged rows) emit exactly too. */
const SCALED = [
  {base: 'regnet-y-400mf', depth: 1.5, width: 1.3, imageSize: 160},
  {base: 'regnet-x-1.6gf', width: 0.7, imageSize: 128},
  {base: 'mobilenet-v3-large', width: 0.75, depth: 2, imageSize: 192},
  {base: 'efficientnet-v2-s', width: 0.5, depth: 0.5, imageSize: 128},
  {base: 'convnext-tiny', depth: 0.5, width: 1.25, resolution: 0.5},
]
for (const point of SCALED) {
  test(`${JSON.stringify(point)}: emitted ONNX profiles to the analytic MACs and params`, () => {
    const target = resolveTarget(point)
    const net = lowerTarget(target)
    const analytic = costTotals(target)
    const p = profileOnnxBytes(emitModel(net, {batch: 1, dtype: 'fp16', input: 'uint8-nhwc', seed: 5}))
    assert.deepEqual(p.warnings, [])
    assert.equal(p.macs, analytic.macs)
    assert.equal(p.params, analytic.params - bnChannels(net))
  })
}
