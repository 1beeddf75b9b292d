/**
 * Elementwise rules: activations, arithmetic, comparisons and logic (folding small integer
 * tensors so shape arithmetic resolves), casts and the quantize/dequantize pair of QDQ graphs.
 * One other op per output element unless noted.
 */
import {DT} from './proto.js'
import {binary, isInt, like, nary, need, unary, type NodeIn, type Rule} from './rule-kit.js'
import {numel, type Value} from './values.js'

const bool = (b: boolean) => (b ? 1 : 0)
/** Integer division truncates (as ONNX Runtime does); float tensors holding whole numbers do not. */
const div = (a: number, b: number, integer: boolean) => (integer ? Math.trunc(a / b) : a / b)

function castData(x: Value, to: number): number[] | undefined {
  if (!x.data) return undefined
  if (to === DT.BOOL) return x.data.map((v) => bool(v !== 0))
  return isInt(to) ? x.data.map(Math.trunc) : x.data
}

const cast = (x: Value, to: number): Value => {
  const data = castData(x, to)
  return data ? {shape: x.shape, dtype: to, data} : {shape: x.shape, dtype: to}
}

const mod: Rule = (n) => {
  const fmod = n.attrs.int('fmod', 0) === 1
  // fmod = 0: the result takes the divisor's sign (Python's %); fmod = 1: the dividend's (C's fmod).
  return binary((a, b) => (fmod ? a % b : ((a % b) + b) % b))(n)
}

const quantizeLinear: Rule = ({inputs, attrs}: NodeIn) => {
  const x = need(inputs[0], 'x')
  const zp = inputs[2]
  const to = attrs.int('output_dtype', 0) || (zp ? zp.dtype : DT.UINT8)
  return {outputs: [{shape: x.shape, dtype: to}], otherOps: numel(x.shape)}
}

export const ELEMENTWISE_RULES = {
  Relu: unary(1),
  LeakyRelu: unary(1),
  PRelu: nary(),
  Elu: unary(1),
  Selu: unary(1),
  Celu: unary(1),
  ThresholdedRelu: unary(1),
  Clip: unary(1),
  Sigmoid: unary(1),
  HardSigmoid: unary(1),
  // hard-sigmoid + multiply: 2, like swish.
  HardSwish: unary(2),
  Tanh: unary(1),
  Softplus: unary(1),
  Softsign: unary(1),
  Mish: unary(1),
  Erf: unary(1),
  Gelu: unary(1),
  Exp: unary(1),
  Log: unary(1),
  Sqrt: unary(1, Math.sqrt),
  Reciprocal: unary(1, (v) => 1 / v),
  Neg: unary(1, (v) => -v),
  Abs: unary(1, Math.abs),
  Sign: unary(1, Math.sign),
  Floor: unary(1, Math.floor),
  Ceil: unary(1, Math.ceil),
  Round: unary(1, (v) => {
    const r = Math.round(v)
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r // half to even
  }),
  Sin: unary(1),
  Cos: unary(1),
  Tan: unary(1),
  Atan: unary(1),
  Not: unary(1, (v) => bool(v === 0), DT.BOOL),
  IsNaN: unary(1, (v) => bool(Number.isNaN(v)), DT.BOOL),
  IsInf: unary(1, undefined, DT.BOOL),
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary(div),
  Pow: binary((a, b) => a ** b),
  Mod: mod,
  Max: nary((xs) => Math.max(...xs)),
  Min: nary((xs) => Math.min(...xs)),
  Sum: nary((xs) => xs.reduce((a, b) => a + b, 0)),
  Mean: nary(),
  Equal: binary((a, b) => bool(a === b), DT.BOOL),
  Less: binary((a, b) => bool(a < b), DT.BOOL),
  LessOrEqual: binary((a, b) => bool(a <= b), DT.BOOL),
  Greater: binary((a, b) => bool(a > b), DT.BOOL),
  GreaterOrEqual: binary((a, b) => bool(a >= b), DT.BOOL),
  And: binary((a, b) => bool(a !== 0 && b !== 0), DT.BOOL),
  Or: binary((a, b) => bool(a !== 0 || b !== 0), DT.BOOL),
  Xor: binary((a, b) => bool((a !== 0) !== (b !== 0)), DT.BOOL),
  // The output takes X's type (input 1), not the condition's; one select per output element.
  Where: (n: NodeIn) => {
    const [c, x, y] = [need(n.inputs[0], 'condition'), need(n.inputs[1], 'X'), need(n.inputs[2], 'Y')]
    const r = nary((vs) => (vs[0] !== 0 ? vs[1] : vs[2]))({...n, inputs: [c, x, y]})
    const out = r.outputs[0]
    return {outputs: [{...out, dtype: x.dtype}], otherOps: numel(out.shape)}
  },
  Cast: ({inputs, attrs}: NodeIn) => ({outputs: [cast(need(inputs[0], 'input'), attrs.int('to', DT.FLOAT))]}),
  CastLike: ({inputs}: NodeIn) => ({outputs: [cast(need(inputs[0], 'input'), need(inputs[1], 'target_type').dtype)]}),
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: ({inputs}: NodeIn) => {
    const x = need(inputs[0], 'x')
    return {outputs: [{shape: x.shape, dtype: need(inputs[1], 'x_scale').dtype}], otherOps: numel(x.shape)}
  },
  // Outputs: y (uint8), y_scale and y_zero_point (scalars); min, max, scale and round: counted 1 per element.
  DynamicQuantizeLinear: ({inputs}: NodeIn) => {
    const x = need(inputs[0], 'x')
    return {outputs: [{shape: x.shape, dtype: DT.UINT8}, {shape: [], dtype: DT.FLOAT}, {shape: [], dtype: DT.UINT8}], otherOps: numel(x.shape)}
  },
  Identity: ({inputs}: NodeIn) => {
    const x = need(inputs[0], 'input')
    return {outputs: [like(x, x.data)]}
  },
  // Inference: the input passes; the mask output is all true.
  Dropout: ({inputs}: NodeIn) => {
    const x = need(inputs[0], 'data')
    return {outputs: [like(x, x.data), {shape: x.shape, dtype: DT.BOOL}]}
  },
} satisfies Record<string, Rule>
