/**
 * A sweep directory → calibration samples: one per distinct network and batch (a network
 * measured in several grids, like B0 at 128 px in the width, depth and resolution grids, is
 * one sample with the median of its latencies, so leave-one-out cannot peek at a twin).
 * Latency is the record's p50_ms, or, where the sweep timed interleaved rounds against a
 * reference, rel_ref × the reference's p50 (machine slow phases cancel in the ratio).
 * Read through the one sweep reader (src/sweep/results.ts). Where the sweep profiled its
 * sessions (`sweep --profile`), each sample also carries its ops' kernel times (op-times.ts).
 */
import {resolveTarget} from '../arch/target.js'
import {UserError} from '../errors.js'
import {lowerTarget} from '../flops/index.js'
import type {DType} from '../flops/memory.js'
import {readSweepDir} from '../sweep/results.js'
import type {RunMeta} from '../sweep/meta.js'
import type {SweepRecord} from '../sweep/record.js'
import path from 'node:path'
import type {Lowered} from '../arch/ops.js'
import {readTrace, tracesOf} from '../sweep/profile.js'
import {FILES} from '../sweep/store.js'
import {networkFeatures} from './features.js'
import type {Sample} from './model.js'
import {opTimes, type TraceEvent} from './op-times.js'

/** What a latency model is valid for: it refuses to predict for anything else. */
export interface DeviceIdentity {
  ep: string
  device: string
  dtype: string
  input: string
}

/** Fields a sweep with interleaved rounds adds (optional: older sweeps lack them). */
type Rec = SweepRecord & {ref_key?: string | null; rel_ref?: number | null}

export interface SweepSamples {
  identity: DeviceIdentity
  ortVersion: string | null
  gridId: string | null
  samples: Sample[]
  /** How latency was read: "p50_ms" or "rel_ref × reference p50_ms". */
  latencySource: string
  /** Samples with per-op kernel times from the sweep's profiles. */
  profiled: number
  skipped: string[]
}

export function latencyOf(r: Rec, byKey: ReadonlyMap<string, Rec>): number | null {
  const ref = r.ref_key ? byKey.get(r.ref_key) : undefined
  if (typeof r.rel_ref === 'number' && r.rel_ref > 0 && ref?.p50_ms) return r.rel_ref * ref.p50_ms
  return r.p50_ms
}

export function sweepSamples(dir: string, flag = '--sweep'): SweepSamples {
  const read = readSweepDir<Rec>(dir, flag)
  return samplesOf(read.records, read.meta, `${flag} ${dir}`, path.join(dir, FILES.profiles))
}

/** Trace events of a point's sessions, one array per trace; a trace that cannot be read is skipped with a warning. */
function traceEvents(profiles: string, keys: readonly string[], skipped: string[]): TraceEvent[][] {
  const traces: TraceEvent[][] = []
  for (const file of [...new Set(keys)].flatMap((k) => tracesOf(profiles, k))) {
    try {
      traces.push(readTrace(file))
    } catch (error) {
      skipped.push(`profile ${file}: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  return traces
}

function opSamples(net: Lowered, traces: ReadonlyArray<readonly TraceEvent[]>, batch: number, dtype: DType): Sample['ops'] {
  const t = opTimes(traces, net)
  if (t.runs === 0) return undefined
  return net.ops.map((op) => ({features: networkFeatures({...net, ops: [op]}, batch, dtype), ms: t.perOp.get(op.name) ?? 0}))
}

/** Records (and run.json) of one sweep → samples; `at` names the sweep in refusals; `profiles` is its traces' directory. */
export function samplesOf(records: readonly Rec[], meta: Partial<RunMeta> | null, at: string, profiles?: string): SweepSamples {
  const ok = records.filter((r) => r.status === 'ok' && r.p50_ms !== null && r.p50_ms > 0)
  if (ok.length === 0) throw new UserError(`${at}: no measured points to calibrate on`)
  const one = (what: keyof Rec) => {
    const values = [...new Set(ok.map((r) => String(r[what])))]
    if (values.length > 1) throw new UserError(`${at}: points of several ${what}s (${values.join(', ')}); calibrate one ${what} at a time`)
    return values[0]
  }
  const identity: DeviceIdentity = {
    ep: meta?.ep ?? one('ep'),
    device: meta?.device ?? 'unknown device',
    dtype: one('dtype'),
    input: one('input'),
  }
  const byKey = new Map(records.map((r) => [r.key, r]))
  const groups = new Map<string, {label: string; base: string; depth: number; width: number; imageSize: number; batch: number; ms: number[]; keys: string[]}>()
  const skipped: string[] = []
  for (const r of ok) {
    const id = [r.base, r.depth, r.width, r.infer_img_size, r.infer_batch_size].join('|')
    const ms = latencyOf(r, byKey)
    if (ms === null) continue
    const g = groups.get(id)
    const key = r.runs_key ?? r.key
    if (g) (g.ms.push(ms), g.keys.push(key))
    else groups.set(id, {label: r.model, base: r.base, depth: r.depth, width: r.width, imageSize: r.infer_img_size, batch: r.infer_batch_size, ms: [ms], keys: [key]})
  }
  const samples: Sample[] = []
  for (const g of groups.values()) {
    let net
    try {
      net = lowerTarget(resolveTarget({base: g.base, depth: g.depth, width: g.width, imageSize: g.imageSize}))
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      skipped.push(`${g.label}: ${error.message}`)
      continue
    }
    const dtype = identity.dtype as DType
    const ops = profiles ? opSamples(net, traceEvents(profiles, g.keys, skipped), g.batch, dtype) : undefined
    samples.push({label: g.batch === 1 ? g.label : `${g.label} b=${g.batch}`, features: networkFeatures(net, g.batch, dtype), ms: median(g.ms), ...(ops ? {ops} : {})})
  }
  const relative = ok.some((r) => typeof r.rel_ref === 'number')
  return {
    identity,
    ortVersion: meta?.ort_version ?? null,
    gridId: meta?.grid?.id ?? null,
    samples,
    latencySource: relative ? 'rel_ref × reference p50_ms' : 'p50_ms',
    profiled: samples.filter((s) => s.ops).length,
    skipped,
  }
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
