/**
 * The one ONNX cost table, keyed by op type: each rule infers a node's output shapes (folding
 * small constant tensors) and returns its cost. An op type listed in ONNX_OPS without a rule is
 * a compile error; an op type not listed is reported as unsupported by the profiler, never
 * counted as zero.
 *
 * Conventions match src/flops/costs.ts: `macs` are multiply-accumulates of Conv,
 * ConvTranspose, Gemm and MatMul only (biases are free); `otherOps` counts the rest, one per
 * output element except BatchNormalization (scale + shift: 2), HardSwish (hard-sigmoid +
 * multiply: 2, like swish), Softmax (exp + sum + divide: 3), pools (one per window element
 * read) and reductions/global pools (one per input element). Data movement (Reshape,
 * Transpose, Concat, Cast, Pad, …) costs nothing.
 */
import {convMacs} from '../flops/costs.js'
import {DT} from './proto.js'
import {Attrs, InferError, MAX_FOLD, numel, tensorValue, type Value} from './values.js'

export interface NodeIn {
  opType: string
  inputs: Array<Value | undefined>
  attrs: Attrs
  /** Opset version of the default domain: some ops moved attributes to inputs. */
  opset: number
}

export interface NodeOut {
  outputs: Value[]
  macs?: number
  otherOps?: number
}

export type Rule = (n: NodeIn) => NodeOut

export const ONNX_OPS = [
  'Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'BatchNormalization',
  'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Erf', 'LayerNormalization',
  'Add', 'Sub', 'Mul', 'Div',
  'GlobalAveragePool', 'GlobalMaxPool', 'AveragePool', 'MaxPool', 'ReduceMean', 'Softmax',
  'Flatten', 'Reshape', 'Transpose', 'Identity', 'Dropout', 'Concat', 'Cast', 'Constant',
  'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Slice', 'Pad', 'ConstantOfShape',
] as const
export type OnnxOpType = (typeof ONNX_OPS)[number]

export const isSupported = (op: string): op is OnnxOpType => Object.hasOwn(RULES, op)

// ---- helpers -------------------------------------------------------------------------------

function need(v: Value | undefined, what: string): Value {
  if (!v) throw new InferError(`${what} has no known shape`)
  return v
}

function needData(v: Value | undefined, what: string): number[] {
  if (!v?.data) throw new InferError(`${what} is not a constant the profiler can fold`)
  return v.data
}

const like = (v: Value, data?: number[]): Value => (data ? {shape: v.shape, dtype: v.dtype, data} : {shape: v.shape, dtype: v.dtype})
const fold = (shape: number[], dtype: number, data: () => number[] | undefined): Value => {
  const d = numel(shape) <= MAX_FOLD ? data() : undefined
  return d ? {shape, dtype, data: d} : {shape, dtype}
}
const axis = (a: number, rank: number) => (a < 0 ? a + rank : a)

/** Multidirectional (numpy) broadcast. */
export function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length)
  return Array.from({length: r}, (_, i) => {
    const x = a[a.length - r + i] ?? 1
    const y = b[b.length - r + i] ?? 1
    if (x !== y && x !== 1 && y !== 1) throw new InferError(`shapes [${a}] and [${b}] do not broadcast`)
    return x === 1 ? y : x
  })
}

/** Output spatial size of a windowed op (conv, pool) along each axis, per the ONNX spec. */
function windowOut(x: number[], kernel: number[], a: Attrs, ceilMode = false): number[] {
  const n = kernel.length
  const strides = a.ints('strides') ?? kernel.map(() => 1)
  const dil = a.ints('dilations') ?? kernel.map(() => 1)
  const pads = a.ints('pads') ?? new Array<number>(2 * n).fill(0)
  const autoPad = a.str('auto_pad', 'NOTSET')
  return x.map((size, i) => {
    const ek = dil[i] * (kernel[i] - 1) + 1
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / strides[i])
    if (autoPad === 'VALID') return Math.floor((size - ek) / strides[i]) + 1
    const span = size + pads[i] + pads[i + n] - ek
    if (!ceilMode) return Math.floor(span / strides[i]) + 1
    const out = Math.ceil(span / strides[i]) + 1
    // A last window starting inside the end padding is dropped.
    return (out - 1) * strides[i] >= size + pads[i] ? out - 1 : out
  })
}

const isInt = (dt: number) => dt !== DT.FLOAT && dt !== DT.DOUBLE && dt !== DT.FLOAT16 && dt !== DT.BFLOAT16

const unary = (perElement: number): Rule => ({inputs}) => {
  const x = need(inputs[0], 'input')
  return {outputs: [like(x)], otherOps: perElement * numel(x.shape)}
}

