/**
 * Per-op kernel times of one network from an ONNX Runtime profile (`sweep --profile`), for a
 * latency model fitted op by op rather than only to whole-network latencies: a sweep of 19
 * networks gives 19 latencies but thousands of kernel times, enough to tell a 1×1 conv's
 * throughput from a depthwise conv's or a swish pass's, which whole-network latencies of one
 * family cannot (their op mixes move together).
 *
 * ORT keeps the emitter's node names, adding suffixes ("stage2.block1.expand.conv_nchwc",
 * "stage2.block1.expand.swish/QuickGeluFusion/"), so each kernel is charged to the lowered op
 * whose name it starts with. Kernels ORT inserted itself (NCHWc layout reorders) carry no name of
 * ours and are charged to the next op of ours in execution order: they exist for it. Pure.
 */
import type {Lowered} from '../arch/ops.js'
import {runKernels, type TraceEvent} from '../sweep/profile.js'
import {median} from '../sweep/stats.js'

export type {TraceEvent}

export interface OpTimes {
  /** Lowered op name → median kernel time per run, ms (ops ORT ran no kernel for are absent). */
  perOp: Map<string, number>
  /** Runs found in the trace. */
  runs: number
}

const SEPARATORS = new Set(['.', '_', '/'])

/** The lowered op a kernel belongs to: the longest op name the node name starts with, at a separator. */
export function opOfNode(node: string, names: ReadonlySet<string>): string | undefined {
  if (names.has(node)) return node
  for (let i = node.length - 1; i > 0; i--) {
    if (SEPARATORS.has(node[i]) && names.has(node.slice(0, i))) return node.slice(0, i)
  }
  return undefined
}

/** Per-op times over every run of the traces given (one trace per session opening: each keeps its own clock). */
export function opTimes(traces: ReadonlyArray<readonly TraceEvent[]>, net: Lowered): OpTimes {
  const names = new Set(net.ops.map((o) => o.name))
  const perRun = traces.flatMap((t) => runTimes(t, names))
  const perOp = new Map<string, number>()
  for (const name of names) {
    const t = perRun.map((m) => m.get(name)).filter((v): v is number => v !== undefined)
    if (t.length) perOp.set(name, median(t))
  }
  return {perOp, runs: perRun.length}
}

/** One trace → per run, the kernel time charged to each op, ms. */
function runTimes(events: readonly TraceEvent[], names: ReadonlySet<string>): Array<Map<string, number>> {
  const out: Array<Map<string, number>> = []
  for (const {kernels} of runKernels(events)) {
    const times = new Map<string, number>()
    let pending = 0
    let last: string | undefined
    for (const k of kernels) {
      const op = opOfNode(k.name!.slice(0, -'_kernel_time'.length), names)
      if (op === undefined) {
        pending += k.dur!
        continue
      }
      times.set(op, (times.get(op) ?? 0) + (k.dur! + pending) / 1000)
      pending = 0
      last = op
    }
    // Unnamed kernels after the last op of ours (none in emitted models): charged to that op.
    if (pending > 0 && last !== undefined) times.set(last, times.get(last)! + pending / 1000)
    if (times.size > 0) out.push(times)
  }
  return out
}
