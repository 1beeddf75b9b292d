/**
 * The one reader of sweep results (written by store.ts), for the sweep itself (--resume),
 * `sweep merge`, the report, budget checks and search. One set of rules for all of them:
 * - an unterminated last line that is not whole JSON (a writer killed mid-line) is skipped
 *   with a warning; --resume cuts it before appending (store.ts repairJsonl);
 * - any other line that is not a sweep record is refused, naming file and line;
 * - in a sweep directory: run.json, when there, must be JSON; every record's key must be in
 *   its grid, no key may appear twice, and every record has the EP run.json names (one EP
 *   per directory).
 * Readers differ only in the columns they need (`require`).
 */
import {existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'
import type {RunMeta} from './meta.js'
import type {SweepRecord} from './record.js'
import {ownRounds, type RoundRun} from './rounds.js'

export const RESULTS_FILE = 'results.jsonl'
export const RUN_FILE = 'run.json'

/** The columns a sweep record must have to be charted or searched, and their types; readers may require fewer. */
const COLUMN_TYPES = {
  key: 'string', grid: 'string', model: 'string', base: 'string', depth: 'number', width: 'number',
  infer_img_size: 'number', infer_batch_size: 'number', dtype: 'string', macs: 'number', status: 'string',
  p50_ms: 'number or null',
} as const
export type RequiredColumn = keyof typeof COLUMN_TYPES

export interface ParseOptions {
  /** Columns every record must have, checked in this order (default: all of COLUMN_TYPES). */
  require?: readonly RequiredColumn[]
}

export interface ParsedResults<R = SweepRecord> {
  records: R[]
  /** 1-based line of each record in the file. */
  lines: number[]
  /** An unterminated last line that was not whole JSON was skipped. */
  truncated: boolean
  warnings: string[]
}

const isA = (v: unknown, type: (typeof COLUMN_TYPES)[RequiredColumn]) =>
  type === 'number or null' ? v === null || typeof v === 'number' : typeof v === type

/**
 * results.jsonl text → records. Pure; `source` names the file in messages. A bad line throws
 * an Error "source:line: why" (callers add the flag and make it a UserError).
 */
export function parseResultsJsonl<R = SweepRecord>(text: string, source: string, opts: ParseOptions = {}): ParsedResults<R> {
  const {require = Object.keys(COLUMN_TYPES) as RequiredColumn[]} = opts
  const lines = text.split('\n')
  const out: ParsedResults<R> = {records: [], lines: [], truncated: false, warnings: []}
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    const at = `${source}:${i + 1}`
    let rec: unknown
    try {
      rec = JSON.parse(line)
    } catch {
      // The last element of the split is text after the last newline: a line not finished.
      if (i === lines.length - 1) {
        out.truncated = true
        return void out.warnings.push(`${at}: skipped an unterminated last line (a sweep stopped mid-write?)`)
      }
      throw new Error(`${at}: not valid JSON`)
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new Error(`${at}: not a JSON object`)
    const r = rec as Record<string, unknown>
    const bad = require.find((k) => !isA(r[k], COLUMN_TYPES[k]))
    if (bad) throw new Error(`${at}: not a sweep record ("${bad}" missing or not a ${COLUMN_TYPES[bad]})`)
    out.records.push(rec as R)
    out.lines.push(i + 1)
  })
  return out
}

/** A results.jsonl file's text, parsed; a bad line is a one-line UserError starting with `flag`. */
export function readResultsFile<R = SweepRecord>(file: string, flag: string, opts?: ParseOptions): ParsedResults<R> {
  const text = readText(file, flag)
  try {
    return parseResultsJsonl<R>(text, file, opts)
  } catch (error) {
    throw new UserError(`${flag} ${(error as Error).message}`)
  }
}

export interface SweepDirOptions extends ParseOptions {
  /** A directory without results.jsonl: refused (default), or read as no records (a sweep not started yet). */
  absent?: 'error' | 'empty'
}

export interface SweepDirResults<R> extends ParsedResults<R> {
  file: string
  /** run.json, when the directory has one. */
  meta: Partial<RunMeta> | null
}

