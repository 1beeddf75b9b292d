/**
 * A small hand-built ONNX model with the op mix torchvision exports use (MobileNetV3-style
 * block, old-style flatten chain, classifier), plus its hand-computed figures.
 */
import {AttrType, DT, onnx, type IAttributeProto, type INodeProto, type ITensorProto} from '../../src/onnx/proto.js'

const ints = (name: string, v: number[]): IAttributeProto => ({name, type: AttrType.INTS, ints: v})
const int = (name: string, i: number): IAttributeProto => ({name, type: AttrType.INT, i})
const str = (name: string, s: string): IAttributeProto => ({name, type: AttrType.STRING, s: new TextEncoder().encode(s)})
const tensor = (name: string, t: ITensorProto): IAttributeProto => ({name, type: AttrType.TENSOR, t})

/** Float initializer with small deterministic values; int64 when given values. */
function init(name: string, dims: number[], int64?: number[]): ITensorProto {
  const n = dims.reduce((a, b) => a * b, 1)
  if (int64) return {name, dims, dataType: DT.INT64, rawData: new Uint8Array(BigInt64Array.from(int64.map(BigInt)).buffer)}
  // BN variance must stay positive; everything else just small.
  const v = Float32Array.from({length: n}, (_, i) => (name.endsWith('var') ? 1 : 0.1 * Math.sin(i + name.length)))
  return {name, dims, dataType: DT.FLOAT, rawData: new Uint8Array(v.buffer)}
}

const node = (opType: string, input: string[], output: string[], attribute: IAttributeProto[] = []): INodeProto => ({
  opType,
  input,
  output,
  attribute,
  name: output[0],
})

/**
 * Hand-computed MACs for batch 1 (out elements × in channels / group × kernel area):
 *   conv1      3→16, k3 s2 p1, 32² → 16²:          16·16·16 × 3·9   = 110 592
 *   dilated    16→16, k3 d2 p2, 16² → 16²:          4 096 × 16·9     = 589 824
 *   dw         16, group 16, k3 s2 SAME_UPPER → 8²: 1 024 × 1·9      =   9 216
 *   se.reduce  16→4 on 1×1:                          4 × 16           =      64
 *   se.expand  4→16 on 1×1:                          16 × 4           =      64
 *   up         ConvTranspose 16→8, k2 s2, 4² → 8²:  in 256 × 8 × 4   =   8 192
 *   fc         Gemm 8→10 (transB):                   10 × 8           =      80
 *   proj       MatMul [1,10]·[10,6]:                 6 × 10           =      60
 *                                                                total = 718 092
 */
export const MIX_MACS = 718_092
/**
 * Initializer elements: conv1 432+16, bn 4·16, dilated 2 304, dw 144, se.reduce 64+4,
 * se.expand 64+16, up 512, fc 80+10, proj 60, the flatten's [-1] 1 = 3 771.
 */
export const MIX_PARAMS = 3_771
/** Intermediate tensors exposed as graph outputs, with their hand-derived shapes (batch 1). */
export const MIX_SHAPES: Record<string, number[]> = {
  hs1: [1, 16, 16, 16],
  dw: [1, 16, 8, 8],
  se_mean: [1, 16, 1, 1],
  pool: [1, 16, 4, 4],
  up: [1, 8, 8, 8],
  avg: [1, 8, 4, 4],
  flat: [1, 8],
  probs: [1, 6],
}

