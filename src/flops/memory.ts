import type {Lowered} from '../arch/ops.js'
import {elements} from '../arch/ops.js'

export const DTYPE_BYTES = {fp32: 4, fp16: 2, int8: 1} as const
export type DType = keyof typeof DTYPE_BYTES

export interface Memory {
  batch: number
  /** Bytes of the learned parameters per storage dtype. */
  weightBytes: Record<DType, number>
  /** Elements of the largest set of tensors alive at once during one forward pass at `batch`. */
  peakActivationElements: number
  /** peakActivationElements in bytes per activation dtype. */
  peakActivationBytes: Record<DType, number>
  /** Op during which the peak occurs. */
  peakAt: string
}

/**
 * Peak activation elements per sample: walk the op list keeping every tensor alive from the op
 * that writes it to the last op that reads it (residual inputs stay alive across their block).
 */
export function peakActivations(net: Lowered): {elements: number; at: string} {
  const lastUse = new Array<number>(net.tensors.length).fill(-1)
  net.ops.forEach((op, i) => {
    for (const t of op.inputs) lastUse[t] = i
  })
  const frees: number[][] = net.ops.map(() => [])
  lastUse.forEach((i, t) => i >= 0 && frees[i].push(t))
  let live = elements(net.tensors[0])
  let peak = {elements: live, at: 'input'}
  net.ops.forEach((op, i) => {
    live += elements(net.tensors[op.output])
    if (live > peak.elements) peak = {elements: live, at: op.name}
    for (const t of frees[i]) live -= elements(net.tensors[t])
  })
  return peak
}

export function memory(net: Lowered, params: number, batch: number): Memory {
  const peak = peakActivations(net)
  const perDtype = (n: number) =>
    Object.fromEntries(Object.entries(DTYPE_BYTES).map(([k, b]) => [k, n * b])) as Record<DType, number>
  return {
    batch,
    weightBytes: perDtype(params),
    peakActivationElements: peak.elements * batch,
    peakActivationBytes: perDtype(peak.elements * batch),
    peakAt: peak.at,
  }
}
