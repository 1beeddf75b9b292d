/**
 * The sweep: choose the EP, build the grid (embedded defaults depend on the EP), take this
 * shard, skip points already in results.jsonl (--resume), then time the rest in interleaved
 * rounds (rounds.ts): each round times every point still measured and the reference, in an
 * order shuffled by the seed, and appends each point's timed runs to runs.jsonl (fsynced).
 * A point is final once it is stable after the minimum rounds, or when the rounds stop
 * (--max-rounds, --time-budget); only then is its record appended to results.jsonl. After a
 * kill, --resume continues from the rounds in runs.jsonl. results.csv and run.json are
 * rewritten at the end, also after an interruption.
 */
import os from 'node:os'
import path from 'node:path'
import {IoError} from '../errors.js'
import type {Clock} from './clock.js'
import {diagnose} from './diagnose.js'
import type {Emitter} from './emitter.js'
import {checkGridCost} from './grid-cost.js'
import {buildGrid, measureKey, shardPoints, type Grid, type GridPoint, type GridSpec} from './grid.js'
import {lockSweepDir} from './lock.js'
import {timeRound, type SweepTiming} from './measure.js'
import {effscaleVersion, hostInfo, type RunMeta} from './meta.js'
import {failedRecord, preparePoint, timedRecord, type Prepared} from './point.js'
import {SessionPool, type PoolEntry} from './pool.js'
import {probeModel} from './probe.js'
import {profilePrefix, profileSession} from './profile.js'
import type {Progress} from './progress.js'
import type {SweepRecord} from './record.js'
import {readRunsFile} from './results.js'
import {ownRounds, refMedians, roundOrder, roundStats, type RoundRun} from './rounds.js'
import {chooseEp, ortVersion, type Ep, type EpChoice, type SessionFactory} from './session.js'
import {median} from './stats.js'
import {appendRecord, appendRun, ensureWritableDir, FILES, priorRecords, readRecords, repairJsonl, writeCsv, writeRunJson} from './store.js'

export interface SweepOptions {
  out: string
  ep: EpChoice
  deviceId: number
  /** A grid spec, a built grid (sweep --onnx), or the embedded default for the EP actually used. */
  grid: GridSpec | Grid | ((ep: Ep) => GridSpec)
  /** Where the grid came from, for run.json: "default", "flags", "file:my-grid.json". */
  gridSource: string
  shard?: {k: number; n: number}
  resume: boolean
  timing: Partial<SweepTiming> | ((ep: Ep) => Partial<SweepTiming>)
  profile: boolean
  cacheDir: string
  seed: number
  /** Refuse points whose weights + peak activations need more bytes (default: 50% of free memory). */
  maxMemory?: number
  /** Intra-op threads for CPU sessions (default: defaultCpuThreads()). */
  threads?: number
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
  /** os.loadavg()[0]; injectable for tests. */
  loadAvg?: () => number
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
  /** Rounds run (the last round number, counting rounds of an earlier run continued by --resume). */
  rounds: number
  /** Points recorded by this run whose interval is wider than --max-ci (or with too few rounds). */
  unstable: Array<{key: string; model: string; ci_rel: number | null; rounds: number}>
  /** Likely causes of unstable points (diagnose.ts). */
  diagnosis: string[]
  /** --max-ci: the interval half-width (share of the median) a stable point keeps within. */
  max_ci: number
  load_avg: {start: number; end: number}
  interrupted: boolean
  files: {jsonl: string; runs: string; csv: string; run: string}
}

/**
 * One CPU fewer than this process may use (at least 1): a parallel op waits for its slowest
 * thread, so a thread on every core makes each run hostage to any other process the OS schedules.
 * On 2 shared cores, two back-to-back default sweeps agreed within 5% on 19 of 21 points with 1
 * thread against 16 of 21 with 2, and `compare` told a 15% wider grid apart on 21 of 21 points
 * against 12 (`npm run bench -- stability`).
 */
export const defaultCpuThreads = (): number => Math.max(1, os.availableParallelism() - 1)

/** Defaults for what a caller leaves out: 6 rounds (the fewest with a 95% interval), ±5%. */
export const ROUND_DEFAULTS: SweepTiming = {warmup: 3, runs: 3, minTimeMs: 50, rounds: 6, maxRounds: 40, maxCi: 0.05, timeBudgetMs: 30_000}

