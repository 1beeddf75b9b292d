import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {lower} from '../../src/arch/lower.js'
import {resolvePoint} from '../../src/arch/point.js'
import {baseByName} from '../../src/arch/target.js'
import {parseBaseSpec} from '../../src/arch/user-spec.js'
import {breakdown, total} from '../../src/flops/count.js'
import {opCost, opTraffic} from '../../src/flops/costs.js'
import {emitModel} from '../../src/onnx/emit.js'
import {profileOnnxBytes} from '../../src/onnx/profile.js'
import {AttrType, DT, onnx, type ITensorProto} from '../../src/onnx/proto.js'
import {FIXTURES} from '../../src/paths.js'
import type {AddOp, ConvOp, GAPOp, MulOp, Op, Shape} from '../../src/arch/ops.js'

const s = (c: number, h: number, w = h): Shape => ({c, h, w})
const conv = (o: Partial<ConvOp>): ConvOp => ({
  kind: 'conv', name: 'c', stage: 's', inputs: [0], output: 1,
  in: s(32, 8), out: s(64, 8), kernel: 3, stride: 1, pad: 1, groups: 1, bias: false, bn: true, act: 'swish', role: 'main', ...o,
})
const base = {name: 'x', stage: 's', inputs: [0], output: 1}
const moved = (op: Op) => opCost(op).traffic

test('conv + BN + swish: one read of input and weights (kernel + folded-BN bias), one write', () => {
  const op = conv({})
  // input 32·8·8 = 2048; weights 64·32·9 = 18 432 + 64 bias; output 64·8·8 = 4096.
  assert.deepEqual(opTraffic(op), {inputs: 2048, weights: 18_496, outputs: 4096})
  assert.equal(moved(op), 24_640)
  const t = total([op])
  assert.equal(t.bytes, 4 * 24_640)
  assert.equal(total([op], 'fp16').bytes, 2 * 24_640)
  assert.equal(t.intensity, (64 * 64 * 32 * 9) / (4 * 24_640))
  // A conv without BN or bias reads no bias.
  assert.equal(opTraffic(conv({bn: false, act: null})).weights, 18_432)
})

test('a strided depthwise conv reads its input, 9 weights + 1 bias per channel, writes the smaller output', () => {
  const op = conv({in: s(32, 8), out: s(32, 4), groups: 32, stride: 2})
  assert.deepEqual(opTraffic(op), {inputs: 2048, weights: 32 * 9 + 32, outputs: 512})
})

test('squeeze-excite: pool, two 1×1 convs with bias, and the scale read x and s, write x', () => {
  const x = s(32, 8)
  const pool: GAPOp = {...base, kind: 'gap', in: x, out: s(32, 1)}
  const reduce = conv({in: s(32, 1), out: s(8, 1), kernel: 1, pad: 0, bias: true, bn: false})
  const expand = conv({in: s(8, 1), out: s(32, 1), kernel: 1, pad: 0, bias: true, bn: false, act: 'sigmoid'})
  const scale: MulOp = {...base, kind: 'mul', inputs: [0, 1], in: x, out: x}
  // pool 2048 + 32; reduce 32 + (256 + 8) + 8; expand 8 + (256 + 32) + 32; scale (2048 + 32) + 2048.
  assert.deepEqual([pool, reduce, expand, scale].map(moved), [2080, 304, 328, 4128])
  assert.equal(total([pool, reduce, expand, scale]).bytes, 4 * 6840)
})

test('a residual add reads both operands and writes one', () => {
  const add: AddOp = {...base, kind: 'add', inputs: [0, 1], in: s(24, 14), out: s(24, 14)}
  assert.equal(moved(add), 3 * 24 * 14 * 14)
})

test('bytes of breakdown rows add up to the total', () => {
  const net = lower(baseByName('efficientnet-b0'), resolvePoint(baseByName('efficientnet-b0'), {imageSize: 64}))
  const t = total(net.ops)
  for (const by of ['stage', 'op', 'layer'] as const) assert.equal(breakdown(net, by).reduce((a, r) => a + r.bytes, 0), t.bytes, by)
})

const tiny = parseBaseSpec(readFileSync(path.join(FIXTURES, 'specs', 'tiny-mbconv.json'), 'utf8'), 'tiny-mbconv.json')

