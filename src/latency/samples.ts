/**
 * A sweep directory → calibration samples: one per distinct network and batch (a network
 * measured in several grids, like B0 at 128 px in the width, depth and resolution grids, is
 * one sample with the median of its latencies, so leave-one-out cannot peek at a twin).
 * Latency is the record's p50_ms, or, where the sweep timed interleaved rounds against a
 * reference, rel_ref × the reference's p50 (machine slow phases cancel in the ratio).
 * Read through the one sweep reader (src/sweep/results.ts).
 */
import {resolveTarget} from '../arch/target.js'
import {UserError} from '../errors.js'
import {lowerTarget} from '../flops/index.js'
import type {DType} from '../flops/memory.js'
import {readSweepDir} from '../sweep/results.js'
import type {RunMeta} from '../sweep/meta.js'
import type {SweepRecord} from '../sweep/record.js'
import {networkFeatures} from './features.js'
import type {Sample} from './model.js'

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
  skipped: string[]
}

export function latencyOf(r: Rec, byKey: ReadonlyMap<string, Rec>): number | null {
  const ref = r.ref_key ? byKey.get(r.ref_key) : undefined
  if (typeof r.rel_ref === 'number' && r.rel_ref > 0 && ref?.p50_ms) return r.rel_ref * ref.p50_ms
  return r.p50_ms
}

export function sweepSamples(dir: string, flag = '--sweep'): SweepSamples {
  const read = readSweepDir<Rec>(dir, flag)
  return samplesOf(read.records, read.meta, `${flag} ${dir}`)
}

/** Records (and run.json) of one sweep → samples; `at` names the sweep in refusals. */
export function samplesOf(records: readonly Rec[], meta: Partial<RunMeta> | null, at: string): SweepSamples {
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
  const groups = new Map<string, {label: string; base: string; depth: number; width: number; imageSize: number; batch: number; ms: number[]}>()
  const skipped: string[] = []
  for (const r of ok) {
    const id = [r.base, r.depth, r.width, r.infer_img_size, r.infer_batch_size].join('|')
    const ms = latencyOf(r, byKey)
    if (ms === null) continue
    const g = groups.get(id)
    if (g) g.ms.push(ms)
    else groups.set(id, {label: r.model, base: r.base, depth: r.depth, width: r.width, imageSize: r.infer_img_size, batch: r.infer_batch_size, ms: [ms]})
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
    samples.push({label: g.batch === 1 ? g.label : `${g.label} b=${g.batch}`, features: networkFeatures(net, g.batch, identity.dtype as DType), ms: median(g.ms)})
  }
  const relative = ok.some((r) => typeof r.rel_ref === 'number')
  return {
    identity,
    ortVersion: meta?.ort_version ?? null,
    gridId: meta?.grid?.id ?? null,
    samples,
    latencySource: relative ? 'rel_ref × reference p50_ms' : 'p50_ms',
    skipped,
  }
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
