/**
 * Joins what was measured elsewhere (trained trials, sweep latencies) onto search candidates.
 * A measurement matches a candidate when base, depth, width and image size agree: the image
 * size, not the resolution multiplier, because that is what the network actually saw.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {pointKey} from '../accuracy/models.js'
import type {AccuracyPoint} from '../accuracy/resolve.js'
import type {Point} from '../arch/spec.js'
import {UserError} from '../errors.js'
import type {SweepRecord} from '../sweep/record.js'
import {readSweepDir, RESULTS_FILE} from '../sweep/results.js'
import type {CostedCandidate, Measured} from './search.js'

/** The report's join key: sweep records store multipliers to 4 decimals, so match at that precision. */
const keyOf = (base: string, p: Pick<Point, 'depth' | 'width' | 'imageSize'>) => pointKey(base, p.depth, p.width, p.imageSize)

export interface MeasuredJoin {
  measured: Measured[]
  /** Trials and sweep records that matched no candidate (another base, or off the grid). */
  unmatchedTrials: number
  unmatchedRecords: number
}

export function joinMeasurements(
  base: string,
  candidates: readonly CostedCandidate[],
  trials: readonly AccuracyPoint[] = [],
  records: readonly SweepRecord[] = [],
): MeasuredJoin {
  const top1 = new Map<string, number>()
  for (const t of trials) top1.set(keyOf(t.target.base.name, t.target.point), t.top1)
  const latency = new Map<string, number>()
  for (const r of records) {
    const ms = r.p50_ms ?? r.infer_step_time
    if (r.status !== 'ok' || ms === null) continue
    const k = keyOf(r.base, {depth: r.depth, width: r.width, imageSize: r.infer_img_size})
    // Several records of one point (repeated runs): the fastest is the least disturbed.
    latency.set(k, Math.min(ms, latency.get(k) ?? Infinity))
  }
  const used = new Set<string>()
  const measured = candidates.map((c) => {
    const k = keyOf(base, c.point)
    used.add(k)
    return {top1: top1.get(k) ?? null, latencyMs: latency.get(k) ?? null}
  })
  return {
    measured,
    unmatchedTrials: [...top1.keys()].filter((k) => !used.has(k)).length,
    unmatchedRecords: [...latency.keys()].filter((k) => !used.has(k)).length,
  }
}

/** A sweep folder's results.jsonl (read as the report reads it), filtered to one batch size (and dtype). */
export function readSweepRecords(dir: string, batch: number, dtype?: SweepRecord['dtype']): SweepRecord[] {
  // Search's own wording: whatever is wrong with DIR, say which file it looked for.
  if (!existsSync(path.join(dir, RESULTS_FILE))) throw new UserError(`--sweep ${dir}: no results.jsonl there (run a sweep first)`)
  const {records, warnings} = readSweepDir(dir, '--sweep')
  for (const w of warnings) process.stderr.write(`effscale: warning: ${w}\n`)
  return records.filter((r) => r.infer_batch_size === batch && (dtype === undefined || r.dtype === dtype))
}
