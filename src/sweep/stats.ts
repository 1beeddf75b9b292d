/** Latency statistics (ms) and the intervals and tests behind `stable` and `compare`. Pure. */
export interface LatencyStats {
  runs: number
  min_ms: number
  mean_ms: number
  p50_ms: number
  p90_ms: number
  p95_ms: number
  p99_ms: number
  max_ms: number
  stdev_ms: number
  /** Coefficient of variation: stdev / mean. */
  cv: number
}

/** Percentile by linear interpolation between closest ranks (numpy's default). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * (p / 100)
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

export const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 50)

export function latencyStats(samples: readonly number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b)
  const n = s.length
  const mean = s.reduce((a, b) => a + b, 0) / n
  const variance = n > 1 ? s.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : 0
  const stdev = Math.sqrt(variance)
  return {
    runs: n,
    min_ms: s[0],
    mean_ms: mean,
    p50_ms: percentile(s, 50),
    p90_ms: percentile(s, 90),
    p95_ms: percentile(s, 95),
    p99_ms: percentile(s, 99),
    max_ms: s[n - 1],
    stdev_ms: stdev,
    cv: mean > 0 ? stdev / mean : 0,
  }
}

/** P(B ≤ k) for B ~ Binomial(n, 1/2). */
function binomHalfCdf(n: number, k: number): number {
  if (k < 0) return 0
  let term = Math.pow(0.5, n)
  let sum = term
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i
    sum += term
  }
  return Math.min(1, sum)
}

/** Fewest values for which a distribution-free 95% interval of the median exists (1 − 2⁻⁵ = 96.9%). */
export const MIN_CI_SAMPLES = 6

export interface Interval {
  lo: number
  hi: number
}

/**
 * Distribution-free confidence interval of the median: the order statistics (k, n+1−k) whose
 * binomial coverage brackets `level`, interpolated between the two (Hettmansperger & Sheather
 * 1986) so the coverage is ≈ `level`, not the next step of the binomial above it. With fewer
 * than MIN_CI_SAMPLES values no such interval exists: [min, max] is returned (coverage below
 * `level`; callers flag it).
 */
export function medianCI(values: readonly number[], level = 0.95): Interval {
  const s = [...values].sort((a, b) => a - b)
  const n = s.length
  if (n === 0) return {lo: NaN, hi: NaN}
  // coverage of [X(k), X(n+1−k)] (1-based) = 1 − 2·P(B ≤ k−1)
  const cover = (k: number) => 1 - 2 * binomHalfCdf(n, k - 1)
  if (n < MIN_CI_SAMPLES || cover(1) < level) return {lo: s[0], hi: s[n - 1]}
  let k = 1
  while (k + 1 <= n / 2 && cover(k + 1) >= level) k++
  const gk = cover(k)
  const gk1 = cover(k + 1)
  if (k + 1 > n + 1 - (k + 1) || gk === level) return {lo: s[k - 1], hi: s[n - k]}
  const i = (gk - level) / (gk - gk1)
  const lambda = ((n - k) * i) / (k + (n - 2 * k) * i)
  return {
    lo: lambda * s[k] + (1 - lambda) * s[k - 1],
    hi: lambda * s[n - k - 1] + (1 - lambda) * s[n - k],
  }
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z / Math.SQRT2))
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2)
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2
}

/**
 * Two-sided Mann–Whitney U test (normal approximation with tie and continuity corrections):
 * is one sample stochastically larger than the other? Returns the p-value.
 */
export function mannWhitneyP(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return 1
  const all = [...a.map((v) => ({v, g: 0})), ...b.map((v) => ({v, g: 1}))].sort((x, y) => x.v - y.v)
  const n = n1 + n2
  const ranks = new Array<number>(n)
  let tie = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && all[j + 1].v === all[i].v) j++
    const r = (i + j + 2) / 2
    for (let k = i; k <= j; k++) ranks[k] = r
    const t = j - i + 1
    tie += t * t * t - t
    i = j + 1
  }
  let r1 = 0
  for (let i = 0; i < n; i++) if (all[i].g === 0) r1 += ranks[i]
  const u = r1 - (n1 * (n1 + 1)) / 2
  const mu = (n1 * n2) / 2
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tie / (n * (n - 1))))
  if (sigma === 0) return 1
  const z = (Math.abs(u - mu) - 0.5) / sigma
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))))
}

/** Seeded PRNG (mulberry32): shuffles and simulations that repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher–Yates with a seeded PRNG: the same seed gives the same order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const a = [...items]
  const rand = seededRandom(seed)
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}
