/** The types every ONNX cost rule shares, and the helpers rules are built from. */
import {DT} from './proto.js'
import {foldEach, withData} from './fold.js'
import {Attrs, InferError, numel, type Value} from './values.js'

export interface NodeIn {
  opType: string
  inputs: Array<Value | undefined>
  attrs: Attrs
  /** Opset version of the default domain: some ops moved attributes to inputs. */
  opset: number
  /** How many outputs the node names (Split without sizes divides among them). */
  outputs: number
}

export interface NodeOut {
  outputs: Value[]
  macs?: number
  otherOps?: number
}

export type Rule = (n: NodeIn) => NodeOut

export function need(v: Value | undefined, what: string): Value {
  if (!v) throw new InferError(`${what} has no known shape`)
  return v
}

export function needData(v: Value | undefined, what: string): number[] {
  if (!v?.data) throw new InferError(`${what} is not a constant the profiler can fold`)
  return v.data
}

export const like = (v: Value, data?: number[]): Value => withData(v.shape, v.dtype, data)
export const axis = (a: number, rank: number): number => (a < 0 ? a + rank : a)
export const isInt = (dt: number): boolean => dt !== DT.FLOAT && dt !== DT.DOUBLE && dt !== DT.FLOAT16 && dt !== DT.BFLOAT16

/** Multidirectional (numpy) broadcast. */
export function broadcast(...shapes: ReadonlyArray<readonly number[]>): number[] {
  const r = Math.max(0, ...shapes.map((s) => s.length))
  return Array.from({length: r}, (_, i) => {
    let out = 1
    for (const s of shapes) {
      const d = s[s.length - r + i] ?? 1
      if (d === 1) continue
      if (out !== 1 && d !== out) throw new InferError(`shapes ${shapes.map((x) => `[${x}]`).join(' and ')} do not broadcast`)
      out = d
    }
    return out
  })
}

/** Elementwise op of one input: `perElement` other ops per element; folds small data with `f`. */
export const unary = (perElement: number, f?: (x: number, dtype: number) => number, outDtype?: number): Rule => ({inputs}) => {
  const x = need(inputs[0], 'input')
  const data = f && x.data ? x.data.map((v) => f(v, x.dtype)) : undefined
  return {outputs: [withData(x.shape, outDtype ?? x.dtype, data)], otherOps: perElement * numel(x.shape)}
}

/** Broadcasting elementwise op of all its inputs, one other op per output element. */
export const nary = (f?: (xs: number[], integer: boolean) => number, outDtype?: number): Rule => ({inputs}) => {
  const xs = inputs.map((v, i) => need(v, `input ${i}`))
  if (xs.length === 0) throw new InferError('no inputs')
  const shape = broadcast(...xs.map((v) => v.shape))
  const integer = isInt(xs[0].dtype)
  const data = f ? foldEach(shape, xs, (vs) => f(vs, integer)) : undefined
  return {outputs: [withData(shape, outDtype ?? xs[0].dtype, data)], otherOps: numel(shape) * Math.max(1, xs.length - 1)}
}

export const binary = (f: (a: number, b: number, integer: boolean) => number, outDtype?: number): Rule =>
  nary((xs, integer) => f(xs[0], xs[1], integer), outDtype)

/** Axes given as an attribute (older opsets) or as input `index` (newer); undefined when absent. */
export function axesOf(n: NodeIn, index: number): number[] | undefined {
  const attr = n.attrs.ints('axes')
  if (attr) return attr
  if (n.inputs.length > index && n.inputs[index]) return needData(n.inputs[index], 'axes')
  return undefined
}

/** Output spatial size of a windowed op (conv, pool) along each axis, per the ONNX spec. */
export function windowOut(x: number[], kernel: number[], a: Attrs, ceilMode = false): number[] {
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