const binary = (f: (a: number, b: number, integer: boolean) => number): Rule => ({inputs}) => {
  const a = need(inputs[0], 'A')
  const b = need(inputs[1], 'B')
  const shape = broadcast(a.shape, b.shape)
  const n = numel(shape)
  // Fold only same-size or scalar operands: enough for shape arithmetic.
  const out = fold(shape, a.dtype, () => {
    if (!a.data || !b.data) return undefined
    if (a.data.length !== n && a.data.length !== 1) return undefined
    if (b.data.length !== n && b.data.length !== 1) return undefined
    const integer = isInt(a.dtype)
    return Array.from({length: n}, (_, i) => f(a.data![a.data!.length === 1 ? 0 : i], b.data![b.data!.length === 1 ? 0 : i], integer))
  })
  return {outputs: [out], otherOps: n}
}

/** Axes given as an attribute (older opsets) or as input `index` (newer). */
function axesOf(n: NodeIn, index: number): number[] | undefined {
  const attr = n.attrs.ints('axes')
  if (attr) return attr
  if (n.inputs.length > index && n.inputs[index]) return needData(n.inputs[index], 'axes')
  return undefined
}

const globalPool: Rule = ({inputs}) => {
  const x = need(inputs[0], 'X')
  return {outputs: [{shape: [...x.shape.slice(0, 2), ...x.shape.slice(2).map(() => 1)], dtype: x.dtype}], otherOps: numel(x.shape)}
}

const pool: Rule = ({inputs, attrs}) => {
  const x = need(inputs[0], 'X')
  const k = attrs.ints('kernel_shape')
  if (!k) throw new InferError('kernel_shape is missing')
  const shape = [...x.shape.slice(0, 2), ...windowOut(x.shape.slice(2), k, attrs, attrs.int('ceil_mode', 0) === 1)]
  return {outputs: [{shape, dtype: x.dtype}, {shape, dtype: DT.INT64}], otherOps: numel(shape) * numel(k)}
}

const passThrough: Rule = ({inputs}) => {
  const x = need(inputs[0], 'input')
  return {outputs: [like(x, x.data), {shape: x.shape, dtype: DT.BOOL}]}
}

// ---- the table -----------------------------------------------------------------------------

