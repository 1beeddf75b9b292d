/**
 * A sweep directory: results.jsonl (append-only, one record per line, fsynced per point),
 * runs.jsonl (append-only, one line per point and round: the raw timed runs, fsynced per round),
 * results.csv (regenerated from the jsonl), run.json (metadata), sweep.lock (lock.ts) while a
 * sweep writes. Reading goes through results.ts (one set of rules for every reader); a kill -9
 * can leave a torn last line, which readers skip and `repairJsonl` cuts before appending again.
 * Every write error is one IoError line naming the file.
 */
import {closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {ioError, UserError} from '../errors.js'
import {toCsv} from '../io/csv.js'
import {ensureOutDir} from '../io/out-dir.js'
import {appendDurable, writeFileAtomic, type WriteFn} from '../io/write.js'
import type {Grid} from './grid.js'
import {LOCK_FILE} from './lock.js'
import {RECORD_COLUMNS, type SweepRecord} from './record.js'
import {readSweepDir, RESULTS_FILE, RUN_FILE, RUNS_FILE, type SweepDirResults} from './results.js'
import type {RoundRun} from './rounds.js'
import type {Ep} from './session.js'

export const FILES = {jsonl: RESULTS_FILE, runs: RUNS_FILE, csv: 'results.csv', run: RUN_FILE, profiles: 'profiles', lock: LOCK_FILE} as const

/** Create the directory (never into /proc or /sys) and check it is writable; else a one-line IoError naming it. */
export function ensureWritableDir(dir: string, flag = '--out'): void {
  ensureOutDir(dir, flag)
}

export type ReadResult = SweepDirResults<SweepRecord>

/** The records of a sweep directory (none when it has no results.jsonl yet), by results.ts's rules. */
export function readRecords(dir: string, flag = '--out'): ReadResult {
  if (!existsSync(dir)) return {file: path.join(dir, FILES.jsonl), meta: null, records: [], lines: [], truncated: false, warnings: []}
  return readSweepDir<SweepRecord>(dir, flag, {absent: 'empty'})
}

/**
 * Make the file end on a whole line before appending: a torn last line (not whole JSON) is cut;
 * a whole record that lacks only its newline keeps it (every reader counts it) and gets one.
 */
export function repairJsonl(dir: string, name: string = FILES.jsonl): void {
  const file = path.join(dir, name)
  if (!existsSync(file)) return
  const what = `--out ${dir}: cannot repair ${file}`
  try {
    const buf = readFileSync(file)
    const end = buf.lastIndexOf(0x0a) + 1
    if (end === buf.length) return
    if (isJson(buf.subarray(end).toString('utf8'))) return appendDurable(file, '\n', what)
    const fd = openSync(file, 'r+')
    try {
      ftruncateSync(fd, end)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    throw ioError(what, error)
  }
}

const isJson = (text: string) => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * Append one record and fsync: a finished point survives a crash or kill -9. On a write error
 * (disk full) the partial line is cut off again and one IoError line names the file; only
 * after this returns may the point be announced.
 */
export function appendRecord(dir: string, record: SweepRecord, write?: WriteFn): void {
  const file = path.join(dir, FILES.jsonl)
  appendDurable(file, JSON.stringify(record) + '\n', `--out ${dir}: cannot write ${file}`, write)
}

/** Append one round of a point's timed runs to runs.jsonl and fsync (before the round counts as done). */
export function appendRun(dir: string, run: RoundRun, write?: WriteFn): void {
  const file = path.join(dir, FILES.runs)
  appendDurable(file, JSON.stringify(run) + '\n', `--out ${dir}: cannot write ${file}`, write)
}

export function writeRuns(dir: string, runs: readonly RoundRun[]): void {
  const file = path.join(dir, FILES.runs)
  writeFileAtomic(file, runs.map((r) => JSON.stringify(r) + '\n').join(''), `--out ${dir}: cannot write ${file}`)
}

export function writeRecords(dir: string, records: readonly SweepRecord[]): void {
  const file = path.join(dir, FILES.jsonl)
  writeFileAtomic(file, records.map((r) => JSON.stringify(r) + '\n').join(''), `--out ${dir}: cannot write ${file}`)
}

/** Columns: the documented ones first, then any extra fields in first-seen order. */
export function csvColumns(records: readonly SweepRecord[]): string[] {
  const cols: string[] = [...RECORD_COLUMNS]
  const seen = new Set(cols)
  for (const r of records) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), cols.push(k))
  return cols
}

export function writeCsv(dir: string, records: readonly SweepRecord[]): void {
  const columns = csvColumns(records)
  const rows = records.map((r) => columns.map((c) => (r as unknown as Record<string, unknown>)[c] ?? ''))
  const file = path.join(dir, FILES.csv)
  writeFileAtomic(file, toCsv(rows, columns), `--out ${dir}: cannot write ${file}`)
}

export function readRunJson<T>(dir: string): T | undefined {
  const file = path.join(dir, FILES.run)
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch {
    throw new UserError(`${file}: not valid JSON`)
  }
}

export function writeRunJson(dir: string, meta: unknown): void {
  const file = path.join(dir, FILES.run)
  writeFileAtomic(file, JSON.stringify(meta, null, 2) + '\n', `--out ${dir}: cannot write ${file}`)
}

export interface PriorCheck {
  out: string
  resume: boolean
  shard?: {k: number; n: number}
  grid: Grid
  /** The EP and device this run measures on. */
  ep: Ep
  device: string
}

/**
 * Records already in --out that this run may keep. Without --resume there must be none; with
 * it, the directory must hold this grid and shard, measured on this EP and device.
 */
export function priorRecords(o: PriorCheck): SweepRecord[] {
  const {records, truncated, meta} = readRecords(o.out)
  if (!o.resume) {
    const runs = path.join(o.out, FILES.runs)
    if (records.length || truncated || (existsSync(runs) && readFileSync(runs).length > 0)) {
      throw new UserError(`--out ${o.out} already holds sweep results: add --resume to continue that sweep, or choose another --out`)
    }
    return []
  }
  const {grid} = o
  if (meta && (meta.grid?.id !== grid.id || !sameShard(meta.shard, o.shard))) {
    const was = `grid ${meta.grid?.id} (${meta.grid?.size} points${meta.shard ? `, shard ${meta.shard.k}/${meta.shard.n}` : ''})`
    const now = `grid ${grid.id} (${grid.points.length} points${o.shard ? `, shard ${o.shard.k}/${o.shard.n}` : ''})`
    throw new UserError(`--resume: ${o.out} holds a sweep of ${was}, this command describes ${now}; use another --out`)
  }
  const keys = new Set(grid.points.map((p) => p.key))
  const stray = records.find((r) => !keys.has(r.key))
  if (stray) throw new UserError(`--resume: ${o.out} holds point "${stray.key}" that is not in this grid; use another --out`)
  // run.json names one EP and device for the directory; latencies of two would be charted as one sweep.
  const otherEp = records.find((r) => r.ep !== o.ep)
  if (otherEp) {
    throw new UserError(`--resume: ${o.out} was measured on ${otherEp.ep}, this run got ${o.ep}; give --ep ${otherEp.ep} (or use another --out)`)
  }
  if (records.length && typeof meta?.device === 'string' && meta.device !== o.device) {
    throw new UserError(`--resume: ${o.out} was measured on ${meta.device}, this run is on ${o.device}; use another --out`)
  }
  return records
}

const sameShard = (a: {k: number; n: number} | null | undefined, b: {k: number; n: number} | undefined) =>
  (a ?? undefined)?.k === b?.k && (a ?? undefined)?.n === b?.n