export async function runSweep(o: SweepOptions, d: SweepDeps): Promise<SweepSummary> {
  // A fixed grid is checked before anything touches the disk or the device.
  const fixed = typeof o.grid === 'function' ? undefined : 'id' in o.grid ? o.grid : buildGrid(o.grid)
  if (fixed) checkGridCost(fixed, o.gridSource, o.maxMemory)
  ensureWritableDir(o.out)
  // One writer per directory: a second sweep on this --out is refused here (exit 2).
  const lock = lockSweepDir(o.out, '--out', 'sweep', d.warn)
  try {
    return await sweepLocked(o, d, fixed)
  } finally {
    lock.release()
  }
}

/** One measurement group: points of the same network, batch, dtype and input, timed once. */
interface Unit {
  /** runs_key: the first of its points in this run's points (or the reference's key). */
  id: string
  point: GridPoint
  /** Points of this run still to record (none for a reference from another shard). */
  points: GridPoint[]
  ref: Unit
  isRef: boolean
  prep?: Prepared
  rounds: RoundRun[]
  final: boolean
  first?: {createMs: number; firstRunMs: number}
}

/** The reference of a batch: the grid's base network (depth and width 1), else the batch's first point. */
function referencePoint(grid: Grid, p: GridPoint): GridPoint {
  const same = grid.points.filter((q) => q.batch === p.batch && q.dtype === p.dtype && q.input === p.input)
  return same.find((q) => q.depth === 1 && q.width === 1) ?? same[0]
}