/** The record fields the directory rules read. */
type Keyed = {key: string; ep?: unknown}

/**
 * A sweep directory given as `flag DIR` → its records and run.json, checked by the rules
 * above; every refusal is a one-line UserError starting with `flag DIR`.
 */
export function readSweepDir<R extends Keyed = SweepRecord>(dir: string, flag: string, opts: SweepDirOptions = {}): SweepDirResults<R> {
  const at = `${flag} ${dir}`
  if (!existsSync(dir)) throw new UserError(`${at}: no such directory`)
  if (!statSync(dir).isDirectory()) throw new UserError(`${at}: not a directory`)
  const file = path.join(dir, RESULTS_FILE)
  const meta = readMeta(dir, flag)
  if (!existsSync(file)) {
    if (opts.absent === 'empty') return {file, meta, records: [], lines: [], truncated: false, warnings: []}
    throw new UserError(`${at}: no results.jsonl (not a sweep directory, or the sweep has not written results yet)`)
  }
  const parsed = readResultsFile<R>(file, flag, opts)
  checkDirectory(parsed, meta, `${flag} ${file}`)
  return {file, meta, ...parsed}
}

function readMeta(dir: string, flag: string): Partial<RunMeta> | null {
  const file = path.join(dir, RUN_FILE)
  if (!existsSync(file)) return null
  let meta: unknown
  try {
    meta = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    throw new UserError(`${flag} ${file}: not valid JSON`)
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new UserError(`${flag} ${file}: not a JSON object`)
  return meta as Partial<RunMeta>
}

/** The directory rules: keys in run.json's grid, each key once, one EP. */
function checkDirectory(parsed: ParsedResults<Keyed>, meta: Partial<RunMeta> | null, at: string): void {
  const grid = Array.isArray(meta?.grid?.keys) ? new Set(meta.grid.keys) : undefined
  const ep = typeof meta?.ep === 'string' ? {ep: meta.ep, where: 'run.json'} : undefined
  const seen = new Map<string, number>()
  parsed.records.forEach((r, i) => {
    const line = parsed.lines[i]
    if (grid && !grid.has(r.key)) {
      throw new UserError(`${at}:${line}: point "${r.key}" is not in the directory's grid (run.json: grid ${meta!.grid!.id}, ${grid.size} points)`)
    }
    const first = seen.get(r.key)
    if (first !== undefined) throw new UserError(`${at}:${line}: point "${r.key}" is recorded twice (also line ${first}): two sweeps wrote to one directory?`)
    seen.set(r.key, line)
    const want = ep ?? (i === 0 ? undefined : {ep: parsed.records[0].ep, where: `line ${parsed.lines[0]}`})
    if (want && r.ep !== want.ep) {
      throw new UserError(`${at}:${line}: measured on ${String(r.ep)}, ${want.where} on ${String(want.ep)}: a sweep directory holds one execution provider`)
    }
  })
}

export const RUNS_FILE = 'runs.jsonl'

/**
 * runs.jsonl text → the timed runs of each point per round (pure). Same rules as results.jsonl:
 * a torn last line is skipped with a warning, any other bad line is an Error "source:line: why",
 * and one (key, round) twice is refused (two writers?).
 */
export function parseRunsJsonl(text: string, source: string): {runs: RoundRun[]; lines: number[]; truncated: boolean; warnings: string[]} {
  const lines = text.split('\n')
  const out = {runs: [] as RoundRun[], lines: [] as number[], truncated: false, warnings: [] as string[]}
  const seen = new Map<string, number>()
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    const at = `${source}:${i + 1}`
    let r: Partial<RoundRun>
    try {
      r = JSON.parse(line) as Partial<RoundRun>
    } catch {
      if (i === lines.length - 1) {
        out.truncated = true
        return void out.warnings.push(`${at}: skipped an unterminated last line (a sweep stopped mid-write?)`)
      }
      throw new Error(`${at}: not valid JSON`)
    }
    const ok =
      typeof r === 'object' && r !== null && typeof r.key === 'string' && Number.isInteger(r.round) && r.round! >= 1 &&
      Array.isArray(r.runs_ms) && r.runs_ms.length > 0 && r.runs_ms.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
      typeof r.ref_key === 'string' && (r.ref_ms === null || typeof r.ref_ms === 'number')
    if (!ok) throw new Error(`${at}: not a round of timed runs (key, round, runs_ms, ref_key, ref_ms)`)
    if (r.from !== undefined && !(Number.isInteger(r.from) && r.from >= 0)) throw new Error(`${at}: "from" must be a whole number ≥ 0`)
    if (r.ref_only !== undefined && r.ref_only !== true) throw new Error(`${at}: "ref_only" must be true when present`)
    const id = `${r.key}\n${r.round}\n${r.from ?? ''}`
    const first = seen.get(id)
    if (first !== undefined) throw new Error(`${at}: round ${r.round} of "${r.key}" is recorded twice (also line ${first}): two sweeps wrote to one directory?`)
    seen.set(id, i + 1)
    out.runs.push(r as RoundRun)
    out.lines.push(i + 1)
  })
  return out
}

