/**
 * The sweep: choose the EP, build the grid (embedded defaults depend on the EP), take this
 * shard, skip points already in results.jsonl (--resume), measure the rest one by one,
 * appending each record as it finishes. results.csv and run.json are rewritten at the end,
 * also after an interruption.
 */
import path from 'node:path'
import {UserError} from '../errors.js'
import type {Clock} from './clock.js'
import type {Emitter} from './emitter.js'
import {buildGrid, measureKey, shardPoints, type Grid, type GridSpec} from './grid.js'
import type {TimingOptions} from './measure.js'
import {effscaleVersion, hostInfo, type RunMeta} from './meta.js'
import {measurePoint} from './point.js'
import {probeModel} from './probe.js'
import type {Progress} from './progress.js'
import type {SweepRecord} from './record.js'
import {chooseEp, ORT_VERSION, type Ep, type EpChoice, type SessionFactory} from './session.js'
import {appendRecord, ensureWritableDir, FILES, readRecords, readRunJson, repairJsonl, writeCsv, writeRunJson} from './store.js'

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
  // An unwritable cache would fail every point, and --resume never retries failed points.
  ensureWritableDir(o.cacheDir, '--cache')
  const decision = await chooseEp(d.factory, o.ep, o.deviceId, probeModel())
  if (decision.fallback) d.warn(decision.fallback)
  const ep = decision.ep
  const grid = fixed ?? buildGrid((o.grid as (ep: Ep) => GridSpec)(ep))
  const points = o.shard ? shardPoints(grid.points, o.shard) : grid.points
  const timing = typeof o.timing === 'function' ? o.timing(ep) : o.timing

  const prior = checkPrior(o, grid, ep)
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
    ort_version: ORT_VERSION,
    ...hostInfo(ep, o.deviceId),
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
      appendRecord(o.out, rec)
      if (rec.status === 'ok') reuse.set(measureKey(p), rec)
      else failed++
      measured++
      d.progress.finished(rec)
    }
  } finally {
    d.progress.stop()
    const all = readRecords(o.out).records
    writeCsv(o.out, all)
    const have = new Set(all.map((r) => r.key))
    writeRunJson(o.out, {...meta, finished_at: now().toISOString(), complete: points.every((p) => have.has(p.key))})
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

/** Records already in --out; refuses to mix grids or EPs, or to overwrite without --resume. */
function checkPrior(o: SweepOptions, grid: Grid, ep: Ep): SweepRecord[] {
  const {records, truncated} = readRecords(o.out)
  const old = readRunJson<RunMeta>(o.out)
  if (!o.resume) {
    if (records.length || truncated) {
      throw new UserError(`--out ${o.out} already holds sweep results: add --resume to continue that sweep, or choose another --out`)
    }
    return []
  }
  if (old && (old.grid?.id !== grid.id || !sameShard(old.shard, o.shard))) {
    const was = `grid ${old.grid?.id} (${old.grid?.size} points${old.shard ? `, shard ${old.shard.k}/${old.shard.n}` : ''})`
    const now = `grid ${grid.id} (${grid.points.length} points${o.shard ? `, shard ${o.shard.k}/${o.shard.n}` : ''})`
    throw new UserError(`--resume: ${o.out} holds a sweep of ${was}, this command describes ${now}; use another --out`)
  }
  const keys = new Set(grid.points.map((p) => p.key))
  const stray = records.find((r) => !keys.has(r.key))
  if (stray) throw new UserError(`--resume: ${o.out} holds point "${stray.key}" that is not in this grid; use another --out`)
  // run.json names one EP for the directory; latencies from two EPs would be charted as one sweep.
  const otherEp = records.find((r) => r.ep !== ep)
  if (otherEp) {
    throw new UserError(`--resume: ${o.out} was measured on ${otherEp.ep}, this run got ${ep}; give --ep ${otherEp.ep} (or use another --out)`)
  }
  return records
}

const sameShard = (a: {k: number; n: number} | null | undefined, b: {k: number; n: number} | undefined) =>
  (a ?? undefined)?.k === b?.k && (a ?? undefined)?.n === b?.n

function ensureProfileDir(out: string): string {
  const dir = path.join(out, FILES.profiles)
  ensureWritableDir(dir, '--out')
  return dir
}
