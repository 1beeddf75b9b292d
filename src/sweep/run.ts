/**
 * The sweep: choose the EP, build the grid (embedded defaults depend on the EP), take this
 * shard, skip points already in results.jsonl (--resume), measure the rest one by one,
 * appending each record as it finishes. results.csv and run.json are rewritten at the end,
 * also after an interruption.
 */
import path from 'node:path'
import type {Clock} from './clock.js'
import type {Emitter} from './emitter.js'
import {buildGrid, measureKey, shardPoints, type Grid, type GridSpec} from './grid.js'
import {lockSweepDir} from './lock.js'
import type {TimingOptions} from './measure.js'
import {effscaleVersion, hostInfo, type RunMeta} from './meta.js'
import {measurePoint} from './point.js'
import {probeModel} from './probe.js'
import type {Progress} from './progress.js'
import type {SweepRecord} from './record.js'
import {chooseEp, ortVersion, type Ep, type EpChoice, type SessionFactory} from './session.js'
import {appendRecord, ensureWritableDir, FILES, priorRecords, readRecords, repairJsonl, writeCsv, writeRunJson} from './store.js'

export interface SweepOptions {
  out: string
  ep: EpChoice
  deviceId: number
  /** A grid, or the embedded default for the EP actually used. */
  grid: GridSpec | ((ep: Ep) => GridSpec)
  /** Where the grid came from, for run.json: "default", "flags", "file:my-grid.json". */
  gridSource: string
  shard?: {k: number; n: number}
  resume: boolean
  timing: TimingOptions | ((ep: Ep) => TimingOptions)
  profile: boolean
  cacheDir: string
  seed: number
}

export interface SweepDeps {
  factory: SessionFactory
  clock: Clock
  loadEmitter: () => Promise<Emitter>
  /** One line to stderr (the fallback notice). */
  warn: (line: string) => void
  progress: Progress
  signal?: AbortSignal
  now?: () => Date
}

export interface SweepSummary {
  out: string
  ep: Ep
  ep_fallback: string | null
  grid_id: string
  /** Points of this run (this shard). */
  points: number
  /** Already in results.jsonl before this run (--resume). */
  skipped: number
  measured: number
  failed: number
  interrupted: boolean
  files: {jsonl: string; csv: string; run: string}
}

export async function runSweep(o: SweepOptions, d: SweepDeps): Promise<SweepSummary> {
  // A fixed grid is checked before anything touches the disk or the device.
  const fixed = typeof o.grid === 'function' ? undefined : buildGrid(o.grid)
  ensureWritableDir(o.out)
  // One writer per directory: a second sweep on this --out is refused here (exit 2).
  const lock = lockSweepDir(o.out, '--out', 'sweep', d.warn)
  try {
    return await sweepLocked(o, d, fixed)
  } finally {
    lock.release()
  }
}

async function sweepLocked(o: SweepOptions, d: SweepDeps, fixed: Grid | undefined): Promise<SweepSummary> {
  // An unwritable cache would fail every point, and --resume never retries failed points.
  ensureWritableDir(o.cacheDir, '--cache')
  const decision = await chooseEp(d.factory, o.ep, o.deviceId, probeModel())
  if (decision.fallback) d.warn(decision.fallback)
  const ep = decision.ep
  const grid = fixed ?? buildGrid((o.grid as (ep: Ep) => GridSpec)(ep))
  const points = o.shard ? shardPoints(grid.points, o.shard) : grid.points
  const timing = typeof o.timing === 'function' ? o.timing(ep) : o.timing

  const host = hostInfo(ep, o.deviceId)
  const prior = priorRecords({out: o.out, resume: o.resume, shard: o.shard, grid, ep, device: host.device})
  // Even with no whole record, a partial line must go before the first append.
  if (o.resume) repairJsonl(o.out)
  const done = new Map(prior.map((r) => [r.key, r]))
  const reuse = new Map<string, SweepRecord>()
  for (const p of points) {
    const r = done.get(p.key)
    if (r?.status === 'ok') reuse.set(measureKey(p), r)
  }

  const now = d.now ?? (() => new Date())
  const meta: RunMeta = {
    effscale_version: effscaleVersion(),
    ort_version: ortVersion(),
    ...host,
    ep,
    ep_requested: o.ep,
    ep_fallback: decision.fallback ?? null,
    device_id: o.deviceId,
    started_at: now().toISOString(),
    finished_at: null,
    complete: false,
    grid: {id: grid.id, size: grid.points.length, keys: grid.points.map((p) => p.key), source: o.gridSource},
    shard: o.shard ?? null,
    options: {...timing, profile: o.profile, seed: o.seed, cache_dir: o.cacheDir},
  }
  writeRunJson(o.out, meta)

  const todo = points.filter((p) => !done.has(p.key))
  let measured = 0
  let failed = 0
  let interrupted = false
  let fault: unknown
  d.progress.start(points.length, points.length - todo.length)
  try {
    let emitter: Emitter | undefined
    for (const p of todo) {
      if (d.signal?.aborted) {
        interrupted = true
        break
      }
      d.progress.point(`${p.model} b=${p.batch}`)
      const same = reuse.get(measureKey(p))
      let rec: SweepRecord | undefined
      if (same) {
        // Same network, batch, dtype and input already measured in this directory: reuse it.
        rec = {...same, key: p.key, grid: p.grid, model: p.model, phi: p.phi}
      } else {
        emitter ??= await d.loadEmitter()
        rec = await measurePoint(p, {
          ep,
          deviceId: o.deviceId,
          factory: d.factory,
          emit: emitter.emit,
          emitterId: emitter.id,
          cacheDir: o.cacheDir,
          timing,
          clock: d.clock,
          seed: o.seed,
          profileDir: o.profile ? ensureProfileDir(o.out) : undefined,
          signal: d.signal,
          now,
        })
      }
      if (!rec) {
        interrupted = true
        break
      }
      // Durable (fsynced) before it is announced; a write error stops the sweep as one line naming the file.
      appendRecord(o.out, rec)
      if (rec.status === 'ok') reuse.set(measureKey(p), rec)
      else failed++
      measured++
      d.progress.finished(rec)
    }
  } catch (error) {
    fault = error
    throw error
  } finally {
    d.progress.stop()
    // After a write error (disk full) these may fail too: the first error is the one reported.
    try {
      const all = readRecords(o.out).records
      writeCsv(o.out, all)
      const have = new Set(all.map((r) => r.key))
      writeRunJson(o.out, {...meta, finished_at: now().toISOString(), complete: points.every((p) => have.has(p.key))})
    } catch (error) {
      if (fault === undefined) throw error
    }
  }
  return {
    out: o.out,
    ep,
    ep_fallback: decision.fallback ?? null,
    grid_id: grid.id,
    points: points.length,
    skipped: points.length - todo.length,
    measured,
    failed,
    interrupted,
    files: {jsonl: path.join(o.out, FILES.jsonl), csv: path.join(o.out, FILES.csv), run: path.join(o.out, FILES.run)},
  }
}

function ensureProfileDir(out: string): string {
  const dir = path.join(out, FILES.profiles)
  ensureWritableDir(dir, '--out')
  return dir
}
