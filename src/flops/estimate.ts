/**
 * The cost estimate every command makes before it emits or runs a network: ops, weight bytes,
 * peak activation bytes and the ONNX file size, from the op list alone (no tensor is allocated;
 * microseconds to a millisecond). The op count was already capped before lowering (point.ts).
 */
import os from 'node:os'
import type {Target} from '../arch/target.js'
import {UserError} from '../errors.js'
import {total} from './count.js'
import {lowerTarget} from './index.js'
import {DTYPE_BYTES, peakActivations, type DType} from './memory.js'

export interface CostEstimate {
  ops: number
  weightBytes: number
  /** At the batch asked for. */
  peakActivationBytes: number
  /** ONNX file: initializer bytes plus a generous allowance per node for the graph itself. */
  fileBytes: number
}

/** Protobuf serialisation bytes allowed per lowered op (names, attributes, several nodes per op). */
const GRAPH_BYTES_PER_OP = 1024

export function estimateCost(target: Pick<Target, 'base' | 'point'>, opts: {batch: number; dtype: DType}): CostEstimate {
  const net = lowerTarget(target)
  const bytes = DTYPE_BYTES[opts.dtype]
  const weightBytes = total(net.ops).params * bytes
  return {
    ops: net.ops.length,
    weightBytes,
    peakActivationBytes: peakActivations(net).elements * opts.batch * bytes,
    fileBytes: weightBytes + net.ops.length * GRAPH_BYTES_PER_OP,
  }
}

export interface MemoryLimit {
  bytes: number
  /** How the limit was set, for the refusal. */
  why: string
}

/**
 * Default: half of the memory this process may still take — free memory, or what is left under
 * a cgroup limit — so the estimate refuses long before the kernel's OOM killer acts.
 */
export function memoryLimit(maxMemory?: number): MemoryLimit {
  if (maxMemory !== undefined) return {bytes: maxMemory, why: '--max-memory'}
  const constrained = process.constrainedMemory?.() ?? 0
  const free = constrained > 0 && constrained < os.totalmem() ? Math.min(os.freemem(), constrained - process.memoryUsage().rss) : os.freemem()
  return {bytes: free / 2, why: '50% of free memory; --max-memory to change'}
}

/**
 * Refuses, in one line that begins with `what` (the flags or entry responsible), an estimate over
 * the limit. The file size is no limit: a model over protobuf's 2 GiB is written with external
 * data (src/onnx/write-model.ts), by export and by the sweep's model cache alike.
 */
export function checkEstimate(est: CostEstimate, limit: MemoryLimit, what: string): void {
  const need = est.weightBytes + est.peakActivationBytes
  if (need > limit.bytes) {
    throw new UserError(
      `${what}: needs ~${gib(need)} (weights ${gib(est.weightBytes)} + peak activations ${gib(est.peakActivationBytes)}), over the limit of ${gib(limit.bytes)} (${limit.why})`,
    )
  }
}

const gib = (n: number): string => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`)
