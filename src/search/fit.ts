/**
 * Saturating scaling law acc = a − b · x^(−c), x = MACs in billions (GMACs keep the
 * least-squares problem well conditioned; b is in accuracy units × GMAC^c). For a fixed c the law
 * is linear in (a, b), so the least-squares error is a function of c alone (a, b solved exactly,
 * b ≥ 0): scanned on a log grid of c, refined by golden section in the best bracket, then
 * polished jointly by Levenberg–Marquardt (ml-levenberg-marquardt). One such fit costs a few
 * hundred passes over the points, so leave-one-out over hundreds of timm groups stays fast.
 * Pure: no files, no clock.
 *
 * Predictions carry a 95 % prediction interval built from leave-one-out (LOO) errors, which are
 * out-of-sample by construction: t(0.975, n − 3) × the larger of the LOO RMS error (interior
 * points' inside the fitted range, the end points' outside it) and the LOO RMS error of the
 * comparable points (within 10 % in MACs, else the nearest on each side). So the interval is
 * never narrower than the scatter the data show near the requested point.
 */
import {levenbergMarquardt} from 'ml-levenberg-marquardt'
import {UserError} from '../errors.js'
import {t975} from './student-t.js'

export const LAW = 'top1 = a − b · (MACs / 1e9)^(−c)'
export const PARAMETERS = 3
const GIGA = 1e9
const C_MIN = 1e-3
const C_MAX = 10
/** 0.001 … 10, log-spaced. */
const C_GRID = Array.from({length: 81}, (_, i) => C_MIN * (C_MAX / C_MIN) ** (i / 80))

export interface LawParams {
  a: number
  b: number
  c: number
}

export interface LooPoint {
  macs: number
  top1: number
  /** Prediction of the law fitted without this point. */
  predicted: number
  /** top1 − predicted. */
  error: number
  /** False for the smallest and largest MACs: leaving those out is extrapolation. */
  interior: boolean
}

export interface ScalingLawFit extends LawParams {
  law: typeof LAW
  n: number
  /** top1 − fitted, in input order. */
  residuals: number[]
  rmse: number
  /** Root mean square of the leave-one-out errors (null with fewer than PARAMETERS + 1 points). */
  looError: number | null
  /** Same, over interior points only (null when there are none to leave out). */
  looErrorInterior: number | null
  /** Same, over the two end points (what extrapolating costs). */
  looErrorEnds: number | null
  loo: LooPoint[] | null
  range: {minMacs: number; maxMacs: number}
  predict(macs: number): number
}

export interface Prediction {
  macs: number
  top1: number
  /** Half-width of the 95 % prediction interval (null when no point could be left out). */
  uncertainty: number | null
  /** top1 ± uncertainty. */
  interval: {low: number; high: number} | null
  extrapolated: boolean
}

const law = ({a, b, c}: LawParams) => (x: number) => a - b * x ** -c

/** Fit the law; throws a UserError when the data cannot determine three parameters. */
export function fitScalingLaw(points: ReadonlyArray<{macs: number; top1: number}>): ScalingLawFit {
  checkPoints(points)
  const p = solve(points)
  const residuals = points.map((q) => q.top1 - law(p)(q.macs / GIGA))
  const loo = points.length > PARAMETERS && distinct(points) > PARAMETERS ? leaveOneOut(points) : null
  const macs = points.map((q) => q.macs)
  return {
    ...p,
    law: LAW,
    n: points.length,
    residuals,
    rmse: rms(residuals),
    looError: loo ? rms(loo.map((l) => l.error)) : null,
    looErrorInterior: loo?.some((l) => l.interior) ? rms(loo.filter((l) => l.interior).map((l) => l.error)) : null,
    looErrorEnds: loo ? rms(loo.filter((l) => !l.interior).map((l) => l.error)) : null,
    loo,
    range: {minMacs: Math.min(...macs), maxMacs: Math.max(...macs)},
    predict: (m: number) => law(p)(m / GIGA),
  }
}

export function predictWithUncertainty(fit: ScalingLawFit, macs: number): Prediction {
  if (!(macs > 0) || !Number.isFinite(macs)) throw new UserError(`cannot predict at ${macs} MACs: MACs must be a finite number > 0`)
  const extrapolated = macs < fit.range.minMacs || macs > fit.range.maxMacs
  const scale = extrapolated ? fit.looErrorEnds : (fit.looErrorInterior ?? fit.looError)
  const uncertainty = fit.loo && scale !== null ? predictionHalfWidth(fit.n, PARAMETERS, [scale, comparableScatter(fit.loo, macs)]) : null
  return withInterval({macs, top1: fit.predict(macs), uncertainty, extrapolated})
}

export function withInterval<P extends {top1: number; uncertainty: number | null}>(p: P): P & {interval: {low: number; high: number} | null} {
  return {...p, interval: p.uncertainty === null ? null : {low: p.top1 - p.uncertainty, high: p.top1 + p.uncertainty}}
}

/** t(0.975, n − p) × the largest error scale given: a 95 % prediction half-width. */
export function predictionHalfWidth(n: number, parameters: number, scales: Array<number | null>): number | null {
  const known = scales.filter((s): s is number => s !== null && Number.isFinite(s))
  if (known.length === 0 || n <= parameters) return null
  return t975(n - parameters) * Math.max(...known)
}

