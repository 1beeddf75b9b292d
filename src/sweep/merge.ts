/** `sweep merge`: shard directories of one grid → one sweep directory. */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../errors.js'
import {lockSweepDir} from './lock.js'
import type {RunMeta} from './meta.js'
import type {SweepRecord} from './record.js'
import {readSweepWithRuns} from './results.js'
import type {RoundRun} from './rounds.js'
import {ensureWritableDir, FILES, writeCsv, writeRecords, writeRunJson, writeRuns} from './store.js'

export interface MergeSummary {
  out: string
  grid_id: string
  merged_from: string[]
  records: number
  /** Grid points with no record in any input (shards not run yet). */
  missing: number
  complete: boolean
  /** Torn last lines skipped in the inputs (results.ts). */
  warnings: string[]
}

/**
 * Every input is read by the same rules as --resume reads a directory (results.ts), and the
 * inputs must be runs of one grid on one EP and device, as --resume requires of one directory.
 */
export function mergeSweeps(dirs: readonly string[], out: string, note: (line: string) => void = () => undefined): MergeSummary {
  if (dirs.length === 0) throw new UserError('sweep merge: give at least one sweep directory')
  const inputs = dirs.map((dir) => {
    const read = readSweepWithRuns<SweepRecord>(dir, 'sweep merge:')
    const meta = read.meta as RunMeta | null
    if (typeof meta?.grid?.id !== 'string' || !Array.isArray(meta.grid.keys)) throw new UserError(`sweep merge: ${dir} is not a sweep directory (no ${FILES.run} naming its grid)`)
    // Every line of the input's points and of their references, tagged with the input: a reference
    // timed by every shard keeps each shard's rounds, and rounds pair only within one shard.
    const keys = new Set(read.records.flatMap((r) => [r.runs_key ?? r.key, ...(r.ref_key ? [r.ref_key] : [])]))
    const runs = [...read.runs.byKey.entries()].filter(([k]) => keys.has(k)).flatMap(([, rs]) => rs)
    return {dir, meta, records: read.records, runs, warnings: read.warnings}
  })
  const first = inputs[0]
  for (const i of inputs) {
    if (i.meta.grid.id !== first.meta.grid.id) {
      throw new UserError(`sweep merge: ${i.dir} is grid ${i.meta.grid.id}, ${first.dir} is grid ${first.meta.grid.id}; merge only shards of one grid`)
    }
    if (i.meta.ep !== first.meta.ep || i.meta.device !== first.meta.device) {
      throw new UserError(
        `sweep merge: ${i.dir} was measured on ${i.meta.ep} (${i.meta.device}), ${first.dir} on ${first.meta.ep} (${first.meta.device}); ` +
          'merge only runs of one EP and device, as --resume continues only those',
      )
    }
  }
  const byKey = new Map<string, {rec: SweepRecord; dir: string}>()
  for (const i of inputs) {
    for (const rec of i.records) {
      const seen = byKey.get(rec.key)
      if (seen) throw new UserError(`sweep merge: point "${rec.key}" is in both ${seen.dir} and ${i.dir}`)
      byKey.set(rec.key, {rec, dir: i.dir})
    }
  }
  const resolvedOut = path.resolve(out)
  if (dirs.some((d) => path.resolve(d) === resolvedOut)) throw new UserError(`--out ${out} is one of the inputs; merge into a new directory`)
  ensureWritableDir(out)
  const lock = lockSweepDir(out, '--out', 'sweep merge', note)
  try {
    if (existsSync(path.join(out, FILES.jsonl))) throw new UserError(`--out ${out} already holds sweep results; merge into a new directory`)
    const keys = first.meta.grid.keys
    const records = keys.flatMap((k) => (byKey.has(k) ? [byKey.get(k)!.rec] : []))
    const missing = keys.length - records.length
    const started = inputs.map((i) => i.meta.started_at).sort()
    const finished = inputs.map((i) => i.meta.finished_at).filter((x): x is string => x !== null).sort()
    const meta: RunMeta = {
      ...first.meta,
      started_at: started[0],
      finished_at: finished.length ? finished[finished.length - 1] : null,
      complete: missing === 0,
      shard: null,
      merged_from: dirs.map((d) => path.resolve(d)),
    }
    const runs: RoundRun[] = inputs.flatMap((i, from) => i.runs.map((r) => ({...r, from: (r.from ?? 0) * inputs.length + from})))
    writeRecords(out, records)
    if (runs.length) writeRuns(out, runs)
    writeCsv(out, records)
    writeRunJson(out, meta)
    return {
      out,
      grid_id: meta.grid.id,
      merged_from: meta.merged_from!,
      records: records.length,
      missing,
      complete: missing === 0,
      warnings: inputs.flatMap((i) => i.warnings),
    }
  } finally {
    lock.release()
  }
}
