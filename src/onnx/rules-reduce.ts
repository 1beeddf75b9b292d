/**
 * Rules of pools, reductions, softmax and normalizations. Pools cost one op per window element
 * read; reductions and global pools one per input element; Softmax exp + sum + divide: 3 per
 * element; BatchNormalization (folded to scale + shift): 2; normalizations that compute their
 * statistics (Layer, Group, Instance, Lp): mean, variance, normalize, scale + shift: 5.
 */
import {DT} from './proto.js'
import {axesOf, axis, need, unary, windowOut, type NodeIn, type Rule} from './rule-kit.js'
import {stridesOf, unravel, withData} from './fold.js'
import {InferError, MAX_FOLD, numel, type Value} from './values.js'

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

/** How a reduction folds small data: start value and step; ReduceMean divides the sum afterwards. */
const FOLDS: Partial<Record<string, [number, (acc: number, v: number) => number]>> = {
  ReduceMax: [-Infinity, Math.max],
  ReduceMin: [Infinity, Math.min],
  ReduceSum: [0, (a, v) => a + v],
  ReduceMean: [0, (a, v) => a + v],
  ReduceProd: [1, (a, v) => a * v],
}

function foldReduce(op: string, x: Value, axes: Set<number>, shape: number[]): number[] | undefined {
  const f = FOLDS[op]
  if (!f || !x.data || numel(shape) > MAX_FOLD) return undefined
  const out = new Array<number>(numel(shape)).fill(f[0])
  // The output index of each input element: its coordinates with reduced axes dropped (keepdims does not change it).
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.has(d))
  const kst = stridesOf(kept.map((d) => x.shape[d]))
  x.data.forEach((v, i) => {
    const c = unravel(i, x.shape)
    const k = kept.reduce((s, d, j) => s + c[d] * kst[j], 0)
    out[k] = f[1](out[k], v)
  })
  const per = numel(x.shape) / Math.max(1, numel(shape))
  return op === 'ReduceMean' ? out.map((v) => v / per) : out
}

/** Axes from the attribute (ReduceSum before 13, the others before 18) or input 1; none: all (or none with noop_with_empty_axes). */
const reduce: Rule = (n) => {
  const x = need(n.inputs[0], 'data')
  const r = x.shape.length
  const given = axesOf(n, 1)
  const axes = new Set(
    given && given.length > 0 ? given.map((a) => axis(a, r)) : n.attrs.int('noop_with_empty_axes', 0) ? [] : x.shape.map((_, i) => i),
  )
  const keep = n.attrs.int('keepdims', 1) === 1
  const shape = x.shape.flatMap((d, i) => (axes.has(i) ? (keep ? [1] : []) : [d]))
  return {outputs: [withData(shape, x.dtype, foldReduce(n.opType, x, axes, shape))], otherOps: numel(x.shape)}
}

const argReduce: Rule = ({inputs, attrs}) => {
  const x = need(inputs[0], 'data')
  const a = axis(attrs.int('axis', 0), x.shape.length)
  const keep = attrs.int('keepdims', 1) === 1
  const shape = x.shape.flatMap((d, i) => (i === a ? (keep ? [1] : []) : [d]))
  return {outputs: [{shape, dtype: DT.INT64}], otherOps: numel(x.shape)}
}

/** Y has X's shape; Mean and InvStdDev keep the dims before `axis`, 1 after (opset 17). */
const layerNorm: Rule = ({inputs, attrs}: NodeIn) => {
  const x = need(inputs[0], 'X')
  const a = axis(attrs.int('axis', -1), x.shape.length)
  const stat = x.shape.map((d, i) => (i < a ? d : 1))
  const statType = attrs.int('stash_type', 1) === 1 ? DT.FLOAT : x.dtype
  return {outputs: [{shape: x.shape, dtype: x.dtype}, {shape: stat, dtype: statType}, {shape: stat, dtype: statType}], otherOps: 5 * numel(x.shape)}
}

export const REDUCE_RULES = {
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  AveragePool: pool,
  MaxPool: pool,
  LpPool: pool,
  ReduceMean: reduce,
  ReduceSum: reduce,
  ReduceMax: reduce,
  ReduceMin: reduce,
  ReduceProd: reduce,
  ReduceL1: reduce,
  ReduceL2: reduce,
  ReduceSumSquare: reduce,
  ReduceLogSumExp: reduce,
  ArgMax: argReduce,
  ArgMin: argReduce,
  Softmax: unary(3),
  LogSoftmax: unary(3),
  BatchNormalization: unary(2),
  LayerNormalization: layerNorm,
  InstanceNormalization: unary(5),
  GroupNormalization: unary(5),
  LpNormalization: unary(5),
  // Local response normalization: a window sum per element, counted as one.
  LRN: unary(1),
} satisfies Record<string, Rule>
