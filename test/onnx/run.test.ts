/** Emitted models load and run in onnxruntime-node (CPU) with output [N, classes]. Small points only. */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import * as ort from 'onnxruntime-node'
import {resolveTarget, type TargetInput} from '../../src/arch/target.js'
import {lowerTarget} from '../../src/flops/index.js'
import {emitModel, INPUT_NAME, OUTPUT_NAME, type EmitOptions} from '../../src/onnx/emit.js'

interface Case {
  point: TargetInput
  opts: EmitOptions
  /** Batch fed to the session (= opts.batch unless dynamic). */
  feed: number
}

const CASES: Case[] = [
  {point: {base: 'efficientnet-b0', imageSize: 64}, opts: {batch: 2, dtype: 'fp32', input: 'float32-nchw', seed: 1}, feed: 2},
  {point: {base: 'efficientnet-b0', depth: 1.4, width: 1.2, imageSize: 48}, opts: {batch: 'dynamic', dtype: 'fp16', input: 'uint8-nhwc', seed: 2}, feed: 3},
  {point: {base: 'mobilenet-v1', width: 0.5, imageSize: 64}, opts: {batch: 1, dtype: 'fp16', input: 'float32-nchw', seed: 3}, feed: 1},
  {point: {base: 'mobilenet-v2', width: 0.5, imageSize: 64}, opts: {batch: 'dynamic', dtype: 'fp32', input: 'uint8-nhwc', seed: 4}, feed: 2},
  {point: {base: 'resnet-50', width: 0.25, depth: 0.5, imageSize: 64}, opts: {batch: 2, dtype: 'fp16', input: 'uint8-nhwc', seed: 5}, feed: 2},
]

function feedTensor(c: Case, s: {c: number; h: number; w: number}): ort.Tensor {
  const n = c.feed * s.c * s.h * s.w
  if (c.opts.input === 'uint8-nhwc') return new ort.Tensor('uint8', Uint8Array.from({length: n}, (_, i) => (i * 37) % 256), [c.feed, s.h, s.w, s.c])
  return new ort.Tensor('float32', Float32Array.from({length: n}, (_, i) => Math.sin(i)), [c.feed, s.c, s.h, s.w])
}

for (const c of CASES) {
  test(`runs in onnxruntime: ${JSON.stringify(c.point)} ${c.opts.dtype} ${c.opts.input} batch ${c.opts.batch}`, async () => {
    const net = lowerTarget(resolveTarget(c.point))
    const session = await ort.InferenceSession.create(emitModel(net, c.opts), {executionProviders: ['cpu']})
    assert.deepEqual(session.inputNames, [INPUT_NAME])
    assert.deepEqual(session.outputNames, [OUTPUT_NAME])
    const out = (await session.run({[INPUT_NAME]: feedTensor(c, net.tensors[0])}))[OUTPUT_NAME]
    assert.deepEqual(out.dims, [c.feed, net.numClasses])
    assert.equal(out.type, 'float32')
    const data = out.data as Float32Array
    // Random weights, but finite and not all zero: activations neither blew up nor vanished in fp16.
    assert.ok(data.every(Number.isFinite), 'finite logits')
    assert.ok(data.some((x) => Math.abs(x) > 1e-4), 'non-zero logits')
    await session.release()
  })
}

test('uint8-nhwc normalises inside the graph: same logits as the float model fed (x − mean) / std in NCHW', async () => {
  const net = lowerTarget(resolveTarget({base: 'mobilenet-v2', width: 0.5, imageSize: 32}))
  const [h, w] = [32, 32]
  const u8 = Uint8Array.from({length: h * w * 3}, (_, i) => (i * 53 + 7) % 256)
  const mean = [0.485, 0.456, 0.406]
  const std = [0.229, 0.224, 0.225]
  const f32 = new Float32Array(3 * h * w)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) {
    f32[c * h * w + y * w + x] = (u8[(y * w + x) * 3 + c] / 255 - mean[c]) / std[c]
  }
  const logits = async (input: EmitOptions['input'], t: ort.Tensor) => {
    const s = await ort.InferenceSession.create(emitModel(net, {batch: 1, dtype: 'fp32', input, seed: 9}))
    return (await s.run({[INPUT_NAME]: t}))[OUTPUT_NAME].data as Float32Array
  }
  const a = await logits('uint8-nhwc', new ort.Tensor('uint8', u8, [1, h, w, 3]))
  const b = await logits('float32-nchw', new ort.Tensor('float32', f32, [1, 3, h, w]))
  const scale = Math.max(...b.map(Math.abs))
  const close = (x: Float32Array, y: Float32Array) => x.every((v, i) => Math.abs(v - y[i]) <= 1e-4 * scale + 1e-6)
  assert.ok(close(a, b), 'same logits')
  // The comparison can fail: another image gives other logits.
  const other = await logits('uint8-nhwc', new ort.Tensor('uint8', u8.slice().reverse(), [1, h, w, 3]))
  assert.ok(!close(a, other), 'logits depend on the image')
})
