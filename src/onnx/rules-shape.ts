/**
 * Rules of the ops that move, select or make data: they cost nothing (except where noted), and
 * fold small tensors (Shape → Gather → Concat → Reshape chains, Range, masks built by Where).
 * Ops whose output size depends on the data (NonZero, NonMaxSuppression, TopK with a computed
 * k) throw InferError unless their inputs were folded: the profiler then reports the node, and
 * everything downstream of it, as uncounted.
 */
import {DT} from './proto.js'
import {broadcastReader, foldMap, stridesOf, unravel, withData} from './fold.js'
import {axesOf, axis, broadcast, need, needData, type NodeIn, type Rule} from './rule-kit.js'
import {InferError, MAX_FOLD, numel, tensorValue, type Value} from './values.js'

const keep = (x: Value, shape: number[]): Value => withData(shape, x.dtype, x.data)

const reshape: Rule = ({inputs, attrs}) => {
  const x = need(inputs[0], 'data')
  const target = needData(inputs[1], 'shape')
  const allowZero = attrs.int('allowzero', 0) === 1
  const shape = target.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d))
  const minus = shape.indexOf(-1)
  if (minus >= 0) shape[minus] = numel(x.shape) / numel(shape.filter((_, i) => i !== minus))
  if (numel(shape) !== numel(x.shape) || !shape.every(Number.isInteger)) throw new InferError(`cannot reshape [${x.shape}] to [${target}]`)
  return {outputs: [keep(x, shape)]}
}

const concat: Rule = ({inputs, attrs}) => {
  const xs = inputs.map((v, i) => need(v, `input ${i}`))
  if (xs.length === 0) throw new InferError('no inputs')
  const a = axis(attrs.int('axis', 0), xs[0].shape.length)
  const shape = xs[0].shape.map((d, i) => (i === a ? xs.reduce((s, v) => s + v.shape[a], 0) : d))
  let data: number[] | undefined
  if (numel(shape) <= MAX_FOLD && xs.every((v) => v.data)) {
    const starts = xs.map((_, i) => xs.slice(0, i).reduce((s, v) => s + v.shape[a], 0))
    data = Array.from({length: numel(shape)}, (_, i) => {
      const c = unravel(i, shape)
      let k = xs.length - 1
      while (starts[k] > c[a]) k--
      const local = [...c]
      local[a] -= starts[k]
      return xs[k].data![local.reduce((s, ci, d) => s + ci * stridesOf(xs[k].shape)[d], 0)]
    })
  }
  return {outputs: [withData(shape, xs[0].dtype, data)]}
}

const split: Rule = (n) => {
  const x = need(n.inputs[0], 'input')
  const a = axis(n.attrs.int('axis', 0), x.shape.length)
  const d = x.shape[a]
  let sizes = n.attrs.ints('split') ?? (n.inputs[1] ? needData(n.inputs[1], 'split') : undefined)
  if (!sizes) {
    const parts = n.attrs.int('num_outputs', 0) || n.outputs
    const each = Math.ceil(d / parts)
    sizes = Array.from({length: parts}, (_, i) => Math.max(0, Math.min(each, d - i * each)))
  }
  let start = 0
  const outputs = sizes.map((s) => {
    const shape = x.shape.map((v, i) => (i === a ? s : v))
    const from = start
    start += s
    return withData(shape, x.dtype, foldMap(shape, x, (c) => c.map((v, i) => (i === a ? v + from : v))))
  })
  return {outputs}
}

const slice: Rule = (n) => {
  const x = need(n.inputs[0], 'data')
  const r = x.shape.length
  const old = n.opset < 10
  const starts = old ? n.attrs.ints('starts') : needData(n.inputs[1], 'starts')
  const ends = old ? n.attrs.ints('ends') : needData(n.inputs[2], 'ends')
  if (!starts || !ends) throw new InferError('starts/ends are missing')
  const axes = (old ? n.attrs.ints('axes') : n.inputs[3] && needData(n.inputs[3], 'axes')) ?? starts.map((_, i) => i)
  const steps = (!old && n.inputs[4] && needData(n.inputs[4], 'steps')) || starts.map(() => 1)
  const shape = [...x.shape]
  const begin = x.shape.map(() => 0)
  const step = x.shape.map(() => 1)
  axes.forEach((ax, i) => {
    const a = axis(ax, r)
    const d = x.shape[a]
    const st = steps[i]
    if (st === 0) throw new InferError('slice step is 0')
    const norm = (v: number) => (v < 0 ? v + d : v)
    if (st > 0) {
      const s = Math.min(d, Math.max(0, norm(starts[i])))
      const e = Math.min(d, Math.max(0, norm(ends[i])))
      shape[a] = Math.max(0, Math.ceil((e - s) / st))
      begin[a] = s
    } else {
      // The spec clamps starts to [0, d − 1] but ends to [−1, d − 1] (−1: down to index 0 included).
      const s = Math.min(d - 1, Math.max(0, norm(starts[i])))
      const e = Math.min(d - 1, Math.max(-1, norm(ends[i])))
      shape[a] = Math.max(0, Math.ceil((s - e) / -st))
      begin[a] = s
    }
    step[a] = st
  })
  return {outputs: [withData(shape, x.dtype, foldMap(shape, x, (c) => c.map((v, i) => begin[i] + v * step[i])))]}
}

