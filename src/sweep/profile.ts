/**
 * ORT profiling traces (Chrome trace JSON): per `model_run` event, the summed durations of the
 * kernels inside it. Splits end-to-end latency into time inside ORT and kernel time.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

interface TraceEvent {
  cat?: string
  name?: string
  ts?: number
  dur?: number
}

export interface RunProfile {
  /** ORT's own model_run duration, ms. */
  runMs: number
  /** Sum of kernel (Node) durations inside the run, ms. */
  kernelMs: number
}

export function profileRuns(events: readonly TraceEvent[]): RunProfile[] {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run' && e.ts !== undefined && e.dur !== undefined)
  const kernels = events.filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time') && e.ts !== undefined && e.dur !== undefined)
  return runs.map((r) => {
    const end = r.ts! + r.dur!
    let us = 0
    for (const k of kernels) if (k.ts! >= r.ts! && k.ts! <= end) us += k.dur!
    return {runMs: r.dur! / 1000, kernelMs: us / 1000}
  })
}

/** A point's key as the start of its trace files' names in OUT/profiles (`<name>_o<opening>_<date>.json`). */
export const safeName = (key: string) => key.replace(/[^A-Za-z0-9=.-]+/g, '_')

/** Every trace of one point in a profiles directory, one per session opening. */
export function tracesOf(dir: string, key: string): string[] {
  const base = `${safeName(key)}_o`
  try {
    return readdirSync(dir).filter((f) => f.startsWith(base) && f.endsWith('.json')).sort().map((f) => path.join(dir, f))
  } catch {
    return []
  }
}

/** The trace ORT wrote for a prefix: `${prefix}_<date>.json`, newest first. */
export function findTrace(prefix: string): string | undefined {
  const dir = path.dirname(prefix)
  const base = path.basename(prefix) + '_'
  const files = readdirSync(dir).filter((f) => f.startsWith(base) && f.endsWith('.json')).sort()
  return files.length ? path.join(dir, files[files.length - 1]) : undefined
}

export function readTrace(file: string): TraceEvent[] {
  // ORT may leave a trailing comma before "]" in some versions; tolerate it.
  const text = readFileSync(file, 'utf8').replace(/,\s*\]\s*$/, ']')
  return JSON.parse(text) as TraceEvent[]
}
