/**
 * What a latency model sees of one network at one batch: MACs, bytes moved (costs.ts TRAFFIC,
 * the fused rule) and kernel counts per op class. Pure; the same lowering as the FLOPs count.
 */
import {ACT_FNS, type ActFn, type Lowered, type Op} from '../arch/ops.js'
import {opCost, opTraffic} from '../flops/costs.js'
import {DTYPE_BYTES, type DType} from '../flops/memory.js'

/**
 * Op classes with different speed limits: 1×1 convs are compute-bound GEMMs, depthwise convs
 * and element-wise work are bound by memory traffic, dense k×k convs (the stem) sit between,
 * and small ops by per-kernel overhead. Squeeze-excite's 1×1 convs on a 1×1 map count with the
 * element-wise ops: they are tiny and launched once per block.
 */
export const OP_CLASSES = ['pointwise', 'depthwise', 'dense', 'elementwise', 'linear'] as const
export type OpClass = (typeof OP_CLASSES)[number]

export function opClass(op: Op): OpClass {
  switch (op.kind) {
    case 'conv':
      if (op.out.h === 1 && op.out.w === 1) return 'elementwise'
      if (op.groups > 1 && op.groups === op.in.c) return 'depthwise'
      return op.kernel === 1 && op.groups === 1 ? 'pointwise' : 'dense'
    case 'linear':
      return 'linear'
    case 'act':
    case 'maxpool':
    case 'gap':
    case 'mul':
    case 'add':
    case 'layernorm':
    case 'scale':
      return 'elementwise'
  }
}

export type PerClass = Record<OpClass, number>

export interface Features {
  batch: number
  dtype: DType
  /** MACs of the whole batch, per class. */
  macs: PerClass
  /** Bytes moved for the whole batch, per class: activations × batch, weights once. */
  bytes: PerClass
  /** Kernels launched per inference, per class. */
  ops: PerClass
  /**
   * Output bytes of convs per activation they end in, for the whole batch: a runtime that cannot
   * fuse that activation into the conv runs it as a pass of its own over the output (ONNX Runtime's
   * CPU EP fuses ReLU and Clip but runs swish as a separate QuickGelu kernel).
   */
  actBytes: Record<ActFn, number>
  /** Per sample, for charts and ranges. */
  totalMacs: number
  activations: number
  totalBytes: number
}

const zero = (): PerClass => ({pointwise: 0, depthwise: 0, dense: 0, elementwise: 0, linear: 0})

export function networkFeatures(net: Lowered, batch: number, dtype: DType): Features {
  const macs = zero()
  const bytes = zero()
  const ops = zero()
  const actBytes = Object.fromEntries(ACT_FNS.map((f) => [f, 0])) as Record<ActFn, number>
  let activations = 0
  const b = DTYPE_BYTES[dtype]
  for (const op of net.ops) {
    const c = opClass(op)
    const cost = opCost(op)
    const t = opTraffic(op)
    macs[c] += cost.macs * batch
    bytes[c] += ((t.inputs + t.outputs) * batch + t.weights) * b
    ops[c] += 1
    if (op.kind === 'conv' && op.act) actBytes[op.act] += op.out.c * op.out.h * op.out.w * batch * b
    activations += cost.activations
  }
  const sum = (p: PerClass) => OP_CLASSES.reduce((a, k) => a + p[k], 0)
  return {batch, dtype, macs, bytes, ops, actBytes, totalMacs: sum(macs) / batch, activations, totalBytes: sum(bytes)}
}
