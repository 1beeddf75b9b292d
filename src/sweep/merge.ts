/** `sweep merge`: shard directories of one grid → one sweep directory. */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../errors.js'
import type {RunMeta} from './meta.js'
import type {SweepRecord} from './record.js'
import {ensureWritableDir, FILES, readRecords, readRunJson, writeCsv, writeRecords, writeRunJson} from './store.js'

export interface MergeSummary {
  out: string
  grid_id: string
  merged_from: string[]
  records: number
  /** Grid points with no record in any input (shards not run yet). */
  missing: number
  complete: boolean
}

export function mergeSweeps(dirs: readonly string[], out: string): MergeSummary {
  if (dirs.length === 0) throw new UserError('sweep merge: give at least one sweep directory')
  const inputs = dirs.map((dir) => {
    const meta = readRunJson<RunMeta>(dir)
    if (!meta?.grid?.id) throw new UserError(`sweep merge: ${dir} is not a sweep directory (no ${FILES.run})`)
    return {dir, meta, records: readRecords(dir).records}
  })
  const first = inputs[0]
  for (const i of inputs) {
    if (i.meta.grid.id !== first.meta.grid.id) {
      throw new UserError(`sweep merge: ${i.dir} is grid ${i.meta.grid.id}, ${first.dir} is grid ${first.meta.grid.id}; merge only shards of one grid`)
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
  if (existsSync(path.join(out, FILES.jsonl))) throw new UserError(`--out ${out} already holds sweep results; merge into a new directory`)

  const keys = first.meta.grid.keys
  const records = keys.flatMap((k) => (byKey.has(k) ? [byKey.get(k)!.rec] : []))
  const missing = keys.length - records.length
  const eps = [...new Set(inputs.map((i) => i.meta.ep))]
  const devices = [...new Set(inputs.map((i) => i.meta.device))]
  const started = inputs.map((i) => i.meta.started_at).sort()
  const finished = inputs.map((i) => i.meta.finished_at).filter((x): x is string => x !== null).sort()
  const meta: RunMeta = {
    ...first.meta,
    ep: eps.length === 1 ? eps[0] : (eps.join(',') as RunMeta['ep']),
    device: devices.join(', '),
    started_at: started[0],
    finished_at: finished.length ? finished[finished.length - 1] : null,
    complete: missing === 0,
    shard: null,
    merged_from: dirs.map((d) => path.resolve(d)),
  }
  writeRecords(out, records)
  writeCsv(out, records)
  writeRunJson(out, meta)
  return {out, grid_id: meta.grid.id, merged_from: meta.merged_from!, records: records.length, missing, complete: missing === 0}
}
