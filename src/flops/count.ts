import type {Lowered, Op} from '../arch/ops.js'
import {opCost, type OpCost} from './costs.js'
import {DTYPE_BYTES, memory, type DType, type Memory} from './memory.js'

/** Stated in every human output: the convention behind the numbers. */
export const CONVENTION = 'MACs = multiply-accumulates (the paper\'s "FLOPs"); FLOPs = 2 × MACs'

export interface Totals extends OpCost {
  /** 2 × macs. */
  flops: number
  /** Dtype of `bytes` (every tensor and weight in it). */
  dtype: DType
  /** traffic × bytes per element: memory read and written under the fused rule (costs.ts). */
  bytes: number
  /** Arithmetic intensity: MACs per byte moved. */
  intensity: number
}

export const BREAKDOWNS = ['stage', 'op', 'layer'] as const
export type Breakdown = (typeof BREAKDOWNS)[number]

export interface BreakdownRow extends Totals {
  /** Stage name, op category, or layer name. */
  key: string
  /** Ops in the group (1 for a layer). */
  count: number
  /** Output shape (c×h×w) of the group's last op. */
  out: string
}

export function total(ops: readonly Op[], dtype: DType = 'fp32'): Totals {
  // Sums in locals, not object fields: MACs outgrow small integers, and a field changing
  // representation mid-loop sends V8 into a slow path (this is the hot loop of every grid).
  let macs = 0
  let params = 0
  let otherOps = 0
  let activations = 0
  let traffic = 0
  for (const op of ops) {
    const c = opCost(op)
    macs += c.macs
    params += c.params
    otherOps += c.otherOps
    activations += c.activations
    traffic += c.traffic
  }
  const bytes = traffic * DTYPE_BYTES[dtype]
  return {macs, params, otherOps, activations, traffic, flops: 2 * macs, dtype, bytes, intensity: bytes > 0 ? macs / bytes : 0}
}

/** Category for the per-op breakdown: convs split by role, then by shape. */
export function opCategory(op: Op): string {
  if (op.kind !== 'conv') return op.kind
  switch (op.role) {
    case 'se':
      return 'se-conv'
    case 'mlp':
      return 'channel-mlp'
    case 'main':
    case 'shortcut':
    case 'downsample':
      if (op.groups > 1 && op.groups === op.in.c) return 'depthwise-conv'
      if (op.groups > 1) return 'group-conv'
      if (op.kernel === 1) return 'pointwise-conv'
      return 'conv'
  }
}

export function breakdown(net: Lowered, by: Breakdown, dtype: DType = 'fp32'): BreakdownRow[] {
  const keyOf = by === 'stage' ? (op: Op) => op.stage : by === 'op' ? opCategory : (op: Op) => op.name
  const groups = new Map<string, Op[]>()
  for (const op of net.ops) {
    const k = keyOf(op)
    const g = groups.get(k)
    if (g) g.push(op)
    else groups.set(k, [op])
  }
  return [...groups].map(([key, ops]) => {
    const last = ops[ops.length - 1].out
    return {key, count: ops.length, out: `${last.c}×${last.h}×${last.w}`, ...total(ops, dtype)}
  })
}

export interface Analysis extends Totals {
  memory: Memory
  breakdown?: BreakdownRow[]
}

export function analyze(net: Lowered, opts: {batch?: number; breakdown?: Breakdown; dtype?: DType} = {}): Analysis {
  const t = total(net.ops, opts.dtype)
  return {
    ...t,
    memory: memory(net, t.params, opts.batch ?? 1),
    ...(opts.breakdown ? {breakdown: breakdown(net, opts.breakdown, opts.dtype)} : {}),
  }
}