const gather: Rule = ({inputs, attrs}) => {
  const x = need(inputs[0], 'data')
  const idx = need(inputs[1], 'indices')
  const a = axis(attrs.int('axis', 0), x.shape.length)
  const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)]
  const ist = stridesOf(idx.shape)
  const data = idx.data
    ? foldMap(shape, x, (c) => {
        const ic = c.slice(a, a + idx.shape.length)
        const i = idx.data![ic.reduce((s, v, d) => s + v * ist[d], 0)]
        return [...c.slice(0, a), axis(i, x.shape[a]), ...c.slice(a + idx.shape.length)]
      })
    : undefined
  return {outputs: [withData(shape, x.dtype, data)]}
}

const pad: Rule = (n) => {
  const x = need(n.inputs[0], 'data')
  const r = x.shape.length
  const pads = n.opset < 11 ? n.attrs.ints('pads') ?? n.attrs.ints('paddings') : needData(n.inputs[1], 'pads')
  if (!pads) throw new InferError('pads are missing')
  const axes = n.inputs[3] ? needData(n.inputs[3], 'axes').map((a) => axis(a, r)) : x.shape.map((_, i) => i)
  if (pads.length !== 2 * axes.length) throw new InferError(`${pads.length} pads for ${axes.length} axes`)
  const shape = [...x.shape]
  axes.forEach((a, i) => (shape[a] += pads[i] + pads[i + axes.length]))
  return {outputs: [{shape, dtype: x.dtype}]}
}

const expand: Rule = ({inputs}) => {
  const x = need(inputs[0], 'input')
  const shape = broadcast(x.shape, needData(inputs[1], 'shape'))
  const data = x.data && numel(shape) <= MAX_FOLD ? (() => {
    const read = broadcastReader(x, shape)
    return Array.from({length: numel(shape)}, (_, i) => read(unravel(i, shape)))
  })() : undefined
  return {outputs: [withData(shape, x.dtype, data)]}
}

const tile: Rule = ({inputs}) => {
  const x = need(inputs[0], 'input')
  const reps = needData(inputs[1], 'repeats')
  const shape = x.shape.map((d, i) => d * reps[i])
  return {outputs: [withData(shape, x.dtype, foldMap(shape, x, (c) => c.map((v, i) => v % x.shape[i])))]}
}

const range: Rule = ({inputs}) => {
  const [start, limit, delta] = ['start', 'limit', 'delta'].map((w, i) => needData(inputs[i], w)[0])
  const dtype = need(inputs[0], 'start').dtype
  const count = Math.max(Math.ceil((limit - start) / delta), 0)
  return {outputs: [withData([count], dtype, count <= MAX_FOLD ? Array.from({length: count}, (_, i) => start + i * delta) : undefined)]}
}

const shapeOp: Rule = ({inputs, attrs}) => {
  const x = need(inputs[0], 'data')
  const r = x.shape.length
  const clamp = (v: number) => Math.min(r, Math.max(0, axis(v, r)))
  const data = x.shape.slice(clamp(attrs.int('start', 0)), clamp(attrs.int('end', r)))
  return {outputs: [{shape: [data.length], dtype: DT.INT64, data}]}
}

const constant: Rule = ({attrs}) => {
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
}

const constantOfShape: Rule = ({inputs, attrs}) => {
  const shape = needData(inputs[0], 'input')
  const v = attrs.tensor('value')
  const value = v ? tensorValue(v) : {shape: [1], dtype: DT.FLOAT, data: [0]}
  const data = value.data && numel(shape) <= MAX_FOLD ? new Array<number>(numel(shape)).fill(value.data[0]) : undefined
  return {outputs: [withData(shape, value.dtype, data)]}
}

