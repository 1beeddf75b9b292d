/**
 * Shape rules of the ops transformers, segmentation heads and quantized graphs use, across the
 * opsets where their attributes moved to inputs (11–21), checked against onnxruntime (the
 * oracle): every output's shape as ONNX Runtime computes it, and MACs by hand where an op
 * multiplies.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import * as ort from 'onnxruntime-node'
import {AttrType, DT, onnx, type IAttributeProto, type ITensorProto} from '../../src/onnx/proto.js'
import {profileOnnxBytes} from '../../src/onnx/profile.js'

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1)
const ints = (name: string, v: number[]): IAttributeProto => ({name, type: AttrType.INTS, ints: v})
const int = (name: string, i: number): IAttributeProto => ({name, type: AttrType.INT, i})
const str = (name: string, s: string): IAttributeProto => ({name, type: AttrType.STRING, s: new TextEncoder().encode(s)})
const f32 = (name: string, dims: number[], v = 0.5): ITensorProto => ({name, dims, dataType: DT.FLOAT, rawData: new Uint8Array(new Float32Array(numel(dims)).fill(v).buffer)})
const f32v = (name: string, v: number[]): ITensorProto => ({name, dims: [v.length], dataType: DT.FLOAT, rawData: new Uint8Array(Float32Array.from(v).buffer)})
const i64 = (name: string, v: number[], dims = [v.length]): ITensorProto => ({name, dims, dataType: DT.INT64, rawData: new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)})
const u8 = (name: string, dims: number[]): ITensorProto => ({name, dims, dataType: DT.UINT8, rawData: new Uint8Array(numel(dims)).fill(1)})

interface Case {
  title: string
  op: string
  opset: number
  /** Graph inputs (float32), fed by name x, y, z. */
  inputs: number[][]
  inits?: ITensorProto[]
  /** Node input names after the graph inputs. */
  extra?: string[]
  attrs?: IAttributeProto[]
  outputs?: number
  macs?: number
}