/**
 * LOO RMS error of the points comparable to `macs`: those within 10 % of it, else the nearest
 * below and the nearest above. Null without LOO errors.
 */
export function comparableScatter(loo: ReadonlyArray<{macs: number; error: number}>, macs: number): number | null {
  if (loo.length === 0) return null
  const near = loo.filter((l) => Math.abs(Math.log(l.macs / macs)) <= Math.log(1.1))
  if (near.length) return rms(near.map((l) => l.error))
  const below = loo.filter((l) => l.macs < macs).sort((a, b) => b.macs - a.macs)[0]
  const above = loo.filter((l) => l.macs > macs).sort((a, b) => a.macs - b.macs)[0]
  return rms([below, above].filter(Boolean).map((l) => l!.error))
}

/** The JSON-serialisable part of a fit (everything but predict). */
export function fitSummary(fit: ScalingLawFit): Omit<ScalingLawFit, 'predict'> {
  const {predict: _predict, ...rest} = fit
  return rest
}

function checkPoints(points: ReadonlyArray<{macs: number; top1: number}>): void {
  for (const q of points) {
    if (!(q.macs > 0) || !Number.isFinite(q.macs)) throw new UserError(`cannot fit: MACs must be > 0, got ${q.macs}`)
    if (!Number.isFinite(q.top1)) throw new UserError(`cannot fit: top1 must be a number, got ${q.top1}`)
  }
  const d = distinct(points)
  if (d < PARAMETERS) {
    throw new UserError(
      `too few points to fit ${LAW}: ${PARAMETERS} parameters need at least ${PARAMETERS} distinct MACs values, got ${d}${points.length !== d ? ` (${points.length} points)` : ''}`,
    )
  }
}

function distinct(points: ReadonlyArray<{macs: number}>): number {
  return new Set(points.map((q) => q.macs)).size
}

/** The c with the least error (a, b exact for each c), then a joint LM polish from there. */
function solve(points: ReadonlyArray<{macs: number; top1: number}>): LawParams {
  const x = points.map((q) => q.macs / GIGA)
  const y = points.map((q) => q.top1)
  const sse = (p: LawParams) => sum(y.map((yi, i) => (yi - law(p)(x[i])) ** 2))
  const at = (c: number) => {
    const p = {...linearAB(x, y, c), c}
    return {p, sse: sse(p)}
  }
  let bestI = 0
  const scan = C_GRID.map(at)
  for (const [i, r] of scan.entries()) if (r.sse < scan[bestI].sse) bestI = i
  let lo = C_GRID[Math.max(0, bestI - 1)]
  let hi = C_GRID[Math.min(C_GRID.length - 1, bestI + 1)]
  const g = (Math.sqrt(5) - 1) / 2
  for (let k = 0; k < 80 && hi - lo > 1e-10 * hi; k++) {
    const c1 = hi - g * (hi - lo)
    const c2 = lo + g * (hi - lo)
    if (at(c1).sse <= at(c2).sse) hi = c2
    else lo = c1
  }
  let best = at((lo + hi) / 2)
  if (scan[bestI].sse < best.sse) best = scan[bestI]
  const r = levenbergMarquardt({x, y}, (p) => law({a: p[0], b: p[1], c: p[2]}), {
    initialValues: [best.p.a, best.p.b, best.p.c],
    // b ≥ 0 and c > 0: the law rises with MACs and saturates at a.
    minValues: [-Infinity, 0, C_MIN],
    maxValues: [Infinity, Infinity, C_MAX],
    maxIterations: 100,
    errorTolerance: 1e-12,
    jacobianFunction: ([, b, c]) => (xi) => [1, -(xi ** -c), b * xi ** -c * Math.log(xi)],
  })
  const polished = {a: r.parameterValues[0], b: r.parameterValues[1], c: r.parameterValues[2]}
  const e = sse(polished)
  return Number.isFinite(e) && e < best.sse ? polished : best.p
}

/** Ordinary least squares of y = a − b·u with u = x^(−c), b ≥ 0 (b = 0: the mean). */
function linearAB(x: number[], y: number[], c: number): {a: number; b: number} {
  const u = x.map((xi) => xi ** -c)
  const mu = sum(u) / u.length
  const my = sum(y) / y.length
  const suu = sum(u.map((ui) => (ui - mu) ** 2))
  const suy = sum(u.map((ui, i) => (ui - mu) * (y[i] - my)))
  const b = suu > 0 ? Math.max(0, -suy / suu) : 0
  return {a: my + b * mu, b}
}

function leaveOneOut(points: ReadonlyArray<{macs: number; top1: number}>): LooPoint[] {
  const lo = Math.min(...points.map((q) => q.macs))
  const hi = Math.max(...points.map((q) => q.macs))
  return points.map((q, i) => {
    const rest = points.filter((_, j) => j !== i)
    const predicted = law(solve(rest))(q.macs / GIGA)
    return {macs: q.macs, top1: q.top1, predicted, error: q.top1 - predicted, interior: q.macs > lo && q.macs < hi}
  })
}

const sum = (v: number[]) => v.reduce((s, x) => s + x, 0)
export const rms = (v: number[]) => (v.length ? Math.sqrt(sum(v.map((e) => e * e)) / v.length) : 0)
