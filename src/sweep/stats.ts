/** Latency statistics of a list of samples (ms). Pure. */
export interface LatencyStats {
  runs: number
  min_ms: number
  mean_ms: number
  p50_ms: number
  p90_ms: number
  p99_ms: number
  stdev_ms: number
}

/** Percentile by linear interpolation between closest ranks (numpy's default). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * (p / 100)
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

export function latencyStats(samples: readonly number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b)
  const n = s.length
  const mean = s.reduce((a, b) => a + b, 0) / n
  const variance = n > 1 ? s.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : 0
  return {
    runs: n,
    min_ms: s[0],
    mean_ms: mean,
    p50_ms: percentile(s, 50),
    p90_ms: percentile(s, 90),
    p99_ms: percentile(s, 99),
    stdev_ms: Math.sqrt(variance),
  }
}
