import type {SweepRecord} from '../sweep/record.js'
import {parseResultsJsonl, type ParseOptions} from '../sweep/results.js'
import type {LatencyStat} from './figures.js'

/** The columns of a sweep record a latency budget reads. */
export type LatencyRecord = Pick<
  SweepRecord,
  'key' | 'model' | 'infer_batch_size' | 'dtype' | 'status' | 'error' | 'min_ms' | 'mean_ms' | 'p50_ms' | 'p90_ms' | 'p99_ms'
> &
  Partial<Pick<SweepRecord, 'ci_lo_ms' | 'ci_hi_ms' | 'rounds' | 'onnx_file'>>

/** How a budget check reads results.jsonl: the columns above (the rest as every reader does, src/sweep/results.ts). */
export const LATENCY_READ: ParseOptions = {require: ['key', 'model', 'infer_batch_size', 'dtype', 'status']}

/** results.jsonl text → records (pure); a bad line is an Error naming file and line. */
export const parseResults = (text: string, source: string) => parseResultsJsonl<LatencyRecord>(text, source, LATENCY_READ)

export interface LatencyQuery {
  /** Model labels or sweep keys that name the target (the first is the one reported). */
  models: string[]
  batch: number
  dtype: string
  stat: LatencyStat
}

/** `ci`: the 95% interval of the median, when the statistic is p50 and the sweep timed rounds. */
export type LatencyLookup = {ok: true; ms: number; records: number; ci?: {lo: number; hi: number}} | {ok: false; why: string}

/** Records indexed by model label, by key and by ONNX file, for many lookups. */
export function indexRecords(records: readonly LatencyRecord[]): Map<string, LatencyRecord[]> {
  const byName = new Map<string, LatencyRecord[]>()
  const add = (k: string, r: LatencyRecord) => (byName.get(k) ?? byName.set(k, []).get(k)!).push(r)
  for (const r of records) {
    add(r.model, r)
    if (r.key !== r.model) add(r.key, r)
    // sweep --onnx: found by the file's absolute path, however the budget wrote it.
    if (typeof r.onnx_file === 'string' && r.onnx_file !== r.model) add(r.onnx_file, r)
  }
  return byName
}

/**
 * Latency of a model at a batch and dtype (pure). Several successful records (other inputs or
 * providers) → the slowest, so the gate stays conservative. None, or only failed ones → why not.
 */
export function findLatency(index: Map<string, LatencyRecord[]>, q: LatencyQuery): LatencyLookup {
  const all = [...new Set(q.models.flatMap((m) => index.get(m) ?? []))]
  const model = q.models[0]
  const at = all.filter((r) => r.infer_batch_size === q.batch && r.dtype === q.dtype)
  if (at.length === 0) {
    const others = [...new Set(all.map((r) => `batch ${r.infer_batch_size} ${r.dtype}`))]
    const seen = others.length ? ` (measured only at ${others.join(', ')})` : ' (model not in the sweep)'
    return {ok: false, why: `no latency measurement for ${model} at batch ${q.batch} ${q.dtype}${seen}`}
  }
  const column = `${q.stat}_ms` as const
  const ok = at.filter((r) => r.status === 'ok' && typeof r[column] === 'number')
  if (ok.length === 0) {
    const failed = at.find((r) => r.status !== 'ok')
    return {
      ok: false,
      why: failed
        ? `measurement of ${model} at batch ${q.batch} ${q.dtype} failed: ${failed.error ?? 'no reason recorded'}`
        : `no ${column} recorded for ${model} at batch ${q.batch} ${q.dtype}`,
    }
  }
  const slowest = ok.reduce((a, r) => ((r[column] as number) > (a[column] as number) ? r : a))
  const found: LatencyLookup = {ok: true, ms: slowest[column] as number, records: ok.length}
  // The interval is of the median: other statistics are judged by their value alone.
  if (q.stat === 'p50' && typeof slowest.ci_lo_ms === 'number' && typeof slowest.ci_hi_ms === 'number') found.ci = {lo: slowest.ci_lo_ms, hi: slowest.ci_hi_ms}
  return found
}