export function mixModel(opts: {batch: number | 'dynamic'; extraNode?: INodeProto} = {batch: 1}): Uint8Array {
  const nodes: INodeProto[] = [
    node('Conv', ['x', 'conv1.w', 'conv1.b'], ['c1'], [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), ints('kernel_shape', [3, 3])]),
    node('BatchNormalization', ['c1', 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var'], ['bn1']),
    node('HardSwish', ['bn1'], ['hs1']),
    node('Conv', ['hs1', 'dil.w'], ['dil'], [ints('dilations', [2, 2]), ints('pads', [2, 2, 2, 2])]),
    node('Conv', ['dil', 'dw.w'], ['dw'], [int('group', 16), ints('strides', [2, 2]), str('auto_pad', 'SAME_UPPER')]),
    node('Constant', [], ['zero'], [tensor('value', {dims: [], dataType: DT.FLOAT, floatData: [0]})]),
    node('Constant', [], ['six'], [tensor('value', {dims: [], dataType: DT.FLOAT, floatData: [6]})]),
    node('Clip', ['dw', 'zero', 'six'], ['relu6']),
    node('ReduceMean', ['relu6'], ['se_mean'], [ints('axes', [2, 3]), int('keepdims', 1)]),
    node('Conv', ['se_mean', 'se1.w', 'se1.b'], ['se1']),
    node('Relu', ['se1'], ['se1r']),
    node('Conv', ['se1r', 'se2.w', 'se2.b'], ['se2']),
    node('HardSigmoid', ['se2'], ['gate'], [{name: 'alpha', type: AttrType.FLOAT, f: 1 / 6}]),
    node('Mul', ['relu6', 'gate'], ['se']),
    node('MaxPool', ['se'], ['pool'], [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), str('auto_pad', 'SAME_UPPER')]),
    node('ConvTranspose', ['pool', 'up.w'], ['up'], [ints('strides', [2, 2])]),
    node('AveragePool', ['up'], ['avg'], [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])]),
    node('GlobalAveragePool', ['avg'], ['gap']),
    // torch.flatten as older exporters wrote it: Shape → Gather → Unsqueeze → Concat → Reshape.
    node('Shape', ['gap'], ['gap_shape']),
    node('Constant', [], ['zero_i'], [tensor('value', {dims: [], dataType: DT.INT64, int64Data: [0]})]),
    node('Gather', ['gap_shape', 'zero_i'], ['batch'], [int('axis', 0)]),
    node('Constant', [], ['axes0'], [tensor('value', {dims: [1], dataType: DT.INT64, int64Data: [0]})]),
    node('Unsqueeze', ['batch', 'axes0'], ['batch1']),
    node('Concat', ['batch1', 'minus_one'], ['flat_shape'], [int('axis', 0)]),
    node('Reshape', ['gap', 'flat_shape'], ['flat']),
    node('Gemm', ['flat', 'fc.w', 'fc.b'], ['fc'], [int('transB', 1)]),
    node('MatMul', ['fc', 'proj.w'], ['proj']),
    node('Dropout', ['proj'], ['drop']),
    node('Identity', ['drop'], ['id']),
    node('Cast', ['id'], ['cast'], [int('to', DT.FLOAT)]),
    node('Softmax', ['cast'], ['probs'], [int('axis', -1)]),
    ...(opts.extraNode ? [opts.extraNode] : []),
  ]
  const initializer = [
    init('conv1.w', [16, 3, 3, 3]),
    init('conv1.b', [16]),
    init('bn.scale', [16]),
    init('bn.bias', [16]),
    init('bn.mean', [16]),
    init('bn.var', [16]),
    init('dil.w', [16, 16, 3, 3]),
    init('dw.w', [16, 1, 3, 3]),
    init('se1.w', [4, 16, 1, 1]),
    init('se1.b', [4]),
    init('se2.w', [16, 4, 1, 1]),
    init('se2.b', [16]),
    init('up.w', [16, 8, 2, 2]),
    init('fc.w', [10, 8]),
    init('fc.b', [10]),
    init('proj.w', [10, 6]),
    init('minus_one', [1], [-1]),
  ]
  const batch = opts.batch === 'dynamic' ? {dimParam: 'N'} : {dimValue: opts.batch}
  const out = (name: string) => ({name, type: {tensorType: {elemType: DT.FLOAT}}})
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{domain: '', version: 17}],
    producerName: 'effscale-test',
    graph: {
      name: 'mix',
      node: nodes,
      initializer,
      input: [{name: 'x', type: {tensorType: {elemType: DT.FLOAT, shape: {dim: [batch, {dimValue: 3}, {dimValue: 32}, {dimValue: 32}]}}}}],
      output: Object.keys(MIX_SHAPES).map(out),
    },
  }).finish()
}