const CASES: Case[] = [
  {title: 'LayerNormalization opset 17: Y, Mean, InvStdDev', op: 'LayerNormalization', opset: 17, inputs: [[2, 3, 8]], inits: [f32('g', [3, 8]), f32('b', [3, 8])], extra: ['g', 'b'], attrs: [int('axis', 1)], outputs: 3},
  {title: 'Einsum with spaces and an implicit output', op: 'Einsum', opset: 12, inputs: [[2, 3, 4], [2, 4, 5]], attrs: [str('equation', 'b i k, b k j')], macs: 2 * 3 * 4 * 5},
  {title: 'Einsum with an ellipsis', op: 'Einsum', opset: 12, inputs: [[2, 7, 3, 4], [4, 6]], attrs: [str('equation', '...ik,kj->...ij')], macs: 2 * 7 * 3 * 4 * 6},
  {title: 'Einsum of one operand (transpose)', op: 'Einsum', opset: 12, inputs: [[2, 3, 4]], attrs: [str('equation', 'abc->cab')]},
  {title: 'Gelu opset 20', op: 'Gelu', opset: 20, inputs: [[2, 5]]},
  {title: 'Erf', op: 'Erf', opset: 13, inputs: [[3, 4]]},
  {title: 'Where broadcasts three ways', op: 'Where', opset: 16, inputs: [[3, 1], [1, 4]], inits: [{name: 'c', dims: [2, 1, 1], dataType: DT.BOOL, rawData: new Uint8Array([1, 0])}], extra: [], attrs: []},
  {title: 'Expand to a larger rank', op: 'Expand', opset: 13, inputs: [[3, 1]], inits: [i64('s', [2, 1, 4])], extra: ['s']},
  {title: 'Tile', op: 'Tile', opset: 13, inputs: [[2, 3]], inits: [i64('r', [3, 2])], extra: ['r']},
  {title: 'Pow broadcast', op: 'Pow', opset: 15, inputs: [[2, 3, 4]], inits: [f32('e', [1], 2)], extra: ['e']},
  {title: 'Mod fmod', op: 'Mod', opset: 13, inputs: [[2, 3], [3]], attrs: [int('fmod', 1)]},
  {title: 'Equal is bool', op: 'Equal', opset: 13, inputs: [[2, 3], [2, 1]]},
  {title: 'Resize opset 11 with scales', op: 'Resize', opset: 11, inputs: [[1, 2, 5, 7]], inits: [f32v('roi', []), f32v('sc', [1, 1, 2, 1.5])], extra: ['roi', 'sc']},
  {title: 'Resize opset 13 with sizes', op: 'Resize', opset: 13, inputs: [[1, 2, 5, 7]], inits: [i64('sz', [1, 2, 9, 4])], extra: ['', '', 'sz'], attrs: [str('mode', 'linear')]},
  {title: 'Resize opset 18 with axes and not_larger', op: 'Resize', opset: 18, inputs: [[1, 2, 6, 8]], inits: [i64('sz', [9, 9])], extra: ['', '', 'sz'], attrs: [ints('axes', [2, 3]), str('keep_aspect_ratio_policy', 'not_larger')]},
  {title: 'Resize opset 10 (scales input 1)', op: 'Resize', opset: 10, inputs: [[1, 1, 3, 4]], inits: [f32v('sc', [1, 1, 2, 2])], extra: ['sc']},
  {title: 'Upsample opset 9', op: 'Upsample', opset: 9, inputs: [[1, 1, 3, 4]], inits: [f32v('sc', [1, 1, 2, 3])], extra: ['sc']},
  {title: 'Split opset 11: split attribute', op: 'Split', opset: 11, inputs: [[2, 10]], attrs: [int('axis', 1), ints('split', [3, 7])], outputs: 2},
  {title: 'Split opset 13: split input', op: 'Split', opset: 13, inputs: [[6, 2]], inits: [i64('sp', [1, 2, 3])], extra: ['sp'], outputs: 3},
  {title: 'Split opset 18: num_outputs, uneven', op: 'Split', opset: 18, inputs: [[7, 2]], attrs: [int('num_outputs', 3)], outputs: 3},
  {title: 'Split opset 13: equal parts', op: 'Split', opset: 13, inputs: [[2, 9]], attrs: [int('axis', -1)], outputs: 3},
  {title: 'Squeeze opset 11: axes attribute', op: 'Squeeze', opset: 11, inputs: [[1, 3, 1, 2]], attrs: [ints('axes', [0, -2])]},
  {title: 'Unsqueeze opset 11: axes attribute', op: 'Unsqueeze', opset: 11, inputs: [[3, 2]], attrs: [ints('axes', [1, 3])]},
  {title: 'Unsqueeze opset 21: axes input', op: 'Unsqueeze', opset: 21, inputs: [[3, 2]], inits: [i64('ax', [0, 3])], extra: ['ax']},
  {title: 'ReduceSum opset 13: axes input', op: 'ReduceSum', opset: 13, inputs: [[2, 3, 4]], inits: [i64('ax', [1])], extra: ['ax'], attrs: [int('keepdims', 0)]},
  {title: 'ReduceMax opset 18: axes input', op: 'ReduceMax', opset: 18, inputs: [[2, 3, 4]], inits: [i64('ax', [0, 2])], extra: ['ax']},
  {title: 'ReduceMean opset 11: no axes, all', op: 'ReduceMean', opset: 11, inputs: [[2, 3, 4]], attrs: [int('keepdims', 0)]},
  {title: 'ArgMax', op: 'ArgMax', opset: 13, inputs: [[2, 3, 4]], attrs: [int('axis', 1), int('keepdims', 0)]},
  {title: 'Pad opset 18: axes input', op: 'Pad', opset: 18, inputs: [[1, 2, 4, 4]], inits: [i64('p', [1, 2, 3, 0]), i64('ax', [2, 3])], extra: ['p', '', 'ax']},
  {title: 'Pad opset 11: pads input', op: 'Pad', opset: 11, inputs: [[2, 3]], inits: [i64('p', [0, 1, 2, 3])], extra: ['p']},
  {title: 'TopK opset 11: K input', op: 'TopK', opset: 11, inputs: [[3, 10]], inits: [i64('k', [4])], extra: ['k'], outputs: 2},
  {title: 'Softmax opset 11 and 13', op: 'Softmax', opset: 11, inputs: [[2, 3, 4]], attrs: [int('axis', 1)]},
  {title: 'InstanceNormalization', op: 'InstanceNormalization', opset: 11, inputs: [[2, 3, 4, 4]], inits: [f32('s', [3]), f32('b', [3])], extra: ['s', 'b']},
  {title: 'GroupNormalization opset 21', op: 'GroupNormalization', opset: 21, inputs: [[2, 4, 3, 3]], inits: [f32('s', [4]), f32('b', [4])], extra: ['s', 'b'], attrs: [int('num_groups', 2)]},
  {title: 'GatherElements', op: 'GatherElements', opset: 13, inputs: [[3, 4]], inits: [i64('i', [0, 1, 2, 0, 1, 2], [3, 2])], extra: ['i'], attrs: [int('axis', 1)]},
  {title: 'GatherND batch_dims 1', op: 'GatherND', opset: 13, inputs: [[2, 3, 4]], inits: [i64('i', [0, 1, 2, 0], [2, 2, 1])], extra: ['i'], attrs: [int('batch_dims', 1)]},
  {title: 'Gather 2-d indices on axis 1', op: 'Gather', opset: 13, inputs: [[2, 5, 3]], inits: [i64('i', [0, 4, 1, 3, 2, 2], [2, 3])], extra: ['i'], attrs: [int('axis', 1)]},
  {title: 'ScatterND', op: 'ScatterND', opset: 13, inputs: [[4, 3], [2, 3]], inits: [i64('i', [0, 2], [2, 1])], extra: [], attrs: []},
  {title: 'CumSum', op: 'CumSum', opset: 14, inputs: [[2, 3]], inits: [i64('a', [1], [])], extra: ['a']},
  {title: 'DepthToSpace', op: 'DepthToSpace', opset: 13, inputs: [[1, 8, 2, 3]], attrs: [int('blocksize', 2)]},
  {title: 'Dropout opset 13', op: 'Dropout', opset: 13, inputs: [[2, 3]]},
  {title: 'CastLike', op: 'CastLike', opset: 15, inputs: [[2, 3]], inits: [i64('t', [1])], extra: ['t']},
  {title: 'MatMulInteger', op: 'MatMulInteger', opset: 13, inputs: [], inits: [u8('a', [2, 3, 4]), u8('b', [4, 5])], extra: ['a', 'b'], macs: 2 * 3 * 5 * 4},
  {title: 'ConvInteger', op: 'ConvInteger', opset: 13, inputs: [], inits: [u8('x', [1, 2, 5, 5]), u8('w', [3, 2, 3, 3])], extra: ['x', 'w'], macs: 3 * 3 * 3 * 2 * 9},
  {title: 'DynamicQuantizeLinear', op: 'DynamicQuantizeLinear', opset: 13, inputs: [[2, 3]], outputs: 3},
  {title: 'QuantizeLinear opset 13 per-axis', op: 'QuantizeLinear', opset: 13, inputs: [[2, 3]], inits: [f32('s', [3], 0.1), u8('zp', [3])], extra: ['s', 'zp'], attrs: [int('axis', 1)]},
]

