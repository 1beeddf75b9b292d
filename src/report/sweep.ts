/** Reading sweep directories (results.jsonl + run.json) for the report. */
import path from 'node:path'
import {UserError} from '../errors.js'
import type {SweepRecord} from '../sweep/record.js'
import {readSweepDir} from '../sweep/results.js'

export interface SweepRun {
  dir: string
  /** Shown in legends and facets: run.json's label or name, else the directory's name. */
  label: string
  /** run.json as written by the sweep, when present. */
  meta: Record<string, unknown> | null
  records: SweepRecord[]
}

export function loadSweep(dir: string): SweepRun {
  // The rules every reader of a sweep directory follows (a torn last line is skipped with a warning).
  const {records, warnings, meta: run} = readSweepDir(dir, '--sweep')
  for (const w of warnings) process.stderr.write(`effscale: warning: ${w}\n`)
  if (records.length === 0) throw new UserError(`--sweep ${dir}: results.jsonl has no records`)
  const meta = run as Record<string, unknown> | null
  const named = meta && [meta.label, meta.name].find((v) => typeof v === 'string' && v.trim())
  return {dir, label: (named as string | undefined) ?? path.basename(path.resolve(dir)), meta, records}
}

/** Distinct labels for several runs: a repeated label gets its directory path appended. */
export function distinctLabels(runs: SweepRun[]): SweepRun[] {
  const count = new Map<string, number>()
  for (const r of runs) count.set(r.label, (count.get(r.label) ?? 0) + 1)
  return runs.map((r, i) => (count.get(r.label)! > 1 ? {...r, label: `${r.label} (${r.dir || i + 1})`} : r))
}
