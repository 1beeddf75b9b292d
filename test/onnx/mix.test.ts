/** The profiler on a hand-built model with the torchvision op mix, against hand-computed figures and onnxruntime's shapes. */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import * as ort from 'onnxruntime-node'
import {profileOnnxBytes} from '../../src/onnx/profile.js'
import {MIX_MACS, MIX_PARAMS, MIX_SHAPES, mixModel} from './mix-model.js'

test('hand-built torchvision op mix: MACs and params as computed by hand, nothing unsupported', () => {
  const p = profileOnnxBytes(mixModel({batch: 1}), {nodes: true})
  assert.deepEqual(p.unsupportedOps, [])
  assert.deepEqual(p.warnings, [])
  assert.equal(p.macs, MIX_MACS)
  assert.equal(p.flops, 2 * MIX_MACS)
  assert.equal(p.params, MIX_PARAMS)
  // Per-node rows add up, and each tensor has the hand-derived shape.
  assert.equal(p.nodes!.reduce((s, n) => s + n.macs, 0), MIX_MACS)
  assert.equal(p.nodes!.reduce((s, n) => s + n.params, 0), MIX_PARAMS)
  for (const [name, shape] of Object.entries(MIX_SHAPES)) assert.deepEqual(p.nodes!.find((n) => n.name === name)?.outShape, shape, name)
})

test('onnxruntime agrees with the inferred shapes', async () => {
  const s = await ort.InferenceSession.create(mixModel({batch: 1}))
  const x = new ort.Tensor('float32', Float32Array.from({length: 3 * 32 * 32}, (_, i) => Math.cos(i)), [1, 3, 32, 32])
  const out = await s.run({x})
  for (const [name, shape] of Object.entries(MIX_SHAPES)) assert.deepEqual(out[name].dims, shape, name)
})

test('dynamic batch: needs an input shape, then scales MACs by the batch', () => {
  const bytes = mixModel({batch: 'dynamic'})
  assert.throws(() => profileOnnxBytes(bytes), /input "x" has dynamic dims \[N, 3, 32, 32\]/)
  assert.equal(profileOnnxBytes(bytes, {inputShape: [4, 3, 32, 32]}).macs, 4 * MIX_MACS)
  assert.throws(() => profileOnnxBytes(bytes, {inputShape: [4, 3, 64, 32]}), /does not fit input "x"/)
})

test('an op without a rule is listed and warned about, not counted as zero silently', () => {
  // An op of the default domain that no version of ONNX defines.
  const p = profileOnnxBytes(
    mixModel({batch: 1, extraNode: {opType: 'NoSuchOp', input: ['probs'], output: ['nso'], name: 'nso'}}),
  )
  assert.deepEqual(p.unsupportedOps, ['NoSuchOp'])
  assert.match(p.warnings.join('\n'), /unsupported ops, not counted: NoSuchOp/)
  assert.deepEqual(p.uncountedNodes, [{name: 'nso', opType: 'NoSuchOp', cause: 'nso (NoSuchOp): no cost rule for this op'}])
  assert.equal(p.macs, MIX_MACS)
  const ms = profileOnnxBytes(mixModel({batch: 1, extraNode: {opType: 'FusedConv', domain: 'com.microsoft', input: ['x'], output: ['fc2'], name: 'f'}}))
  assert.deepEqual(ms.unsupportedOps, ['com.microsoft.FusedConv'])
})
