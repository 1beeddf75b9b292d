/**
 * The acceptance check: for a grid of points, the profiler's count of the emitted ONNX graph
 * equals the analytic count — MACs exactly, params by the documented BN-folding rule.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import type {Lowered} from '../../src/arch/ops.js'
import {resolveTarget, type TargetInput} from '../../src/arch/target.js'
import {costTotals, lowerTarget} from '../../src/flops/index.js'
import {emitModel, type EmitOptions} from '../../src/onnx/emit.js'
import {profileOnnxBytes} from '../../src/onnx/profile.js'

const GRID: TargetInput[] = [
  ...['efficientnet-b0', 'efficientnet-b1', 'efficientnet-b2', 'efficientnet-b3', 'mobilenet-v1', 'mobilenet-v2', 'resnet-50'].map((model) => ({model})),
  {base: 'efficientnet-b0', depth: 1.4, width: 1.2, resolution: 1.3},
  {base: 'efficientnet-b0', phi: 1.5},
  {base: 'mobilenet-v2', width: 0.35, imageSize: 97},
  {base: 'mobilenet-v1', width: 0.75, depth: 1.7, imageSize: 131},
  {base: 'resnet-50', depth: 0.5, width: 0.6, imageSize: 150},
]
const VARIANTS: Array<Pick<EmitOptions, 'dtype' | 'input'>> = [
  {dtype: 'fp32', input: 'float32-nchw'},
  {dtype: 'fp16', input: 'uint8-nhwc'},
  {dtype: 'fp32', input: 'uint8-nhwc'},
  {dtype: 'fp16', input: 'float32-nchw'},
]

/** The documented rule, restated from the op list: BN's γ, β (2/channel) become one conv bias. */
const bnChannels = (net: Lowered) =>
  net.ops.reduce((n, op) => n + (op.kind === 'conv' && op.bn ? (op.bias ? 2 : 1) * op.out.c : 0), 0)
/** BN (2 per output element) is folded away; uint8 input adds Sub and Div per input element. */
const bnOtherOps = (net: Lowered) =>
  net.ops.reduce((n, op) => n + (op.kind === 'conv' && op.bn ? 2 * op.out.c * op.out.h * op.out.w : 0), 0)

for (const [i, point] of GRID.entries()) {
  // Every point in all four dtype × input variants would be slow for the big ones; rotate.
  const variants = i < 2 ? VARIANTS : [VARIANTS[i % 4]]
  for (const v of variants) {
    test(`${JSON.stringify(point)} ${v.dtype} ${v.input}: profiled ONNX = analytic`, () => {
      const target = resolveTarget(point)
      const net = lowerTarget(target)
      const analytic = costTotals(target)
      const p = profileOnnxBytes(emitModel(net, {...v, batch: 1, seed: 7}))
      assert.deepEqual(p.unsupportedOps, [])
      assert.deepEqual(p.warnings, [])
      assert.equal(p.macs, analytic.macs)
      assert.equal(p.flops, 2 * analytic.macs)
      assert.equal(p.params, analytic.params - bnChannels(net))
      const s = net.tensors[0]
      const pre = v.input === 'uint8-nhwc' ? 2 * s.c * s.h * s.w : 0
      assert.equal(p.otherOps, analytic.otherOps - bnOtherOps(net) + pre)
      assert.deepEqual(p.inputs[0].shape, v.input === 'uint8-nhwc' ? [1, s.h, s.w, s.c] : [1, s.c, s.h, s.w])
      assert.equal(p.inputs[0].dtype, v.input === 'uint8-nhwc' ? 'uint8' : 'float32')
    })
  }
}

test('batch N: static and dynamic batch both profile to N × analytic MACs', () => {
  const target = resolveTarget({base: 'efficientnet-b0', imageSize: 96})
  const net = lowerTarget(target)
  const {macs} = costTotals(target)
  const stat = profileOnnxBytes(emitModel(net, {batch: 5, dtype: 'fp32', input: 'float32-nchw', seed: 0}))
  assert.equal(stat.macs, 5 * macs)
  const dyn = emitModel(net, {batch: 'dynamic', dtype: 'fp16', input: 'uint8-nhwc', seed: 0})
  assert.equal(profileOnnxBytes(dyn, {inputShape: [3, 96, 96, 3]}).macs, 3 * macs)
  assert.throws(() => profileOnnxBytes(dyn), /dynamic dims \[batch, 96, 96, 3\].*--input-shape/)
})

test('weights are deterministic per seed', () => {
  const net = lowerTarget(resolveTarget({base: 'mobilenet-v2', width: 0.35, imageSize: 64}))
  const emit = (seed: number) => Buffer.from(emitModel(net, {batch: 1, dtype: 'fp16', input: 'float32-nchw', seed}))
  assert.ok(emit(3).equals(emit(3)))
  assert.ok(!emit(3).equals(emit(4)))
})
