/** A tiny ONNX model (one GlobalAveragePool) to find out whether an EP loads. */
import {onnx} from '../onnx/proto.js'

export function probeModel(): Uint8Array {
  const shape = (dims: number[]) => ({dim: dims.map((dimValue) => ({dimValue}))})
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{domain: '', version: 17}],
    producerName: 'effscale-probe',
    graph: {
      name: 'probe',
      node: [{opType: 'GlobalAveragePool', input: ['x'], output: ['y']}],
      input: [{name: 'x', type: {tensorType: {elemType: 1, shape: shape([1, 3, 8, 8])}}}],
      output: [{name: 'y', type: {tensorType: {elemType: 1, shape: shape([1, 3, 1, 1])}}}],
    },
  })
  return onnx.ModelProto.encode(model).finish()
}