async function sweepLocked(o: SweepOptions, d: SweepDeps, fixed: Grid | undefined): Promise<SweepSummary> {
  // An unwritable cache would fail every point, and --resume never retries failed points.
  ensureWritableDir(o.cacheDir, '--cache')
  const decision = await chooseEp(d.factory, o.ep, o.deviceId, probeModel())
  if (decision.fallback) d.warn(decision.fallback)
  const ep = decision.ep
  const grid = fixed ?? buildGrid((o.grid as (ep: Ep) => GridSpec)(ep))
  if (!fixed) checkGridCost(grid, o.gridSource, o.maxMemory)
  const points = o.shard ? shardPoints(grid.points, o.shard) : grid.points
  const timing: SweepTiming = {...ROUND_DEFAULTS, ...(typeof o.timing === 'function' ? o.timing(ep) : o.timing)}
  const threads = ep === 'cpu' ? (o.threads ?? defaultCpuThreads()) : null
  const loadAvg = d.loadAvg ?? (() => os.loadavg()[0])
  const loadStart = loadAvg()

  const host = hostInfo(ep, o.deviceId)
  const prior = priorRecords({out: o.out, resume: o.resume, shard: o.shard, grid, ep, device: host.device})
  // Even with no whole record, a partial line must go before the first append.
  if (o.resume) {
    repairJsonl(o.out)
    repairJsonl(o.out, FILES.runs)
  }
  const priorRuns = o.resume ? readRunsFile(o.out, '--out', {grid: {id: grid.id, size: grid.points.length, keys: grid.points.map((p) => p.key), source: ''}}).byKey : new Map<string, RoundRun[]>()
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
    options: {...timing, threads, profile: o.profile, seed: o.seed, cache_dir: o.cacheDir},
    load_avg_start: os.loadavg(),
    load_avg_end: null,
  }
  writeRunJson(o.out, meta)

  const todo = points.filter((p) => !done.has(p.key))
  let measured = 0
  let failed = 0
  let interrupted = false
  let fault: unknown
  let lastRound = 0
  const written: SweepRecord[] = []
  const pool = new SessionPool({
    factory: d.factory,
    ep,
    deviceId: o.deviceId,
    threads: threads ?? undefined,
    seed: o.seed,
    clock: d.clock,
    capBytes: Math.min(os.totalmem() / 4, 8 * 2 ** 30),
  })
  const units = new Map<string, Unit>()

  // Durable (fsynced) before it is announced; a write error stops the sweep as one line naming the file.
  const record = (rec: SweepRecord) => {
    appendRecord(o.out, rec)
    written.push(rec)
    if (rec.status === 'ok') reuse.set(measureKey(pointOf(rec.key)), rec)
    else failed++
    measured++
    d.progress.finished(rec)
  }
  const byKey = new Map(grid.points.map((p) => [p.key, p]))
  const pointOf = (key: string) => byKey.get(key)!

  d.progress.start(points.length, points.length - todo.length)
  try {
    // Points measured already under another key (B0 is in every Figure 3 grid): copied.
    const rest: GridPoint[] = []
    for (const p of todo) {
      const same = reuse.get(measureKey(p))
      if (same) record({...same, key: p.key, grid: p.grid, model: p.model, phi: p.phi})
      else rest.push(p)
    }
    // Units: one per measurement group of this run's points, with a reference per batch.
    const repOf = new Map<string, string>()
    for (const p of points) if (!repOf.has(measureKey(p))) repOf.set(measureKey(p), p.key)
    const unitOf = (p: GridPoint): Unit => {
      const id = repOf.get(measureKey(p)) ?? p.key
      let u = units.get(id)
      if (!u) {
        u = {id, point: pointOf(id), points: [], ref: undefined as unknown as Unit, isRef: false, rounds: priorRuns.get(id) ?? [], final: false}
        units.set(id, u)
      }
      return u
    }
    for (const p of rest) unitOf(p).points.push(p)
    for (const u of [...units.values()]) {
      const ref = unitOf(referencePoint(grid, u.point))
      ref.isRef = true
      ref.ref = ref
      u.ref = ref
    }
    const all = [...units.values()]
    const refs = all.filter((u) => u.isRef)
    const pctx = {ep, threads, emit: undefined as unknown as Emitter['emit'], emitterId: '', cacheDir: o.cacheDir, seed: o.seed, now}
    let emitter: Emitter | undefined
    const profileDir = o.profile ? ensureProfileDir(o.out) : undefined

    const fail = async (u: Unit, error: unknown) => {
      u.final = true
      await pool.close(u.id)
      for (const p of u.points) record(failedRecord({...u.prep!.rec, key: p.key, grid: p.grid, model: p.model, phi: p.phi}, error))
    }
    const finalize = async (u: Unit) => {
      u.final = true
      await pool.close(u.id)
      if (u.points.length === 0) return
      const st = roundStats(ownRounds(u.rounds), timing.maxCi, refMedians(u.ref.rounds))
      u.prep ??= preparePoint(u.point, {...pctx, emit: (emitter ??= await d.loadEmitter()).emit, emitterId: emitter.id})
      const pk = profileDir && u.prep.ok ? await profileUnit(u, profileDir) : undefined
      const extra: Partial<SweepRecord> = {
        session_create_ms: u.first?.createMs ?? null,
        first_run_ms: u.first?.firstRunMs ?? null,
        ref_key: u.ref.id,
        runs_key: u.id,
        kernel_ms: pk?.kernelMs ?? null,
        ort_run_ms: pk?.runMs ?? null,
      }
      const rec = timedRecord(u.prep.rec, st, extra)
      for (const p of u.points) record({...rec, key: p.key, grid: p.grid, model: p.model, phi: p.phi})
    }
    // Points whose rounds were all done before a kill (their record was not written yet).
    // A reference is settled like any point, from its own rounds; it is timed on while others are measured.
    const settled = (u: Unit) => {
      const own = ownRounds(u.rounds)
      return own.length >= timing.rounds && roundStats(own, timing.maxCi, refMedians(u.ref.rounds)).stable
    }

    /** One round of one unit: open (or reuse) its session, one untimed run, then the timed runs. */
    const timeUnit = async (u: Unit, round: number): Promise<boolean> => {
      if (!u.prep) {
        emitter ??= await d.loadEmitter()
        u.prep = preparePoint(u.point, {...pctx, emit: emitter.emit, emitterId: emitter.id})
      }
      const prep = u.prep
      const wasSettled = u.isRef && settled(u)
      if (!prep.ok) {
        u.final = true
        for (const p of u.points) record({...prep.rec, key: p.key, grid: p.grid, model: p.model, phi: p.phi})
        return true
      }
      let entry: PoolEntry
      let samples: number[]
      try {
        const opened = await pool.get({id: u.id, model: prep.model, bytes: prep.bytes, warmup: timing.warmup, inputShape: prep.inputShape})
        entry = opened.entry
        if (opened.first && !u.first) u.first = opened.first
        if (d.signal?.aborted) return false
        // Other models ran since this one: one untimed run warms its caches again.
        await pool.run(entry)
        const t = await timeRound(() => pool.run(entry), timing, d.clock, d.signal)
        if (t.aborted) return false
        samples = t.samples
      } catch (error) {
        if (error instanceof IoError) throw error
        await fail(u, error)
        return true
      }
      const refRound = u.isRef ? undefined : u.ref.rounds.find((r) => r.round === round)
      // The reference may come later in this round: then its own line pairs with this one.
      const line: RoundRun = {key: u.id, round, runs_ms: samples, ref_key: u.ref.id, ref_ms: u.isRef ? median(samples) : refRound ? median(refRound.runs_ms) : null}
      if (u.isRef && wasSettled) line.ref_only = true
      appendRun(o.out, line)
      u.rounds.push(line)
      return true
    }

    const t0 = d.clock()
    for (let round = 1; ; round++) {
      for (const u of all) if (!u.final && !u.isRef && settled(u)) await finalize(u)
      const pending = all.filter((u) => !u.final && !(u.isRef && settled(u)) && (u.points.length > 0 || all.some((x) => !x.final && !x.isRef)))
      if (pending.length === 0 || round > timing.maxRounds) break
      // The budget is a hard limit once two rounds give a spread: the default sweep must end in a minute on a busy machine.
      if (round > Math.min(2, timing.rounds) && d.clock() - t0 > timing.timeBudgetMs) break
      const others = all.filter((u) => !u.final && !u.isRef)
      d.progress.round?.(round, timing.rounds, pending.filter((u) => u.rounds.length >= timing.rounds).reduce((n, u) => n + Math.max(1, u.points.length), 0))
      for (const u of roundOrder([...refs.filter((r) => !r.final), ...others], o.seed, round)) {
        if (d.signal?.aborted) {
          interrupted = true
          break
        }
        if (u.final || u.rounds.some((r) => r.round === round)) continue
        d.progress.point(`${u.point.model} b=${u.point.batch} round ${round}`)
        if (!(await timeUnit(u, round))) {
          interrupted = true
          break
        }
        if (!u.final && !u.isRef && settled(u)) await finalize(u)
      }
      lastRound = round
      if (interrupted) break
    }
    if (!interrupted) {
      for (const u of all) if (!u.final && !u.isRef) await finalize(u)
      for (const u of refs) if (!u.final) await finalize(u)
    }
  } catch (error) {
    fault = error
    throw error
  } finally {
    await pool.closeAll().catch(() => undefined)
    d.progress.stop()
    // After a write error (disk full) these may fail too: the first error is the one reported.
    try {
      const all = readRecords(o.out).records
      writeCsv(o.out, all)
      const have = new Set(all.map((r) => r.key))
      writeRunJson(o.out, {...meta, finished_at: now().toISOString(), complete: points.every((p) => have.has(p.key)), load_avg_end: os.loadavg()})
    } catch (error) {
      if (fault === undefined) throw error
    }
  }
  const unstable = written.filter((r) => r.status === 'ok' && r.stable === false)
  const loadEnd = loadAvg()
  const refUnits = [...units.values()].filter((u) => u.isRef)
  return {
    out: o.out,
    ep,
    ep_fallback: decision.fallback ?? null,
    grid_id: grid.id,
    points: points.length,
    skipped: points.length - todo.length,
    measured,
    failed,
    rounds: lastRound,
    unstable: unstable.map((r) => ({key: r.key, model: r.model, ci_rel: r.ci_rel, rounds: r.rounds})),
    diagnosis: diagnose({
      refs: refUnits.map((u) => ({model: u.point.model, rounds: u.rounds})),
      unstable: unstable.map((r) => ({model: r.model, ci_rel: r.ci_rel ?? 0, cv: r.cv ?? 0})),
      load: {start: loadStart, end: loadEnd},
      cpus: os.availableParallelism(),
    }),
    max_ci: timing.maxCi,
    load_avg: {start: loadStart, end: loadEnd},
    interrupted,
    files: {jsonl: path.join(o.out, FILES.jsonl), runs: path.join(o.out, FILES.runs), csv: path.join(o.out, FILES.csv), run: path.join(o.out, FILES.run)},
  }

  /**
   * With --profile: PROFILED_RUNS runs of the point in a session of its own, after its rounds, so
   * profiling's cost per node (a few µs: ~10% of a 1,000-node network on a CPU) is in no timed run.
   * Medians of ORT's model_run and summed kernel times; the trace stays in OUT/profiles.
   */
  async function profileUnit(u: Unit, dir: string): Promise<{kernelMs: number; runMs: number} | undefined> {
    const prep = u.prep as Extract<Prepared, {ok: true}>
    try {
      const req = {model: prep.model, ep, deviceId: o.deviceId, threads: threads ?? undefined, profilePrefix: profilePrefix(dir, u.id), inputShape: prep.inputShape}
      const runs = await profileSession(d.factory, req, {warmup: timing.warmup, runs: PROFILED_RUNS, seed: o.seed})
      return runs.length ? {kernelMs: median(runs.map((r) => r.kernelMs)), runMs: median(runs.map((r) => r.runMs))} : undefined
    } catch (error) {
      d.warn(`--profile: ${u.point.model}: not profiled (${(error as Error).message.split('\n')[0]})`)
      return undefined
    }
  }
}

/** Profiled runs per point with --profile (after its warm-up). */
export const PROFILED_RUNS = 10

function ensureProfileDir(out: string): string {
  const dir = path.join(out, FILES.profiles)
  ensureWritableDir(dir, '--out')
  return dir
}
