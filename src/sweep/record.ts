/**
 * One measured (or failed) sweep point: a line of results.jsonl and a row of results.csv.
 * Column names follow timm's benchmark CSVs where timm has one (infer_*, param_count).
 * Read by the report and by budget checks.
 */
export interface SweepRecord {
  /** Stable key of the point: same grid point ⇒ same key (resume, merge, shards). */
  key: string
  /** Which grid the point belongs to: "width", "depth", "resolution", "compound", "variant", "custom", "width@d2r1.3". */
  grid: string
  /** Readable model label, e.g. "efficientnet-b0 w=1.4". */
  model: string
  base: string
  depth: number
  width: number
  resolution: number
  /** Compound coefficient, when the point came from φ. */
  phi: number | null
  infer_img_size: number
  infer_batch_size: number
  dtype: 'fp32' | 'fp16'
  input: 'float32-nchw' | 'uint8-nhwc'
  /** Analytic multiply-accumulates per sample (from the lowering). */
  macs: number
  infer_gmacs: number
  param_count: number
  status: 'ok' | 'failed'
  /** Why a failed point failed (one line). */
  error: string | null
  /** Execution provider actually used (never the one requested). */
  ep: string
  session_create_ms: number | null
  first_run_ms: number | null
  runs: number
  min_ms: number | null
  mean_ms: number | null
  p50_ms: number | null
  p90_ms: number | null
  p99_ms: number | null
  stdev_ms: number | null
  /** Median step time in ms (timm's infer_step_time). */
  infer_step_time: number | null
  /** batch × 1000 / infer_step_time. */
  infer_samples_per_sec: number | null
  /** Summed kernel time per run from ORT profiling (--profile), ms. */
  kernel_ms: number | null
  /** Median of ORT's own model_run time from profiling (--profile), ms: end-to-end minus the JS binding. */
  ort_run_ms: number | null
  measured_at: string
}

export const RECORD_COLUMNS: Array<keyof SweepRecord> = [
  'key', 'grid', 'model', 'base', 'depth', 'width', 'resolution', 'phi', 'infer_img_size', 'infer_batch_size',
  'dtype', 'input', 'macs', 'infer_gmacs', 'param_count', 'status', 'error', 'ep', 'session_create_ms',
  'first_run_ms', 'runs', 'min_ms', 'mean_ms', 'p50_ms', 'p90_ms', 'p99_ms', 'stdev_ms', 'infer_step_time',
  'infer_samples_per_sec', 'kernel_ms', 'ort_run_ms', 'measured_at',
]