/** Output size from `sizes`, or floor(input × scale); opset 10 has (X, scales), 11+ (X, roi, scales, sizes). */
const resize: Rule = (n) => {
  const x = need(n.inputs[0], 'X')
  const r = x.shape.length
  const [scalesAt, sizesAt] = n.opType === 'Upsample' || n.opset < 11 ? [1, -1] : [2, 3]
  const axes = (n.attrs.ints('axes') ?? x.shape.map((_, i) => i)).map((a) => axis(a, r))
  const sizes = sizesAt > 0 && n.inputs[sizesAt] && numel(n.inputs[sizesAt]!.shape) > 0 ? needData(n.inputs[sizesAt], 'sizes') : undefined
  const scalesIn = n.inputs[scalesAt] && numel(n.inputs[scalesAt]!.shape) > 0 ? needData(n.inputs[scalesAt], 'scales') : undefined
  const scales = scalesIn ?? n.attrs.floats('scales')
  const shape = [...x.shape]
  if (sizes) {
    const policy = n.attrs.str('keep_aspect_ratio_policy', 'stretch')
    if (policy !== 'stretch') {
      const ratios = axes.map((a, i) => sizes[i] / x.shape[a])
      const s = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios)
      axes.forEach((a) => (shape[a] = Math.round(x.shape[a] * s)))
    } else axes.forEach((a, i) => (shape[a] = sizes[i]))
  } else if (scales) {
    axes.forEach((a, i) => (shape[a] = Math.floor(x.shape[a] * scales[i] + 1e-9)))
  } else throw new InferError('neither scales nor sizes are given')
  // One interpolation per output element.
  return {outputs: [{shape, dtype: x.dtype}], otherOps: numel(shape)}
}

const topK: Rule = (n) => {
  const x = need(n.inputs[0], 'X')
  const k = n.opset < 10 ? n.attrs.int('k', 0) : needData(n.inputs[1], 'K (its value depends on the data)')[0]
  const a = axis(n.attrs.int('axis', -1), x.shape.length)
  const shape = x.shape.map((d, i) => (i === a ? k : d))
  // Selecting k of d: one comparison per input element.
  return {outputs: [{shape, dtype: x.dtype}, {shape, dtype: DT.INT64}], otherOps: numel(x.shape)}
}

const nonZero: Rule = ({inputs}) => {
  const x = need(inputs[0], 'X')
  if (!x.data) throw new InferError('its output size depends on the data (NonZero of a tensor the profiler cannot fold)')
  const st = stridesOf(x.shape)
  const hits = x.data.flatMap((v, i) => (v !== 0 ? [i] : []))
  const data = x.shape.flatMap((_, d) => hits.map((i) => Math.floor(i / st[d]) % x.shape[d]))
  return {outputs: [withData([x.shape.length, hits.length], DT.INT64, data.length <= MAX_FOLD ? data : undefined)]}
}

