/**
 * One measured (or failed) sweep point: a line of results.jsonl and a row of results.csv.
 * Names taken from timm's benchmark CSVs mean exactly what they mean there (infer_step_time is
 * the mean, param_count is in millions); effscale's own names say what they are (p50_ms,
 * params). Every column is documented once, with units, in docs/sweep.md.
 * Read by the report, budget checks, search and compare.
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
  /** macs / 1e9 (timm's infer_gmacs: GMACs per sample). */
  infer_gmacs: number
  /** Parameters (a count). */
  params: number
  /** Parameters in millions (timm's param_count). */
  param_count: number
  status: 'ok' | 'failed'
  /** Why a failed point failed (one line). */
  error: string | null
  /** Execution provider actually used (never the one requested). */
  ep: string
  /** Intra-op threads ORT was given (CPU EP). */
  threads: number | null
  session_create_ms: number | null
  first_run_ms: number | null
  /** Rounds that timed this point; every statistic below pools the timed runs of all of them. */
  rounds: number
  runs: number
  min_ms: number | null
  mean_ms: number | null
  /** Median of all timed runs, ms. */
  p50_ms: number | null
  p90_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  max_ms: number | null
  stdev_ms: number | null
  /** stdev_ms / mean_ms. */
  cv: number | null
  /** 95% interval of the median latency (over round medians), ms. */
  ci_lo_ms: number | null
  ci_hi_ms: number | null
  /** Half-width of the interval / p50_ms (0.03 = ±3%). */
  ci_rel: number | null
  /** ≥ 6 rounds and ci_rel ≤ --max-ci. */
  stable: boolean | null
  /** The point timed first in every round, that rel_ref divides by. */
  ref_key: string | null
  /** Median over rounds of this point's round median / the reference's round median, and its 95% interval. */
  rel_ref: number | null
  rel_ci_lo: number | null
  rel_ci_hi: number | null
  /** Mean step time, ms (timm's infer_step_time). */
  infer_step_time: number | null
  /** batch × 1000 / infer_step_time (timm's infer_samples_per_sec). */
  infer_samples_per_sec: number | null
  /** Summed kernel time per run from ORT profiling (--profile), ms. */
  kernel_ms: number | null
  /** Median of ORT's own model_run time from profiling (--profile), ms: end-to-end minus the JS binding. */
  ort_run_ms: number | null
  /** Key under which this point's timed runs are in runs.jsonl (points measured once for several grids share it). */
  runs_key: string | null
  /** The ONNX file timed (sweep --onnx), else null. */
  onnx_file: string | null
  measured_at: string
}

export const RECORD_COLUMNS: Array<keyof SweepRecord> = [
  'key', 'grid', 'model', 'base', 'depth', 'width', 'resolution', 'phi', 'infer_img_size', 'infer_batch_size',
  'dtype', 'input', 'macs', 'infer_gmacs', 'params', 'param_count', 'status', 'error', 'ep', 'threads', 'session_create_ms',
  'first_run_ms', 'rounds', 'runs', 'min_ms', 'mean_ms', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'max_ms', 'stdev_ms', 'cv',
  'ci_lo_ms', 'ci_hi_ms', 'ci_rel', 'stable', 'ref_key', 'rel_ref', 'rel_ci_lo', 'rel_ci_hi', 'infer_step_time',
  'infer_samples_per_sec', 'kernel_ms', 'ort_run_ms', 'runs_key', 'onnx_file', 'measured_at',
]
