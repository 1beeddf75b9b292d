/**
 * Shape inference of single-node models checked against onnxruntime (the oracle): attribute
 * corner cases — asymmetric pads, auto_pad, dilations, ceil_mode, transposed convs, negative
 * slices, broadcasting MatMul.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import * as ort from 'onnxruntime-node'
import {AttrType, DT, onnx, type IAttributeProto, type ITensorProto} from '../../src/onnx/proto.js'
import {profileOnnxBytes} from '../../src/onnx/profile.js'
import {RULES} from '../../src/onnx/rules.js'
import {Attrs, tensorValue} from '../../src/onnx/values.js'

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1)
const ints = (name: string, v: number[]): IAttributeProto => ({name, type: AttrType.INTS, ints: v})
const int = (name: string, i: number): IAttributeProto => ({name, type: AttrType.INT, i})
const str = (name: string, s: string): IAttributeProto => ({name, type: AttrType.STRING, s: new TextEncoder().encode(s)})
const f32 = (name: string, dims: number[]): ITensorProto => ({name, dims, dataType: DT.FLOAT, rawData: new Uint8Array(new Float32Array(numel(dims)).fill(0.5).buffer)})
const i64 = (name: string, v: number[]): ITensorProto => ({name, dims: [v.length], dataType: DT.INT64, rawData: new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)})

interface Case {
  title: string
  op: string
  /** Graph input shapes (float32), fed by name x, y. */
  inputs: number[][]
  inits?: ITensorProto[]
  /** Node input names after the graph inputs (initializer names, '' for absent). */
  extra?: string[]
  attrs?: IAttributeProto[]
  /** Expected MACs as a function of onnxruntime's output shape. */
  macs?: (out: number[]) => number
}

const CASES: Case[] = [
  {title: 'Conv: asymmetric pads, mixed strides and dilations, groups', op: 'Conv', inputs: [[1, 4, 11, 13]], inits: [f32('w', [6, 2, 3, 3])], extra: ['w'],
    attrs: [ints('pads', [0, 1, 1, 2]), ints('strides', [2, 3]), ints('dilations', [2, 1]), int('group', 2)], macs: (o) => numel(o) * 2 * 9},
  {title: 'Conv: SAME_LOWER, stride 3', op: 'Conv', inputs: [[2, 3, 10, 7]], inits: [f32('w', [5, 3, 4, 4])], extra: ['w'],
    attrs: [str('auto_pad', 'SAME_LOWER'), ints('strides', [3, 3])], macs: (o) => numel(o) * 3 * 16},
  {title: 'Conv: VALID, dilation 3', op: 'Conv', inputs: [[1, 2, 17, 17]], inits: [f32('w', [4, 2, 3, 3])], extra: ['w'],
    attrs: [str('auto_pad', 'VALID'), ints('dilations', [3, 3]), ints('strides', [2, 2])], macs: (o) => numel(o) * 2 * 9},
  {title: 'ConvTranspose: pads, output_padding, groups', op: 'ConvTranspose', inputs: [[1, 4, 5, 6]], inits: [f32('w', [4, 3, 3, 3])], extra: ['w'],
    attrs: [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), ints('output_padding', [1, 0]), int('group', 2)], macs: () => 4 * 5 * 6 * 3 * 9},
  {title: 'ConvTranspose: output_shape', op: 'ConvTranspose', inputs: [[1, 2, 4, 4]], inits: [f32('w', [2, 3, 3, 3])], extra: ['w'],
    attrs: [ints('strides', [2, 2]), ints('output_shape', [9, 10])], macs: () => 2 * 16 * 3 * 9},
  {title: 'MaxPool: ceil_mode with pads', op: 'MaxPool', inputs: [[1, 2, 10, 11]], attrs: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), int('ceil_mode', 1)]},
  {title: 'MaxPool: ceil_mode drops a window starting in the padding', op: 'MaxPool', inputs: [[1, 1, 5, 5]], attrs: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), int('ceil_mode', 1)]},
  {title: 'AveragePool: SAME_UPPER stride 2', op: 'AveragePool', inputs: [[1, 3, 9, 8]], attrs: [ints('kernel_shape', [3, 2]), ints('strides', [2, 2]), str('auto_pad', 'SAME_UPPER')]},
  {title: 'MatMul: broadcast batch dims', op: 'MatMul', inputs: [[2, 1, 3, 4], [5, 4, 6]], macs: () => 2 * 5 * 3 * 6 * 4},
  {title: 'MatMul: vector × matrix', op: 'MatMul', inputs: [[4], [3, 4, 6]], macs: () => 3 * 6 * 4},
  {title: 'Gemm: transA', op: 'Gemm', inputs: [[7, 3]], inits: [f32('b', [7, 5])], extra: ['b'], attrs: [int('transA', 1)], macs: () => 3 * 5 * 7},
  {title: 'Slice: negative start, step 2 and −1', op: 'Slice', inputs: [[1, 8, 10, 10]],
    inits: [i64('starts', [-7, 9, 1]), i64('ends', [100, 0, -1]), i64('axes', [1, 2, 3]), i64('steps', [2, -1, 3])], extra: ['starts', 'ends', 'axes', 'steps']},
  {title: 'Slice: negative steps, starts and ends below the range (starts clamp to 0, ends to −1)', op: 'Slice', inputs: [[1, 8, 10, 10]],
    inits: [i64('starts', [-100, -1]), i64('ends', [-200, -200]), i64('axes', [2, 3]), i64('steps', [-1, -2])], extra: ['starts', 'ends', 'axes', 'steps']},
  {title: 'Pad: pads input', op: 'Pad', inputs: [[1, 2, 5, 5]], inits: [i64('pads', [0, 0, 1, 2, 0, 1, 3, 0])], extra: ['pads']},
  {title: 'Squeeze: axes input', op: 'Squeeze', inputs: [[1, 3, 1, 1]], inits: [i64('axes', [2, -1])], extra: ['axes']},
  {title: 'Unsqueeze: negative axes', op: 'Unsqueeze', inputs: [[3, 4]], inits: [i64('axes', [0, -1])], extra: ['axes']},
  {title: 'ReduceMean: keepdims 0', op: 'ReduceMean', inputs: [[2, 3, 4, 5]], attrs: [ints('axes', [-1, 1]), int('keepdims', 0)]},
  {title: 'Flatten: axis 2', op: 'Flatten', inputs: [[2, 3, 4, 5]], attrs: [int('axis', 2)]},
  {title: 'Transpose: default perm', op: 'Transpose', inputs: [[2, 3, 4]]},
  {title: 'Add: broadcast', op: 'Add', inputs: [[2, 1, 4], [3, 1]]},
]