export const SHAPE_RULES = {
  Reshape: reshape,
  Flatten: ({inputs, attrs}: NodeIn) => {
    const x = need(inputs[0], 'input')
    const a = axis(attrs.int('axis', 1), x.shape.length)
    return {outputs: [keep(x, [numel(x.shape.slice(0, a)), numel(x.shape.slice(a))])]}
  },
  Transpose: ({inputs, attrs}: NodeIn) => {
    const x = need(inputs[0], 'data')
    const perm = attrs.ints('perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i)
    const shape = perm.map((p) => x.shape[p])
    return {
      outputs: [withData(shape, x.dtype, foldMap(shape, x, (c) => {
        const ic = new Array<number>(c.length)
        perm.forEach((p, i) => (ic[p] = c[i]))
        return ic
      }))],
    }
  },
  Concat: concat,
  Split: split,
  Slice: slice,
  Unsqueeze: (n: NodeIn) => {
    const x = need(n.inputs[0], 'data')
    const axes = axesOf(n, 1)
    if (!axes) throw new InferError('axes are missing')
    const r = x.shape.length + axes.length
    const at = new Set(axes.map((a) => axis(a, r)))
    const shape: number[] = []
    for (let i = 0, j = 0; i < r; i++) shape.push(at.has(i) ? 1 : x.shape[j++])
    return {outputs: [keep(x, shape)]}
  },
  Squeeze: (n: NodeIn) => {
    const x = need(n.inputs[0], 'data')
    const axes = axesOf(n, 1)
    const at = new Set(axes?.map((a) => axis(a, x.shape.length)) ?? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])))
    return {outputs: [keep(x, x.shape.filter((_, i) => !at.has(i)))]}
  },
  Pad: pad,
  Expand: expand,
  Tile: tile,
  Gather: gather,
  GatherElements: ({inputs}: NodeIn) => ({outputs: [{shape: need(inputs[1], 'indices').shape, dtype: need(inputs[0], 'data').dtype}]}),
  GatherND: ({inputs, attrs}: NodeIn) => {
    const x = need(inputs[0], 'data')
    const idx = need(inputs[1], 'indices')
    const b = attrs.int('batch_dims', 0)
    const last = idx.shape[idx.shape.length - 1]
    return {outputs: [{shape: [...idx.shape.slice(0, -1), ...x.shape.slice(b + last)], dtype: x.dtype}]}
  },
  ScatterND: ({inputs}: NodeIn) => ({outputs: [{shape: need(inputs[0], 'data').shape, dtype: inputs[0]!.dtype}]}),
  ScatterElements: ({inputs}: NodeIn) => ({outputs: [{shape: need(inputs[0], 'data').shape, dtype: inputs[0]!.dtype}]}),
  Scatter: ({inputs}: NodeIn) => ({outputs: [{shape: need(inputs[0], 'data').shape, dtype: inputs[0]!.dtype}]}),
  Shape: shapeOp,
  Size: ({inputs}: NodeIn) => ({outputs: [{shape: [], dtype: DT.INT64, data: [numel(need(inputs[0], 'data').shape)]}]}),
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
  EyeLike: ({inputs, attrs}: NodeIn) => ({outputs: [{shape: need(inputs[0], 'input').shape, dtype: attrs.int('dtype', 0) || inputs[0]!.dtype}]}),
  Trilu: ({inputs}: NodeIn) => ({outputs: [{shape: need(inputs[0], 'input').shape, dtype: inputs[0]!.dtype}]}),
  // A running sum: one add per element.
  CumSum: ({inputs}: NodeIn) => {
    const x = need(inputs[0], 'x')
    return {outputs: [{shape: x.shape, dtype: x.dtype}], otherOps: numel(x.shape)}
  },
  OneHot: ({inputs, attrs}: NodeIn) => {
    const idx = need(inputs[0], 'indices')
    const depth = needData(inputs[1], 'depth')[0]
    const r = idx.shape.length + 1
    const a = axis(attrs.int('axis', -1), r)
    return {outputs: [{shape: [...idx.shape.slice(0, a), depth, ...idx.shape.slice(a)], dtype: need(inputs[2], 'values').dtype}]}
  },
  DepthToSpace: ({inputs, attrs}: NodeIn) => {
    const x = need(inputs[0], 'input')
    const b = attrs.int('blocksize', 1)
    const [n, c, h, w] = x.shape
    return {outputs: [{shape: [n, c / (b * b), h * b, w * b], dtype: x.dtype}]}
  },
  SpaceToDepth: ({inputs, attrs}: NodeIn) => {
    const x = need(inputs[0], 'input')
    const b = attrs.int('blocksize', 1)
    const [n, c, h, w] = x.shape
    return {outputs: [{shape: [n, c * b * b, h / b, w / b], dtype: x.dtype}]}
  },
  Resize: resize,
  Upsample: resize,
  TopK: topK,
  NonZero: nonZero,
  NonMaxSuppression: () => {
    throw new InferError('its output size depends on the data (how many boxes survive)')
  },
  // One bilinear sample (4 reads, counted as 4) per sampling point is not modelled: one op per output element.
  RoiAlign: ({inputs, attrs}: NodeIn) => {
    const x = need(inputs[0], 'X')
    const rois = need(inputs[1], 'rois')
    const shape = [rois.shape[0], x.shape[1], attrs.int('output_height', 1), attrs.int('output_width', 1)]
    return {outputs: [{shape, dtype: x.dtype}], otherOps: numel(shape)}
  },
  GridSample: ({inputs}: NodeIn) => {
    const x = need(inputs[0], 'X')
    const g = need(inputs[1], 'grid')
    const shape = [x.shape[0], x.shape[1], ...g.shape.slice(1, -1)]
    return {outputs: [{shape, dtype: x.dtype}], otherOps: numel(shape)}
  },
} satisfies Record<string, Rule>
