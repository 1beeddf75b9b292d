/**
 * A law in depth, width and resolution directly, saturating in each (the paper's Figure 3: each
 * one-way curve levels off near 80 %, while compound scaling keeps climbing):
 *
 *   top1 = a − b_d · d^(−c) − b_w · w^(−c) − b_r · r^(−c),   b ≥ 0, c > 0
 *
 * d, w, r are the point's multipliers of its base (r = image size / base image size). Scaling
 * one dimension alone levels off at a − (the other two b's); only scaling all three reaches a.
 * For a fixed c the law is linear in (a, b), so it is fitted exactly: a scan over c with
 * non-negative least squares for the b's (every active set of at most three terms), then a
 * golden-section refinement of c. A dimension the data never scale has no term. Pure.
 */
import {UserError} from '../errors.js'
import {rms} from './fit.js'

export const DWR_LAW = 'top1 = a − b_d·d^(−c) − b_w·w^(−c) − b_r·r^(−c)'
export const DIMS = ['depth', 'width', 'resolution'] as const
export type Dim = (typeof DIMS)[number]

export interface DwrPoint {
  depth: number
  width: number
  /** Image size over the base's image size. */
  resolution: number
  top1: number
}

export interface DwrParams {
  a: number
  b: Record<Dim, number>
  c: number
}

export interface DwrLoo {
  top1: number
  predicted: number
  error: number
}

export interface DwrFit extends DwrParams {
  law: typeof DWR_LAW
  n: number
  /** 2 + the number of dimensions the data scale (a, c and one b each). */
  parameters: number
  /** Dimensions the data scale (the others have no term). */
  terms: Dim[]
  residuals: number[]
  rmse: number
  /** Leave-one-out predictions, in input order (null when n ≤ parameters). */
  loo: DwrLoo[] | null
  looError: number | null
  /** Smallest and largest multiplier of each dimension in the data. */
  ranges: Record<Dim, {min: number; max: number}>
}

const C_GRID = Array.from({length: 121}, (_, i) => 0.02 * 500 ** (i / 120)) // 0.02 … 10, log-spaced
const EPS = 1e-9

export const dwrPredict = (p: DwrParams, q: Omit<DwrPoint, 'top1'>): number => p.a - DIMS.reduce((s, d) => s + p.b[d] * q[d] ** -p.c, 0)

export function fitDwr(points: readonly DwrPoint[]): DwrFit {
  const terms = DIMS.filter((d) => points.some((q) => Math.abs(q[d] - 1) > EPS))
  const parameters = 2 + terms.length
  if (points.length < parameters) {
    throw new UserError(`too few points to fit ${DWR_LAW}: ${parameters} parameters (scaled: ${terms.join(', ') || 'nothing'}) need at least ${parameters} points, got ${points.length}`)
  }
  for (const q of points) {
    if (!DIMS.every((d) => q[d] > 0 && Number.isFinite(q[d])) || !Number.isFinite(q.top1)) throw new UserError(`cannot fit ${DWR_LAW}: multipliers must be > 0 and top1 a number`)
  }
  const p = solve(points, terms)
  const residuals = points.map((q) => q.top1 - dwrPredict(p, q))
  const loo =
    points.length > parameters
      ? points.map((q, i) => {
          const predicted = dwrPredict(solve(points.filter((_, j) => j !== i), terms), q)
          return {top1: q.top1, predicted, error: q.top1 - predicted}
        })
      : null
  const range = (d: Dim) => ({min: Math.min(...points.map((q) => q[d])), max: Math.max(...points.map((q) => q[d]))})
  return {
    ...p,
    law: DWR_LAW,
    n: points.length,
    parameters,
    terms,
    residuals,
    rmse: rms(residuals),
    loo,
    looError: loo ? rms(loo.map((l) => l.error)) : null,
    ranges: {depth: range('depth'), width: range('width'), resolution: range('resolution')},
  }
}

/** Best (a, b ≥ 0) for each c of a log grid, then golden-section on c around the best. */
function solve(points: readonly DwrPoint[], terms: readonly Dim[]): DwrParams {
  const at = (c: number) => nnls(points, terms, c)
  let best = at(C_GRID[0])
  let bestI = 0
  for (const [i, c] of C_GRID.entries()) {
    const r = at(c)
    if (r.sse < best.sse) (best = r), (bestI = i)
  }
  let lo = C_GRID[Math.max(0, bestI - 1)]
  let hi = C_GRID[Math.min(C_GRID.length - 1, bestI + 1)]
  const g = (Math.sqrt(5) - 1) / 2
  for (let k = 0; k < 60 && hi - lo > 1e-9; k++) {
    const c1 = hi - g * (hi - lo)
    const c2 = lo + g * (hi - lo)
    if (at(c1).sse <= at(c2).sse) hi = c2
    else lo = c1
  }
  const refined = at((lo + hi) / 2)
  return refined.sse <= best.sse ? refined.params : best.params
}

/** Least squares of y = a − Σ b_d x_d^(−c) with every b ≥ 0: the best feasible active set. */
function nnls(points: readonly DwrPoint[], terms: readonly Dim[], c: number): {params: DwrParams; sse: number} {
  let best: {params: DwrParams; sse: number} | undefined
  for (let mask = 0; mask < 1 << terms.length; mask++) {
    const active = terms.filter((_, i) => mask & (1 << i))
    const rows = points.map((q) => [1, ...active.map((d) => -(q[d] ** -c))])
    const beta = leastSquares(rows, points.map((q) => q.top1))
    if (!beta || beta.slice(1).some((b) => b < 0)) continue
    const b: Record<Dim, number> = {depth: 0, width: 0, resolution: 0}
    active.forEach((d, i) => (b[d] = beta[i + 1]))
    const params = {a: beta[0], b, c}
    const sse = points.reduce((s, q) => s + (q.top1 - dwrPredict(params, q)) ** 2, 0)
    if (!best || sse < best.sse) best = {params, sse}
  }
  return best!
}

/** Normal equations solved by Gaussian elimination with partial pivoting; null when singular. */
function leastSquares(rows: number[][], y: number[]): number[] | null {
  const k = rows[0].length
  const m = Array.from({length: k}, (_, i) => [...Array.from({length: k}, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0)), rows.reduce((s, r, n) => s + r[i] * y[n], 0)])
  for (let col = 0; col < k; col++) {
    const pivot = m.slice(col).reduce((bestRow, r, i) => (Math.abs(r[col]) > Math.abs(m[bestRow][col]) ? col + i : bestRow), col)
    if (Math.abs(m[pivot][col]) < 1e-12 * Math.max(1, Math.abs(m[col][col]))) return null
    ;[m[col], m[pivot]] = [m[pivot], m[col]]
    for (let r = 0; r < k; r++) {
      if (r === col) continue
      const f = m[r][col] / m[col][col]
      for (let j = col; j <= k; j++) m[r][j] -= f * m[col][j]
    }
  }
  return m.map((r, i) => r[k] / r[i])
}
