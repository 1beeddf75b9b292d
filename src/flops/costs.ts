import type {ActFn, Op, OpKind} from '../arch/ops.js'
import {elements} from '../arch/ops.js'

/**
 * The one cost table, keyed by op kind: a kind without an entry is a compile error, never a
 * silent zero. Pure functions of shapes.
 *
 * - macs: multiply-accumulates of convolutions and linear layers only — what the EfficientNet
 *   paper, torchvision and timm call "FLOPs". flops = 2 × macs.
 * - params: learned parameters. A conv's BN adds 2 per channel (γ, β); running statistics are
 *   buffers, not parameters.
 * - otherOps: element-wise and pooling arithmetic kept out of the headline MACs (activations,
 *   BN in inference, SE multiply, residual adds, pooling), one per output element except
 *   BN (scale + shift: 2), swish (sigmoid + multiply: 2), pools (one per window element read).
 * - activations: output elements of conv and linear layers (fvcore's convention).
 */
export interface OpCost {
  macs: number
  params: number
  otherOps: number
  activations: number
}

/** Element-wise operations per output element of each activation (swish = sigmoid + multiply). */
const ACT_OPS: Record<ActFn, number> = {swish: 2, relu: 1, relu6: 1, sigmoid: 1, hardswish: 2, hardsigmoid: 1, gelu: 4}

/** LayerNorm per element: subtract mean, square, normalise, scale, shift (the two means counted as reads). */
const LAYERNORM_OPS = 5

type CostFn<K extends OpKind> = (op: Extract<Op, {kind: K}>) => OpCost

/** Cost of an op with no MACs and no activations (literal, not a spread: this is the hot path). */
const elementwise = (params: number, otherOps: number): OpCost => ({macs: 0, params, otherOps, activations: 0})

/**
 * MACs of a convolution: each output element reads (inChannels / groups) × kernelArea inputs.
 * Shared with the ONNX profiler (src/onnx) so the two counts cannot drift apart; a transposed
 * conv is the same formula with input and output swapped.
 */
export const convMacs = (outElements: number, inChannels: number, groups: number, kernelArea: number): number =>
  outElements * ((inChannels / groups) * kernelArea)

export const COSTS: {[K in OpKind]: CostFn<K>} = {
  conv: (op) => {
    const out = elements(op.out)
    const perOutput = (op.in.c / op.groups) * op.kernel * op.kernel
    return {
      macs: convMacs(out, op.in.c, op.groups, op.kernel * op.kernel),
      params: op.out.c * perOutput + (op.bias ? op.out.c : 0) + (op.bn ? 2 * op.out.c : 0),
      otherOps: (op.bn ? 2 * out : 0) + (op.act ? ACT_OPS[op.act] * out : 0),
      activations: out,
    }
  },
  act: (op) => elementwise(0, ACT_OPS[op.fn] * elements(op.out)),
  maxpool: (op) => elementwise(0, elements(op.out) * op.kernel * op.kernel),
  gap: (op) => elementwise(0, elements(op.in)),
  mul: (op) => elementwise(0, elements(op.out)),
  add: (op) => elementwise(0, elements(op.out)),
  linear: (op) => ({
    macs: op.in.c * op.out.c,
    params: op.in.c * op.out.c + (op.bias ? op.out.c : 0),
    otherOps: 0,
    activations: op.out.c,
  }),
  layernorm: (op) => elementwise(2 * op.out.c, LAYERNORM_OPS * elements(op.out)),
  scale: (op) => elementwise(op.out.c, elements(op.out)),
}

export function opCost(op: Op): OpCost {
  return (COSTS[op.kind] as (o: Op) => OpCost)(op)
}