// Where takes the condition first: put it before the graph inputs.
const order = (c: Case, names: string[]) => (c.op === 'Where' ? ['c', ...names] : c.op === 'ScatterND' ? [names[0], 'i', names[1]] : [...names, ...(c.extra ?? [])])

for (const c of CASES) {
  test(`${c.title}`, async () => {
    const names = c.inputs.map((_, i) => 'xyz'[i])
    const outs = Array.from({length: c.outputs ?? 1}, (_, i) => `out${i}`)
    const bytes = onnx.ModelProto.encode({
      irVersion: c.opset >= 21 ? 10 : 8,
      opsetImport: [{domain: '', version: c.opset}],
      graph: {
        name: 'one',
        // An Identity per output, so each output's shape shows as a node row.
        node: [{opType: c.op, name: 'n', input: order(c, names), output: outs, attribute: c.attrs ?? []}, ...outs.map((o) => ({opType: 'Identity', name: `id_${o}`, input: [o], output: [`id_${o}`]}))],
        initializer: c.inits ?? [],
        input: c.inputs.map((shape, i) => ({name: names[i], type: {tensorType: {elemType: DT.FLOAT, shape: {dim: shape.map((d) => ({dimValue: d}))}}}})),
        output: outs.map((name) => ({name: `id_${name}`})),
      },
    }).finish()
    const session = await ort.InferenceSession.create(bytes, {logSeverityLevel: 3})
    const feeds = Object.fromEntries(c.inputs.map((shape, i) => [names[i], new ort.Tensor('float32', Float32Array.from({length: numel(shape)}, (_, k) => (k % 7) - 3), shape)]))
    const got = await session.run(feeds)
    const p = profileOnnxBytes(bytes, {nodes: true})
    assert.deepEqual(p.unsupportedOps, [])
    assert.deepEqual(p.uncountedNodes, [])
    for (const [i, o] of outs.entries()) assert.deepEqual(p.nodes![i + 1].outShape, [...got[`id_${o}`].dims], `output ${i}`)
    assert.equal(p.macs, c.macs ?? 0)
    await session.release()
  })
}
