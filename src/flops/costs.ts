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
 * - traffic: elements read and written (inputs + weights + output, see TRAFFIC); bytes =
 *   traffic × bytes per element of the dtype.
 */
export interface OpCost {
  macs: number
  params: number
  otherOps: number
  activations: number
  traffic: number
}

/**
 * Memory traffic of one op in elements, under the fused rule every inference runtime follows:
 * - conv (+ BN + activation) is one kernel: it reads its input and its weights once and writes
 *   its output once. BN is folded into the conv, so the weights read are the kernel plus one
 *   bias per output channel (what the ONNX emitter writes), not BN's γ and β.
 * - linear reads its input vector, weight matrix and bias, writes its output.
 * - element-wise ops (activation, SE multiply, residual add), LayerNorm and pools read every
 *   input tensor once and write their output; nothing is fused into them. Layer scale is the
 *   exceptions: it is the epilogue of the conv before it and reads only its γ, and so is an
 *   activation right after a linear layer (Gemm + activation), which moves nothing of its own.
 * Intermediate tensors of a fused kernel never reach memory. Caches are ignored: this is the
 * traffic a kernel must move at least once, not what a particular cache hierarchy moves.
 */
export interface Traffic {
  inputs: number
  weights: number
  outputs: number
}

type TrafficFn<K extends OpKind> = (op: Extract<Op, {kind: K}>) => Traffic

const rw = (inputs: number, outputs: number): Traffic => ({inputs, weights: 0, outputs})

export const TRAFFIC: {[K in OpKind]: TrafficFn<K>} = {
  conv: (op) => ({
    inputs: elements(op.in),
    weights: op.out.c * (op.in.c / op.groups) * op.kernel * op.kernel + (op.bias || op.bn ? op.out.c : 0),
    outputs: elements(op.out),
  }),
  act: (op) => (op.epilogue ? rw(0, 0) : rw(elements(op.in), elements(op.out))),
  maxpool: (op) => rw(elements(op.in), elements(op.out)),
  gap: (op) => rw(elements(op.in), elements(op.out)),
  // x (c × h × w) and the per-channel scale s (c).
  mul: (op) => rw(elements(op.in) + op.out.c, elements(op.out)),
  add: (op) => rw(2 * elements(op.in), elements(op.out)),
  linear: (op) => ({inputs: op.in.c, weights: op.in.c * op.out.c + (op.bias ? op.out.c : 0), outputs: op.out.c}),
  // Reads x and γ, β (c each), writes y; the emitter's NHWC transposes around it are layout
  // changes, counted as views (src/onnx/traffic.ts).
  layernorm: (op) => ({inputs: elements(op.in), weights: 2 * op.out.c, outputs: elements(op.out)}),
  // Layer scale always follows a conv (ConvNeXt's second MLP conv) and runs in its epilogue:
  // it reads only its γ; the conv writes the scaled output.
  scale: (op) => ({inputs: 0, weights: op.out.c, outputs: 0}),
}

export function opTraffic(op: Op): Traffic {
  return (TRAFFIC[op.kind] as (o: Op) => Traffic)(op)
}

const moved = (t: Traffic): number => t.inputs + t.weights + t.outputs

/** Element-wise operations per output element of each activation (swish = sigmoid + multiply). */
const ACT_OPS: Record<ActFn, number> = {swish: 2, relu: 1, relu6: 1, sigmoid: 1, hardswish: 2, hardsigmoid: 1, gelu: 4}

/** LayerNorm per element: subtract mean, square, normalise, scale, shift (the two means counted as reads). */
const LAYERNORM_OPS = 5

type CostFn<K extends OpKind> = (op: Extract<Op, {kind: K}>) => OpCost

/** Cost of an op with no MACs and no activations (literal, not a spread: this is the hot path). */
const elementwise = (params: number, otherOps: number, traffic: number): OpCost => ({macs: 0, params, otherOps, activations: 0, traffic})

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
      traffic: moved(TRAFFIC.conv(op)),
    }
  },
  act: (op) => elementwise(0, ACT_OPS[op.fn] * elements(op.out), moved(TRAFFIC.act(op))),
  maxpool: (op) => elementwise(0, elements(op.out) * op.kernel * op.kernel, moved(TRAFFIC.maxpool(op))),
  gap: (op) => elementwise(0, elements(op.in), moved(TRAFFIC.gap(op))),
  mul: (op) => elementwise(0, elements(op.out), moved(TRAFFIC.mul(op))),
  add: (op) => elementwise(0, elements(op.out), moved(TRAFFIC.add(op))),
  linear: (op) => ({
    macs: op.in.c * op.out.c,
    params: op.in.c * op.out.c + (op.bias ? op.out.c : 0),
    otherOps: 0,
    activations: op.out.c,
    traffic: moved(TRAFFIC.linear(op)),
  }),
  layernorm: (op) => elementwise(2 * op.out.c, LAYERNORM_OPS * elements(op.out), moved(TRAFFIC.layernorm(op))),
  scale: (op) => elementwise(op.out.c, elements(op.out), moved(TRAFFIC.scale(op))),
}

export function opCost(op: Op): OpCost {
  return (COSTS[op.kind] as (o: Op) => OpCost)(op)
}
