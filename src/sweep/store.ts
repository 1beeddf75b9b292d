/**
 * A sweep directory: results.jsonl (append-only, one record per line, fsynced per point),
 * results.csv (regenerated from the jsonl), run.json (metadata). A kill -9 can leave a
 * truncated last line; reading (results.ts) skips it and `repairJsonl` cuts it before appending again.
 */
import {accessSync, closeSync, constants, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync} from 'node:fs'
import path from 'node:path'
import {stringify} from 'csv-stringify/sync'
import {UserError} from '../errors.js'
import {RECORD_COLUMNS, type SweepRecord} from './record.js'
import {parseResultsJsonl, RESULTS_FILE} from './results.js'

export const FILES = {jsonl: RESULTS_FILE, csv: 'results.csv', run: 'run.json', profiles: 'profiles'} as const

/** Create the directory and prove it is writable; else a one-line UserError naming it. */
export function ensureWritableDir(dir: string, flag = '--out'): void {
  try {
    mkdirSync(dir, {recursive: true})
    accessSync(dir, constants.W_OK)
    const probe = path.join(dir, `.write-test-${process.pid}`)
    writeFileSync(probe, '')
    unlinkSync(probe)
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    throw new UserError(`${flag} ${dir}: not a writable directory (${e.code ?? e.message})`)
  }
}

export interface ReadResult {
  records: SweepRecord[]
  /** A partial last line was found (the writer was killed mid-line). */
  truncated: boolean
}

export function readRecords(dir: string): ReadResult {
  const file = path.join(dir, FILES.jsonl)
  if (!existsSync(file)) return {records: [], truncated: false}
  const text = readFileSync(file, 'utf8')
  // This writer ends every record with a newline: text after the last one is a line it did not finish.
  const end = text.lastIndexOf('\n') + 1
  try {
    return {records: parseResultsJsonl(text.slice(0, end), file).records, truncated: text.slice(end).trim() !== ''}
  } catch (error) {
    throw new UserError((error as Error).message)
  }
}

/** Cut a partial last line so the next append starts on a fresh line. */
export function repairJsonl(dir: string): void {
  const file = path.join(dir, FILES.jsonl)
  if (!existsSync(file)) return
  const buf = readFileSync(file)
  const end = buf.lastIndexOf(0x0a) + 1
  if (end === buf.length) return
  const fd = openSync(file, 'r+')
  try {
    ftruncateSync(fd, end)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Append one record and fsync: a finished point survives a crash or kill -9. */
export function appendRecord(dir: string, record: SweepRecord): void {
  const fd = openSync(path.join(dir, FILES.jsonl), 'a')
  try {
    writeSync(fd, JSON.stringify(record) + '\n')
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

export function writeRecords(dir: string, records: readonly SweepRecord[]): void {
  writeAtomic(path.join(dir, FILES.jsonl), records.map((r) => JSON.stringify(r) + '\n').join(''))
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
  writeAtomic(path.join(dir, FILES.csv), stringify(rows, {header: true, columns}))
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
  writeAtomic(path.join(dir, FILES.run), JSON.stringify(meta, null, 2) + '\n')
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}
