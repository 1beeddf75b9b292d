/**
 * ORT profiling traces (Chrome trace JSON): per `model_run` event, the summed durations of the
 * kernels inside it. Splits end-to-end latency into time inside ORT and kernel time.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {makeInput, type SessionFactory, type SessionRequest} from './session.js'

export interface TraceEvent {
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

/** Each `model_run` of a trace with the kernel (Node) events inside it, in execution order. */
export function runKernels(events: readonly TraceEvent[]): Array<{run: TraceEvent; kernels: TraceEvent[]}> {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run' && e.ts !== undefined && e.dur !== undefined)
  const kernels = events
    .filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time') && e.ts !== undefined && e.dur !== undefined)
    .sort((a, b) => a.ts! - b.ts!)
  return runs.map((run) => ({run, kernels: kernels.filter((k) => k.ts! >= run.ts! && k.ts! <= run.ts! + run.dur!)}))
}

export function profileRuns(events: readonly TraceEvent[]): RunProfile[] {
  return runKernels(events).map(({run, kernels}) => ({runMs: run.dur! / 1000, kernelMs: kernels.reduce((a, k) => a + k.dur!, 0) / 1000}))
}

/** A point's key as the start of its trace file's name in OUT/profiles. */
export const safeName = (key: string) => key.replace(/[^A-Za-z0-9=.-]+/g, '_')

/** The profiling prefix of a point's session: ORT writes `<prefix>_<date>.json`. */
export const profilePrefix = (dir: string, key: string) => path.join(dir, `${safeName(key)}_o1`)

/** Every trace of one point in a profiles directory (`<name>_o<n>_<date>.json`). */
export function tracesOf(dir: string, key: string): string[] {
  const base = `${safeName(key)}_o`
  try {
    return readdirSync(dir).filter((f) => f.startsWith(base) && f.endsWith('.json')).sort().map((f) => path.join(dir, f))
  } catch {
    return []
  }
}

/**
 * Profile `runs` runs of a model in a session of its own (after `warmup` untimed ones), so
 * profiling's cost per node is in no timed run; the trace stays at `prefix`. The runs' profiles.
 */
export async function profileSession(factory: SessionFactory, req: SessionRequest & {profilePrefix: string}, o: {warmup: number; runs: number; seed: number}): Promise<RunProfile[]> {
  const s = await factory(req)
  try {
    const feeds = {[s.input.name]: makeInput(s.input, o.seed)}
    for (let i = 0; i <= o.warmup + o.runs; i++) await s.run(feeds)
    s.endProfiling()
  } finally {
    await s.release()
  }
  const trace = findTrace(req.profilePrefix)
  return trace ? profileRuns(readTrace(trace)).slice(-o.runs) : []
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
