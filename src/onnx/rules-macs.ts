/**
 * Rules of the ops that multiply and accumulate: convolutions, matrix products, Einsum and their
 * quantized forms. MACs follow src/flops/costs.ts (biases are free).
 */
import {convMacs} from '../flops/costs.js'
import {DT} from './proto.js'
import {broadcast, need, windowOut, type NodeIn, type NodeOut, type Rule} from './rule-kit.js'
import {InferError, numel, type Value, type Attrs} from './values.js'

function conv(x: Value, w: Value, attrs: Attrs, dtype: number): NodeOut {
  const group = attrs.int('group', 1)
  const kernel = attrs.ints('kernel_shape') ?? w.shape.slice(2)
  const shape = [x.shape[0], w.shape[0], ...windowOut(x.shape.slice(2), kernel, attrs)]
  return {outputs: [{shape, dtype}], macs: convMacs(numel(shape), x.shape[1], group, numel(kernel))}
}

function matmul(a: Value, b: Value, dtype: number): NodeOut {
  const as = a.shape.length === 1 ? [1, a.shape[0]] : a.shape
  const bs = b.shape.length === 1 ? [b.shape[0], 1] : b.shape
  const [m, k] = as.slice(-2)
  const [k2, n] = bs.slice(-2)
  if (k !== k2) throw new InferError(`MatMul of [${a.shape}] and [${b.shape}]: inner dims differ`)
  const batch = broadcast(as.slice(0, -2), bs.slice(0, -2))
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])]
  return {outputs: [{shape, dtype}], macs: numel(batch) * m * n * k}
}

/**
 * Einsum: operands are contracted left to right, as PyTorch and ONNX Runtime do (two at a time);
 * each step costs the product of the sizes of every letter of its two operands, and keeps the
 * letters the output or a later operand still needs. One operand (a transpose, trace or sum)
 * costs no MACs, one other op per input element.
 */
const einsum: Rule = ({inputs, attrs}) => {
  const xs = inputs.map((v, i) => need(v, `input ${i}`))
  const eq = attrs.str('equation', '').replace(/\s+/g, '')
  const [lhs, rhsGiven] = eq.split('->')
  const terms = lhs.split(',')
  if (terms.length !== xs.length) throw new InferError(`equation "${eq}" names ${terms.length} operand(s), node has ${xs.length}`)
  // "..." stands for the leading dims not named by letters: spell them as upper-case letters of our own.
  const ellRank = Math.max(0, ...terms.map((t, i) => (t.includes('...') ? xs[i].shape.length - (t.length - 3) : 0)))
  const ellLetters = Array.from({length: ellRank}, (_, i) => String.fromCharCode(0x100 + i))
  const spelled = terms.map((t, i) => {
    if (!t.includes('...')) return [...t]
    const r = xs[i].shape.length - (t.length - 3)
    return [...t.replace('...', '\u0000')].flatMap((c) => (c === '\u0000' ? ellLetters.slice(ellRank - r) : [c]))
  })
  const size = new Map<string, number>()
  spelled.forEach((letters, i) => {
    if (letters.length !== xs[i].shape.length) throw new InferError(`term "${terms[i]}" does not fit operand ${i} of shape [${xs[i].shape}]`)
    letters.forEach((c, d) => {
      const s = xs[i].shape[d]
      const had = size.get(c)
      if (had !== undefined && had !== s && had !== 1 && s !== 1) throw new InferError(`letter ${c} is ${had} and ${s}`)
      size.set(c, had === undefined || had === 1 ? s : had)
    })
  })
  let out: string[]
  if (rhsGiven !== undefined) {
    out = [...rhsGiven.replace('...', '\u0000')].flatMap((c) => (c === '\u0000' ? ellLetters : [c]))
  } else {
    const counts = new Map<string, number>()
    for (const l of spelled.flat()) counts.set(l, (counts.get(l) ?? 0) + 1)
    out = [...ellLetters, ...[...counts].filter(([c, k]) => k === 1 && !ellLetters.includes(c)).map(([c]) => c).sort()]
  }
  const shape = out.map((c) => {
    const s = size.get(c)
    if (s === undefined) throw new InferError(`output letter ${c} is not in any operand`)
    return s
  })
  let macs = 0
  let acc = spelled[0]
  for (let i = 1; i < spelled.length; i++) {
    const union = [...new Set([...acc, ...spelled[i]])]
    macs += numel(union.map((c) => size.get(c)!))
    const later = new Set([...out, ...spelled.slice(i + 1).flat()])
    acc = union.filter((c) => later.has(c))
  }
  return {outputs: [{shape, dtype: xs[0].dtype}], macs, otherOps: xs.length === 1 ? numel(xs[0].shape) : 0}
}

export const MAC_RULES = {
  Conv: ({inputs, attrs}: NodeIn) => {
    const x = need(inputs[0], 'X')
    return conv(x, need(inputs[1], 'W'), attrs, x.dtype)
  },
  ConvInteger: ({inputs, attrs}: NodeIn) => conv(need(inputs[0], 'x'), need(inputs[1], 'w'), attrs, DT.INT32),
  // Inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B.
  QLinearConv: ({inputs, attrs}: NodeIn) => {
    const x = need(inputs[0], 'x')
    return conv(x, need(inputs[3], 'w'), attrs, need(inputs[7], 'y_zero_point').dtype)
  },
  ConvTranspose: ({inputs, attrs}: NodeIn) => {
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
  Gemm: ({inputs, attrs}: NodeIn) => {
    const a = need(inputs[0], 'A').shape
    const b = need(inputs[1], 'B').shape
    const [m, k] = attrs.int('transA', 0) ? [a[1], a[0]] : [a[0], a[1]]
    const n = attrs.int('transB', 0) ? b[0] : b[1]
    return {outputs: [{shape: [m, n], dtype: inputs[0]!.dtype}], macs: m * n * k}
  },
  MatMul: ({inputs}: NodeIn) => {
    const a = need(inputs[0], 'A')
    return matmul(a, need(inputs[1], 'B'), a.dtype)
  },
  MatMulInteger: ({inputs}: NodeIn) => matmul(need(inputs[0], 'A'), need(inputs[1], 'B'), DT.INT32),
  // Inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point.
  QLinearMatMul: ({inputs}: NodeIn) => matmul(need(inputs[0], 'a'), need(inputs[3], 'b'), need(inputs[7], 'y_zero_point').dtype),
  Einsum: einsum,
} satisfies Record<string, Rule>
