/**
 * A grid point made ready to time: its record without timings (from the point and the
 * lowering), its emitted model (cached), and the memory its session is estimated to need.
 * Any failure becomes a 'failed' record.
 */
import {statSync} from 'node:fs'
import {resolveTarget} from '../arch/target.js'
import {IoError} from '../errors.js'
import {costTarget, lowerTarget} from '../flops/index.js'
import type {GridPoint} from './grid.js'
import {cachedModel, type Emit} from './model-cache.js'
import type {SweepRecord} from './record.js'
import type {RoundStats} from './rounds.js'
import {oneLine, type Ep} from './session.js'

export interface PrepareContext {
  ep: Ep
  threads: number | null
  emit: Emit
  emitterId: string
  cacheDir: string
  seed: number
  now: () => Date
}

/** Record with no timing yet: the fields every record has, from the point and the lowering. */
export function baseRecord(p: GridPoint, ep: string, macs: number, params: number, now: Date): SweepRecord {
  return {
    key: p.key,
    grid: p.grid,
    model: p.model,
    base: p.base,
    depth: p.depth,
    width: p.width,
    resolution: p.resolution,
    phi: p.phi,
    infer_img_size: p.imageSize,
    infer_batch_size: p.batch,
    dtype: p.dtype,
    input: p.input,
    macs,
    infer_gmacs: macs / 1e9,
    params,
    param_count: params / 1e6,
    status: 'ok',
    error: null,
    ep,
    threads: null,
    session_create_ms: null,
    first_run_ms: null,
    rounds: 0,
    runs: 0,
    min_ms: null,
    mean_ms: null,
    p50_ms: null,
    p90_ms: null,
    p95_ms: null,
    p99_ms: null,
    max_ms: null,
    stdev_ms: null,
    cv: null,
    ci_lo_ms: null,
    ci_hi_ms: null,
    ci_rel: null,
    stable: null,
    ref_key: null,
    rel_ref: null,
    rel_ci_lo: null,
    rel_ci_hi: null,
    infer_step_time: null,
    infer_samples_per_sec: null,
    kernel_ms: null,
    ort_run_ms: null,
    runs_key: null,
    onnx_file: null,
    measured_at: now.toISOString(),
  }
}

export type Prepared = {ok: true; rec: SweepRecord; model: string; bytes: number; inputShape?: number[]} | {ok: false; rec: SweepRecord}

/**
 * Session memory estimate: ORT holds the weights (and may pre-pack a copy) and an arena for
 * activations, so twice the analytic weights + peak activations.
 */
export function sessionBytes(weightBytes: number, activationBytes: number): number {
  return 2 * (weightBytes + activationBytes)
}

export function preparePoint(p: GridPoint, ctx: PrepareContext): Prepared {
  if (p.onnx) {
    // MACs per sample, as for emitted networks; the profile is of the whole batch.
    const o = p.onnx
    const rec = {...baseRecord(p, ctx.ep, o.macs / p.batch, o.params, ctx.now()), threads: ctx.threads, onnx_file: o.file}
    // No lowering to estimate activations from: three times the file (weights, a pre-packed copy, activations).
    return {ok: true, rec, model: o.file, bytes: 3 * statSync(o.file).size, inputShape: o.inputShape}
  }
  const target = resolveTarget({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize})
  const cost = costTarget(target, {batch: p.batch})
  const rec = {...baseRecord(p, ctx.ep, cost.macs, cost.params, ctx.now()), threads: ctx.threads}
  try {
    // A model over 2 GiB is cached with external data (model-cache.ts).
    const model = cachedModel(ctx.cacheDir, lowerTarget(target), {batch: p.batch, dtype: p.dtype, input: p.input, seed: ctx.seed}, ctx.emit, ctx.emitterId)
    const bytes = sessionBytes(cost.memory.weightBytes[p.dtype], cost.memory.peakActivationBytes[p.dtype])
    return {ok: true, rec, model, bytes}
  } catch (error) {
    // A cache that cannot be written fails every point alike: stop the sweep instead.
    if (error instanceof IoError) throw error
    return {ok: false, rec: failedRecord(rec, error)}
  }
}

export const failedRecord = (rec: SweepRecord, error: unknown): SweepRecord => ({...rec, status: 'failed', error: oneLine(error)})

/** The record of a point from its round statistics. */
export function timedRecord(rec: SweepRecord, st: RoundStats, extra: Partial<SweepRecord>): SweepRecord {
  return {
    ...rec,
    ...extra,
    rounds: st.rounds,
    runs: st.runs,
    min_ms: st.min_ms,
    mean_ms: st.mean_ms,
    p50_ms: st.p50_ms,
    p90_ms: st.p90_ms,
    p95_ms: st.p95_ms,
    p99_ms: st.p99_ms,
    max_ms: st.max_ms,
    stdev_ms: st.stdev_ms,
    cv: st.cv,
    ci_lo_ms: st.ci_lo_ms,
    ci_hi_ms: st.ci_hi_ms,
    ci_rel: st.ci_rel,
    stable: st.stable,
    rel_ref: st.rel_ref,
    rel_ci_lo: st.rel_ci_lo,
    rel_ci_hi: st.rel_ci_hi,
    // timm's meaning: mean step time, and throughput from it.
    infer_step_time: st.mean_ms,
    infer_samples_per_sec: (rec.infer_batch_size * 1000) / st.mean_ms,
  }
}
