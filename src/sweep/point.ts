/** Measure one grid point into a SweepRecord; any failure becomes a 'failed' record. */
import path from 'node:path'
import {resolveTarget} from '../arch/target.js'
import {IoError} from '../errors.js'
import {estimateCost, PROTOBUF_LIMIT} from '../flops/estimate.js'
import {costTotals, lowerTarget} from '../flops/index.js'
import type {Clock} from './clock.js'
import type {GridPoint} from './grid.js'
import {timeRuns, type TimingOptions} from './measure.js'
import {cachedModel, type Emit} from './model-cache.js'
import {findTrace, profileRuns, readTrace} from './profile.js'
import type {SweepRecord} from './record.js'
import {makeInput, oneLine, type Ep, type SessionFactory, type SweepSession} from './session.js'
import {latencyStats, percentile} from './stats.js'

export interface PointContext {
  ep: Ep
  deviceId: number
  factory: SessionFactory
  emit: Emit
  emitterId: string
  cacheDir: string
  timing: TimingOptions
  clock: Clock
  seed: number
  /** Directory for ORT traces when profiling. */
  profileDir?: string
  signal?: AbortSignal
  /** Wall-clock timestamp for records (injectable for tests). */
  now?: () => Date
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
    param_count: params,
    status: 'ok',
    error: null,
    ep,
    session_create_ms: null,
    first_run_ms: null,
    runs: 0,
    min_ms: null,
    mean_ms: null,
    p50_ms: null,
    p90_ms: null,
    p99_ms: null,
    stdev_ms: null,
    infer_step_time: null,
    infer_samples_per_sec: null,
    kernel_ms: null,
    ort_run_ms: null,
    measured_at: now.toISOString(),
  }
}

/** Returns undefined when stopped by the signal mid-point (nothing to record). */
export async function measurePoint(p: GridPoint, ctx: PointContext): Promise<SweepRecord | undefined> {
  const target = resolveTarget({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize})
  const {macs, params} = costTotals(target)
  const rec = baseRecord(p, ctx.ep, macs, params, (ctx.now ?? (() => new Date()))())
  let session: SweepSession | undefined
  try {
    const net = lowerTarget(target)
    // Fails this point only, with the reason, before minutes of emitting: a file ONNX cannot hold.
    const {fileBytes} = estimateCost(target, {batch: p.batch, dtype: p.dtype})
    if (fileBytes > PROTOBUF_LIMIT) throw new Error(`the ONNX file would be ~${(fileBytes / 2 ** 30).toFixed(1)} GiB, over protobuf's 2 GiB limit`)
    const model = cachedModel(ctx.cacheDir, net, {batch: p.batch, dtype: p.dtype, input: p.input, seed: ctx.seed}, ctx.emit, ctx.emitterId)
    const profilePrefix = ctx.profileDir ? path.join(ctx.profileDir, safeName(p.key)) : undefined
    const c0 = ctx.clock()
    session = await ctx.factory({model, ep: ctx.ep, deviceId: ctx.deviceId, profilePrefix})
    rec.session_create_ms = ctx.clock() - c0
    const s = session
    const feeds = {[s.input.name]: makeInput(s.input, ctx.seed)}
    const t = await timeRuns(() => s.run(feeds), ctx.timing, ctx.clock, ctx.signal)
    if (t.aborted) return undefined
    const st = latencyStats(t.samples)
    Object.assign(rec, st, {
      first_run_ms: t.firstRunMs,
      infer_step_time: st.p50_ms,
      infer_samples_per_sec: (p.batch * 1000) / st.p50_ms,
    })
    if (profilePrefix) {
      s.endProfiling()
      const trace = findTrace(profilePrefix)
      if (trace) {
        // Only the timed runs: the trace also holds the first run and the warm-up.
        const runs = profileRuns(readTrace(trace)).slice(-t.samples.length)
        rec.kernel_ms = percentile(runs.map((r) => r.kernelMs).sort((a, b) => a - b), 50)
        rec.ort_run_ms = percentile(runs.map((r) => r.runMs).sort((a, b) => a - b), 50)
      }
    }
    return rec
  } catch (error) {
    // A cache that cannot be written fails every point alike: stop the sweep instead.
    if (error instanceof IoError) throw error
    return {...rec, status: 'failed', error: oneLine(error)}
  } finally {
    await session?.release().catch(() => undefined)
  }
}

const safeName = (key: string) => key.replace(/[^A-Za-z0-9=.-]+/g, '_')