for (const c of CASES) {
  test(c.title, async () => {
    const names = c.inputs.map((_, i) => 'xyz'[i])
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{domain: '', version: 17}],
      graph: {
        name: 'one',
        node: [{opType: c.op, name: 'n', input: [...names, ...(c.extra ?? [])], output: ['out'], attribute: c.attrs ?? []}],
        initializer: c.inits ?? [],
        input: c.inputs.map((shape, i) => ({name: names[i], type: {tensorType: {elemType: DT.FLOAT, shape: {dim: shape.map((d) => ({dimValue: d}))}}}})),
        output: [{name: 'out', type: {tensorType: {elemType: DT.FLOAT}}}],
      },
    }).finish()
    const session = await ort.InferenceSession.create(bytes, {logSeverityLevel: 3})
    const feeds = Object.fromEntries(c.inputs.map((shape, i) => [names[i], new ort.Tensor('float32', new Float32Array(numel(shape)).fill(1), shape)]))
    const dims = [...(await session.run(feeds)).out.dims]
    const p = profileOnnxBytes(bytes, {nodes: true})
    assert.deepEqual(p.unsupportedOps, [])
    assert.deepEqual(p.nodes![0].outShape, dims)
    assert.equal(p.macs, c.macs ? c.macs(dims) : 0)
  })
}

test('folding: Div truncates integer tensors only; typed data fields per data type', () => {
  const div = (dtype: number, a: number, b: number) =>
    RULES.Div({opType: 'Div', inputs: [{shape: [], dtype, data: [a]}, {shape: [], dtype, data: [b]}], attrs: new Attrs({}), opset: 17, outputs: 1}).outputs[0].data
  assert.deepEqual(div(DT.FLOAT, 6, 4), [1.5])
  assert.deepEqual(div(DT.INT64, 6, 4), [1])
  assert.deepEqual(div(DT.INT64, -7, 2), [-3])
  // onnx.proto: UINT32 and UINT64 live in uint64_data, small ints in int32_data.
  assert.deepEqual(tensorValue(onnx.TensorProto.decode(onnx.TensorProto.encode({dims: [2], dataType: DT.UINT64, uint64Data: [3, 5]}).finish())).data, [3, 5])
  assert.deepEqual(tensorValue({dims: [2], dataType: DT.UINT32, uint64Data: [7, 9]}).data, [7, 9])
  assert.deepEqual(tensorValue({dims: [3], dataType: DT.UINT8, int32Data: [1, 2, 255]}).data, [1, 2, 255])
  assert.equal(tensorValue({dims: [1], dataType: DT.FLOAT16, int32Data: [0x3c00]}).data, undefined)
})
