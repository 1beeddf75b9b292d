/**
 * Constant folding of small tensors against onnxruntime: the values a rule folds (shape
 * arithmetic of Swin/MaxViT/detection exports) equal the values ONNX Runtime computes for the
 * same node on the same constants.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import * as ort from 'onnxruntime-node'
import {AttrType, DT, onnx, type IAttributeProto, type ITensorProto} from '../../src/onnx/proto.js'
import {RULES, type OnnxOpType} from '../../src/onnx/rules.js'
import {Attrs, tensorValue} from '../../src/onnx/values.js'

const ints = (name: string, v: number[]): IAttributeProto => ({name, type: AttrType.INTS, ints: v})
const int = (name: string, i: number): IAttributeProto => ({name, type: AttrType.INT, i})
const i64 = (v: number[], dims = [v.length]): ITensorProto => ({dims, dataType: DT.INT64, rawData: new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)})
const f32 = (v: number[], dims = [v.length]): ITensorProto => ({dims, dataType: DT.FLOAT, rawData: new Uint8Array(Float32Array.from(v).buffer)})
const bool = (v: number[], dims = [v.length]): ITensorProto => ({dims, dataType: DT.BOOL, rawData: Uint8Array.from(v)})
const seq = (n: number, from = 0) => Array.from({length: n}, (_, i) => i + from)

const CASES: Array<{op: OnnxOpType; inputs: ITensorProto[]; attrs?: IAttributeProto[]; outputs?: number}> = [
  {op: 'Transpose', inputs: [i64(seq(24), [2, 3, 4])], attrs: [ints('perm', [2, 0, 1])]},
  {op: 'Slice', inputs: [i64(seq(12), [3, 4]), i64([2, 3]), i64([-4, 0]), i64([0, 1]), i64([-1, -2])]},
  {op: 'Gather', inputs: [i64(seq(12), [3, 4]), i64([2, 0, 1, 1], [2, 2])], attrs: [int('axis', 1)]},
  {op: 'Concat', inputs: [i64(seq(6), [2, 3]), i64(seq(4, 10), [2, 2])], attrs: [int('axis', 1)]},
  {op: 'Expand', inputs: [i64([1, 2, 3], [3, 1]), i64([2, 1, 4])]},
  {op: 'Tile', inputs: [i64(seq(6), [2, 3]), i64([2, 2])]},
  {op: 'Range', inputs: [i64([3], []), i64([17], []), i64([4], [])]},
  {op: 'Where', inputs: [bool([1, 0, 0, 1], [2, 2]), i64([7], []), i64([1, 2])]},
  {op: 'Mod', inputs: [i64([-7, 7, -5, 5]), i64([3, -3, 2, 2])]},
  {op: 'Div', inputs: [i64([-7, 7, 9]), i64([2, 2, 4])]},
  {op: 'ReduceMax', inputs: [i64(seq(12), [3, 4])], attrs: [ints('axes', [1]), int('keepdims', 0)]},
  {op: 'ReduceSum', inputs: [i64(seq(12), [3, 4]), i64([0])]},
  {op: 'Split', inputs: [i64(seq(10), [2, 5]), i64([2, 3])], attrs: [int('axis', 1)], outputs: 2},
  {op: 'Equal', inputs: [i64([1, 2, 3]), i64([2], [])]},
  {op: 'Not', inputs: [bool([1, 0, 1])]},
  {op: 'Ceil', inputs: [f32([1.2, -1.2, 3])]},
  {op: 'NonZero', inputs: [i64([0, 3, 0, 4, 5, 0], [2, 3])]},
  {op: 'Cast', inputs: [f32([1.7, -2.7, 0])], attrs: [int('to', DT.INT64)]},
]

for (const c of CASES) {
  test(`folds ${c.op} as onnxruntime computes it`, async () => {
    const names = c.inputs.map((_, i) => `c${i}`)
    const outs = Array.from({length: c.outputs ?? 1}, (_, i) => `o${i}`)
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{domain: '', version: 17}],
      graph: {name: 'fold', node: [{opType: c.op, input: names, output: outs, attribute: c.attrs ?? []}], initializer: c.inputs.map((t, i) => ({...t, name: names[i]})), output: outs.map((name) => ({name}))},
    }).finish()
    const session = await ort.InferenceSession.create(bytes, {logSeverityLevel: 3})
    const got = await session.run({})
    const r = RULES[c.op]({opType: c.op, inputs: c.inputs.map(tensorValue), attrs: new Attrs({attribute: c.attrs ?? []}), opset: 17, outputs: outs.length})
    outs.forEach((o, i) => {
      const want = Array.from(got[o].data as ArrayLike<number | bigint | boolean>, (v) => Number(v))
      assert.deepEqual(r.outputs[i].shape, [...got[o].dims], `${o} shape`)
      assert.deepEqual(r.outputs[i].data?.map((v) => Math.fround(v)), want.map((v) => Math.fround(v)), `${o} values`)
    })
    await session.release()
  })
}