export const RULES: Record<OnnxOpType, Rule> = {
  Conv: ({inputs, attrs}) => {
    const x = need(inputs[0], 'X')
    const w = need(inputs[1], 'W')
    const group = attrs.int('group', 1)
    const kernel = attrs.ints('kernel_shape') ?? w.shape.slice(2)
    const shape = [x.shape[0], w.shape[0], ...windowOut(x.shape.slice(2), kernel, attrs)]
    return {outputs: [{shape, dtype: x.dtype}], macs: convMacs(numel(shape), x.shape[1], group, numel(kernel))}
  },
  ConvTranspose: ({inputs, attrs}) => {
    const x = need(inputs[0], 'X')
    const w = need(inputs[1], 'W')
    const group = attrs.int('group', 1)
    const kernel = attrs.ints('kernel_shape') ?? w.shape.slice(2)
    const outC = w.shape[1] * group
    const spatial = x.shape.slice(2)
    const n = spatial.length
    const strides = attrs.ints('strides') ?? kernel.map(() => 1)
    const dil = attrs.ints('dilations') ?? kernel.map(() => 1)
    const outPad = attrs.ints('output_padding') ?? kernel.map(() => 0)
    const pads = attrs.ints('pads') ?? new Array<number>(2 * n).fill(0)
    const autoPad = attrs.str('auto_pad', 'NOTSET')
    const given = attrs.ints('output_shape')
    const outSpatial = given
      ? given.slice(-n)
      : spatial.map((s, i) =>
          autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER'
            ? s * strides[i]
            : strides[i] * (s - 1) + outPad[i] + (kernel[i] - 1) * dil[i] + 1 - (autoPad === 'VALID' ? 0 : pads[i] + pads[i + n]),
        )
    // Every input element is scattered to (outC / group) × kernel outputs: conv with in and out swapped.
    return {outputs: [{shape: [x.shape[0], outC, ...outSpatial], dtype: x.dtype}], macs: convMacs(numel(x.shape), outC, group, numel(kernel))}
  },
  Gemm: ({inputs, attrs}) => {
    const a = need(inputs[0], 'A').shape
    const b = need(inputs[1], 'B').shape
    const [m, k] = attrs.int('transA', 0) ? [a[1], a[0]] : [a[0], a[1]]
    const n = attrs.int('transB', 0) ? b[0] : b[1]
    return {outputs: [{shape: [m, n], dtype: inputs[0]!.dtype}], macs: m * n * k}
  },
  MatMul: ({inputs}) => {
    const a = need(inputs[0], 'A')
    const b = need(inputs[1], 'B')
    const as = a.shape.length === 1 ? [1, a.shape[0]] : a.shape
    const bs = b.shape.length === 1 ? [b.shape[0], 1] : b.shape
    const [m, k] = as.slice(-2)
    const n = bs[bs.length - 1]
    const batch = broadcast(as.slice(0, -2), bs.slice(0, -2))
    const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])]
    return {outputs: [{shape, dtype: a.dtype}], macs: numel(batch) * m * n * k}
  },
  BatchNormalization: unary(2),
  Relu: unary(1),
  LeakyRelu: unary(1),
  Clip: unary(1),
  Sigmoid: unary(1),
  HardSigmoid: unary(1),
  HardSwish: unary(2),
  Tanh: unary(1),
  Erf: unary(1),
  // Mean, variance, normalise, scale, shift per element (the analytic table's LayerNorm count).
  LayerNormalization: unary(5),
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  // Integer tensors divide with truncation (as ORT does); float tensors holding whole numbers do not.
  Div: binary((a, b, integer) => (integer ? Math.trunc(a / b) : a / b)),
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  AveragePool: pool,
  MaxPool: pool,
  ReduceMean: (n) => {
    const x = need(n.inputs[0], 'data')
    const r = x.shape.length
    const given = axesOf(n, 1)
    const axes = new Set(
      given && given.length > 0 ? given.map((a) => axis(a, r)) : n.attrs.int('noop_with_empty_axes', 0) ? [] : x.shape.map((_, i) => i),
    )
    const keep = n.attrs.int('keepdims', 1) === 1
    const shape = x.shape.flatMap((d, i) => (axes.has(i) ? (keep ? [1] : []) : [d]))
    return {outputs: [{shape, dtype: x.dtype}], otherOps: numel(x.shape)}
  },
  Softmax: unary(3),
  Flatten: ({inputs, attrs}) => {
    const x = need(inputs[0], 'input')
    const a = axis(attrs.int('axis', 1), x.shape.length)
    return {outputs: [{shape: [numel(x.shape.slice(0, a)), numel(x.shape.slice(a))], dtype: x.dtype, ...(x.data && {data: x.data})}]}
  },
  Reshape: ({inputs, attrs}) => {
    const x = need(inputs[0], 'data')
    const target = needData(inputs[1], 'shape')
    const allowZero = attrs.int('allowzero', 0) === 1
    const shape = target.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d))
    const minus = shape.indexOf(-1)
    if (minus >= 0) shape[minus] = numel(x.shape) / numel(shape.filter((_, i) => i !== minus))
    if (numel(shape) !== numel(x.shape) || !shape.every(Number.isInteger)) {
      throw new InferError(`cannot reshape [${x.shape}] to [${target}]`)
    }
    return {outputs: [{shape, dtype: x.dtype, ...(x.data && {data: x.data})}]}
  },
  Transpose: ({inputs, attrs}) => {
    const x = need(inputs[0], 'data')
    const perm = attrs.ints('perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i)
    return {outputs: [{shape: perm.map((p) => x.shape[p]), dtype: x.dtype}]}
  },
  Identity: passThrough,
  Dropout: passThrough,
  Concat: ({inputs, attrs}) => {
    const xs = inputs.map((v, i) => need(v, `input ${i}`))
    if (xs.length === 0) throw new InferError('no inputs')
    const a = axis(attrs.int('axis', 0), xs[0].shape.length)
    const shape = xs[0].shape.map((d, i) => (i === a ? xs.reduce((s, v) => s + v.shape[a], 0) : d))
    const data = shape.length === 1 && xs.every((v) => v.data) ? xs.flatMap((v) => v.data!) : undefined
    return {outputs: [data ? {shape, dtype: xs[0].dtype, data} : {shape, dtype: xs[0].dtype}]}
  },
  Cast: ({inputs, attrs}) => {
    const x = need(inputs[0], 'input')
    const to = attrs.int('to', DT.FLOAT)
    const data = x.data && (isInt(to) ? x.data.map((v) => (to === DT.BOOL ? Number(v !== 0) : Math.trunc(v))) : x.data)
    return {outputs: [data ? {shape: x.shape, dtype: to, data} : {shape: x.shape, dtype: to}]}
  },
  Constant: ({attrs}) => {
    const t = attrs.tensor('value')
    if (t) return {outputs: [tensorValue(t)]}
    for (const [name, dtype, scalar] of [
      ['value_float', DT.FLOAT, true],
      ['value_int', DT.INT64, true],
      ['value_floats', DT.FLOAT, false],
      ['value_ints', DT.INT64, false],
    ] as const) {
      if (!attrs.has(name)) continue
      const data = scalar ? [name === 'value_int' ? attrs.int(name, 0) : attrs.float(name, 0)] : name === 'value_ints' ? attrs.ints(name)! : attrs.floats(name)!
      return {outputs: [{shape: scalar ? [] : [data.length], dtype, data}]}
    }
    throw new InferError('Constant without a supported value attribute')
  },
  Shape: ({inputs, attrs}) => {
    const x = need(inputs[0], 'data')
    const r = x.shape.length
    const clamp = (v: number) => Math.min(r, Math.max(0, axis(v, r)))
    const data = x.shape.slice(clamp(attrs.int('start', 0)), clamp(attrs.int('end', r)))
    return {outputs: [{shape: [data.length], dtype: DT.INT64, data}]}
  },
  Gather: ({inputs, attrs}) => {
    const x = need(inputs[0], 'data')
    const idx = need(inputs[1], 'indices')
    const a = axis(attrs.int('axis', 0), x.shape.length)
    const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)]
    const data = x.shape.length === 1 && x.data && idx.data ? idx.data.map((i) => x.data![axis(i, x.shape[0])]) : undefined
    return {outputs: [data ? {shape, dtype: x.dtype, data} : {shape, dtype: x.dtype}]}
  },
  Unsqueeze: (n) => {
    const x = need(n.inputs[0], 'data')
    const axes = axesOf(n, 1)
    if (!axes) throw new InferError('axes are missing')
    const r = x.shape.length + axes.length
    const at = new Set(axes.map((a) => axis(a, r)))
    const shape: number[] = []
    for (let i = 0, j = 0; i < r; i++) shape.push(at.has(i) ? 1 : x.shape[j++])
    return {outputs: [{shape, dtype: x.dtype, ...(x.data && {data: x.data})}]}
  },
  Squeeze: (n) => {
    const x = need(n.inputs[0], 'data')
    const axes = axesOf(n, 1)
    const at = new Set(axes?.map((a) => axis(a, x.shape.length)) ?? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])))
    return {outputs: [{shape: x.shape.filter((_, i) => !at.has(i)), dtype: x.dtype, ...(x.data && {data: x.data})}]}
  },
  Slice: (n) => {
    const x = need(n.inputs[0], 'data')
    const r = x.shape.length
    const old = n.opset < 10
    const starts = old ? n.attrs.ints('starts') : needData(n.inputs[1], 'starts')
    const ends = old ? n.attrs.ints('ends') : needData(n.inputs[2], 'ends')
    if (!starts || !ends) throw new InferError('starts/ends are missing')
    const axes = (old ? n.attrs.ints('axes') : n.inputs[3] && needData(n.inputs[3], 'axes')) ?? starts.map((_, i) => i)
    const steps = (!old && n.inputs[4] && needData(n.inputs[4], 'steps')) || starts.map(() => 1)
    const shape = [...x.shape]
    const ranges: Array<[number, number, number]> = x.shape.map((d) => [0, d, 1])
    axes.forEach((ax, i) => {
      const a = axis(ax, r)
      const d = x.shape[a]
      const step = steps[i]
      const norm = (v: number) => (v < 0 ? v + d : v)
      if (step > 0) {
        const s = Math.min(d, Math.max(0, norm(starts[i])))
        const e = Math.min(d, Math.max(0, norm(ends[i])))
        shape[a] = Math.max(0, Math.ceil((e - s) / step))
        ranges[a] = [s, e, step]
      } else {
        // The spec clamps starts to [0, d − 1] but ends to [−1, d − 1] (−1: down to index 0 included).
        const s = Math.min(d - 1, Math.max(0, norm(starts[i])))
        const e = Math.min(d - 1, Math.max(-1, norm(ends[i])))
        shape[a] = Math.max(0, Math.ceil((s - e) / -step))
        ranges[a] = [s, e, step]
      }
    })
    let data: number[] | undefined
    if (r === 1 && x.data) {
      const [s, , step] = ranges[0]
      data = Array.from({length: shape[0]}, (_, i) => x.data![s + i * step])
    }
    return {outputs: [data ? {shape, dtype: x.dtype, data} : {shape, dtype: x.dtype}]}
  },
  Pad: (n) => {
    const x = need(n.inputs[0], 'data')
    const r = x.shape.length
    const pads = n.opset < 11 ? n.attrs.ints('pads') : needData(n.inputs[1], 'pads')
    if (!pads) throw new InferError('pads are missing')
    const axes = n.inputs[3] ? needData(n.inputs[3], 'axes').map((a) => axis(a, r)) : x.shape.map((_, i) => i)
    const shape = [...x.shape]
    axes.forEach((a, i) => (shape[a] += pads[i] + pads[i + axes.length]))
    return {outputs: [{shape, dtype: x.dtype}]}
  },
  ConstantOfShape: ({inputs, attrs}) => {
    const shape = needData(inputs[0], 'input')
    const v = attrs.tensor('value')
    const value = v ? tensorValue(v) : {shape: [1], dtype: DT.FLOAT, data: [0]}
    return {outputs: [fold(shape, value.dtype, () => value.data && new Array<number>(numel(shape)).fill(value.data[0]))]}
  },
}
