/**
 * The one reader of a sweep's results.jsonl (written by store.ts), for the sweep itself
 * (resume, merge), the report, budget checks and search. Each caller keeps its own policy
 * for an unterminated last line, which a sweep killed mid-write leaves behind.
 */
import {existsSync, statSync} from 'node:fs'
import path from 'node:path'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'
import type {SweepRecord} from './record.js'

export const RESULTS_FILE = 'results.jsonl'

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
  /** An unterminated last line that is not whole JSON: an 'error' like any other bad line (default), or 'skip' it with a warning. */
  partial?: 'skip' | 'error'
}

export interface ParsedResults<R = SweepRecord> {
  records: R[]
  /** The unterminated last line was not whole JSON and was skipped. */
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
  const {require = Object.keys(COLUMN_TYPES) as RequiredColumn[], partial = 'error'} = opts
  const lines = text.split('\n')
  const out: ParsedResults<R> = {records: [], truncated: false, warnings: []}
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    const at = `${source}:${i + 1}`
    let rec: unknown
    try {
      rec = JSON.parse(line)
    } catch {
      // The last element of the split is text after the last newline: a line not finished.
      if (i === lines.length - 1 && partial === 'skip') {
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

/** A sweep directory given as `flag DIR` → its results.jsonl, parsed; one-line UserErrors name the input. */
export function readSweepDir<R = SweepRecord>(dir: string, flag: string, opts?: ParseOptions): ParsedResults<R> & {file: string} {
  const at = `${flag} ${dir}`
  if (!existsSync(dir)) throw new UserError(`${at}: no such directory`)
  if (!statSync(dir).isDirectory()) throw new UserError(`${at}: not a directory`)
  const file = path.join(dir, RESULTS_FILE)
  if (!existsSync(file)) throw new UserError(`${at}: no results.jsonl (not a sweep directory, or the sweep has not written results yet)`)
  return {file, ...readResultsFile<R>(file, flag, opts)}
}