export interface SweepRuns {
  /** Rounds of each measured point by its runs_key, in round order. */
  byKey: Map<string, RoundRun[]>
  truncated: boolean
  warnings: string[]
}

/** A sweep directory's runs.jsonl (none: an empty map); keys must be in run.json's grid. */
export function readRunsFile(dir: string, flag: string, meta?: Partial<RunMeta> | null): SweepRuns {
  const file = path.join(dir, RUNS_FILE)
  const byKey = new Map<string, RoundRun[]>()
  if (!existsSync(file)) return {byKey, truncated: false, warnings: []}
  let parsed: ReturnType<typeof parseRunsJsonl>
  try {
    parsed = parseRunsJsonl(readText(file, flag), file)
  } catch (error) {
    throw new UserError(`${flag} ${(error as Error).message}`)
  }
  const grid = Array.isArray(meta?.grid?.keys) ? new Set(meta.grid.keys) : undefined
  parsed.runs.forEach((r, i) => {
    if (grid && !grid.has(r.key)) throw new UserError(`${flag} ${file}:${parsed.lines[i]}: point "${r.key}" is not in the directory's grid`)
    ;(byKey.get(r.key) ?? byKey.set(r.key, []).get(r.key)!).push(r)
  })
  for (const list of byKey.values()) list.sort((a, b) => a.round - b.round)
  return {byKey, truncated: parsed.truncated, warnings: parsed.warnings}
}

/** A record with the raw timed runs of each of its rounds, and its reference's. */
export interface PointRuns<R> {
  record: R
  /** The rounds of its record (ownRounds), in round order; empty for a failed point or a directory written before rounds. */
  rounds: RoundRun[]
  /** The rounds of the reference it is divided by (rounds.ts refMedians pairs them by round). */
  refRounds: RoundRun[]
}

/**
 * The one way to read a sweep with its raw timings: every record of `dir` (readSweepDir's
 * rules) with its rounds from runs.jsonl, so latency models and `compare` can recompute
 * statistics and ratios to the reference: `roundStats(p.rounds, maxCi, refMedians(p.refRounds))`
 * (rounds.ts) gives every statistic of the record, rel_ref and rel_ci_* included.
 */
export function readSweepWithRuns<R extends Keyed & {runs_key?: string | null; ref_key?: string | null} = SweepRecord>(
  dir: string,
  flag: string,
  opts: SweepDirOptions = {},
): SweepDirResults<R> & {points: Array<PointRuns<R>>; runs: SweepRuns} {
  const read = readSweepDir<R>(dir, flag, opts)
  const runs = readRunsFile(dir, flag, read.meta)
  const points = read.records.map((record) => ({
    record,
    rounds: ownRounds(runs.byKey.get(record.runs_key ?? record.key) ?? []),
    refRounds: record.ref_key ? (runs.byKey.get(record.ref_key) ?? []) : [],
  }))
  return {...read, points, runs, warnings: [...read.warnings, ...runs.warnings]}
}