test('profiled bytes of an emitted model equal the analytic bytes (fp32), every op kind included', () => {
  const nets = [
    lower(tiny, resolvePoint(tiny, {})),
    lower(baseByName('efficientnet-b0'), resolvePoint(baseByName('efficientnet-b0'), {imageSize: 64, width: 0.5})),
    lower(baseByName('resnet-50'), resolvePoint(baseByName('resnet-50'), {imageSize: 32, width: 0.25})),
    lower(baseByName('mobilenet-v2'), resolvePoint(baseByName('mobilenet-v2'), {imageSize: 32})),
    // Hard-swish and hard-sigmoid SE; GELU in erf form, LayerNorm between transposes, layer scale.
    lower(baseByName('mobilenet-v3-large'), resolvePoint(baseByName('mobilenet-v3-large'), {imageSize: 32})),
    lower(baseByName('convnext-tiny'), resolvePoint(baseByName('convnext-tiny'), {imageSize: 32, width: 0.25})),
    lower(baseByName('regnet-y-400mf'), resolvePoint(baseByName('regnet-y-400mf'), {imageSize: 32})),
    // Fused MBConv (a 3×3 conv in place of expand + depthwise).
    lower(baseByName('efficientnet-v2-s'), resolvePoint(baseByName('efficientnet-v2-s'), {imageSize: 32, width: 0.5})),
  ]
  for (const net of nets) {
    const p = profileOnnxBytes(emitModel(net, {batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 1}), {nodes: true})
    assert.equal(p.warnings.length, 0, p.warnings.join('; '))
    assert.equal(p.bytes, total(net.ops).bytes, net.network)
    assert.equal(p.nodes!.reduce((a, n) => a + (n.bytes ?? 0), 0), p.bytes)
  }
})

test('fp16 emitted model: analytic fp16 bytes plus the two Casts at the edges', () => {
  const net = lower(tiny, resolvePoint(tiny, {}))
  const p = profileOnnxBytes(emitModel(net, {batch: 1, dtype: 'fp16', input: 'float32-nchw', seed: 1}))
  const inElements = net.tensors[0].c * net.tensors[0].h * net.tensors[0].w
  const casts = inElements * (4 + 2) + net.numClasses * (2 + 4)
  assert.equal(p.bytes, total(net.ops, 'fp16').bytes + casts)
})

/** Conv → BatchNormalization → Relu → Add(x): the unfolded form torch exports. */
function convBnReluAdd(): Uint8Array {
  const f = (name: string, dims: number[]): ITensorProto => ({name, dims, dataType: DT.FLOAT, rawData: new Uint8Array(4 * dims.reduce((a, b) => a * b, 1))})
  const vi = (name: string, dims: number[]) => ({name, type: {tensorType: {elemType: DT.FLOAT, shape: {dim: dims.map((d) => ({dimValue: d}))}}}})
  const graph = {
    name: 'g',
    node: [
      {opType: 'Conv', input: ['x', 'w'], output: ['c'], name: 'conv', attribute: [{name: 'pads', type: AttrType.INTS, ints: [1, 1, 1, 1]}]},
      {opType: 'BatchNormalization', input: ['c', 'g', 'b', 'm', 'v'], output: ['n'], name: 'bn'},
      {opType: 'Relu', input: ['n'], output: ['r'], name: 'relu'},
      {opType: 'Add', input: ['r', 'x'], output: ['y'], name: 'add'},
    ],
    initializer: [f('w', [8, 8, 3, 3]), f('g', [8]), f('b', [8]), f('m', [8]), f('v', [8])],
    input: [vi('x', [1, 8, 10, 10])],
    output: [vi('y', [1, 8, 10, 10])],
  }
  return onnx.ModelProto.encode({irVersion: 8, opsetImport: [{domain: '', version: 17}], graph}).finish()
}

test('the profiler fuses BN and activation into the conv and folds BN parameters (hand count)', () => {
  const p = profileOnnxBytes(convBnReluAdd(), {nodes: true})
  // conv kernel: x 800 + w 576 read, r 800 written; add: r 800 + x 800 read, y 800 written.
  assert.deepEqual(p.nodes!.map((n) => (n.bytes ?? NaN) / 4), [800 + 576 + 800, 0, 0, 3 * 800])
})
