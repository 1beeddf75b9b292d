/**
 * Saturating scaling law acc = a − b · x^(−c), x = MACs in billions (GMACs keep the
 * least-squares problem well conditioned; b is in accuracy units × GMAC^c). Fitted by
 * Levenberg–Marquardt (ml-levenberg-marquardt) from several starts; for a fixed c the law is
 * linear in (a, b), so each start solves (a, b) exactly first. Pure: no files, no clock.
 */
import {levenbergMarquardt} from 'ml-levenberg-marquardt'
import {UserError} from '../errors.js'

export const LAW = 'top1 = a − b · (MACs / 1e9)^(−c)'
export const PARAMETERS = 3
const GIGA = 1e9
const C_STARTS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3]
const C_MIN = 1e-3
const C_MAX = 10

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
  /** ± one LOO RMS error: interior points' inside the fitted range, the end points' outside it. */
  uncertainty: number | null
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
  const extrapolated = macs < fit.range.minMacs || macs > fit.range.maxMacs
  const uncertainty = extrapolated ? fit.looErrorEnds : (fit.looErrorInterior ?? fit.looError)
  return {macs, top1: fit.predict(macs), uncertainty, extrapolated}
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

/** Best of several LM runs; each start takes the exact (a, b) for its c. */
function solve(points: ReadonlyArray<{macs: number; top1: number}>): LawParams {
  const x = points.map((q) => q.macs / GIGA)
  const y = points.map((q) => q.top1)
  let best: LawParams | undefined
  let bestSse = Infinity
  for (const c0 of C_STARTS) {
    const start = linearAB(x, y, c0)
    const r = levenbergMarquardt({x, y}, (p) => law({a: p[0], b: p[1], c: p[2]}), {
      initialValues: [start.a, Math.max(0, start.b), c0],
      // b ≥ 0 and c > 0: the law rises with MACs and saturates at a.
      minValues: [-Infinity, 0, C_MIN],
      maxValues: [Infinity, Infinity, C_MAX],
      maxIterations: 300,
      errorTolerance: 1e-12,
      jacobianFunction: ([, b, c]) => (xi) => [1, -(xi ** -c), b * xi ** -c * Math.log(xi)],
    })
    const p = {a: r.parameterValues[0], b: r.parameterValues[1], c: r.parameterValues[2]}
    const sse = sum(y.map((yi, i) => (yi - law(p)(x[i])) ** 2))
    if (Number.isFinite(sse) && sse < bestSse) (best = p), (bestSse = sse)
  }
  if (!best) throw new UserError(`cannot fit ${LAW}: no start converged`)
  return best
}

/** Ordinary least squares of y = a − b·u with u = x^(−c). */
function linearAB(x: number[], y: number[], c: number): {a: number; b: number} {
  const u = x.map((xi) => xi ** -c)
  const mu = sum(u) / u.length
  const my = sum(y) / y.length
  const suu = sum(u.map((ui) => (ui - mu) ** 2))
  const suy = sum(u.map((ui, i) => (ui - mu) * (y[i] - my)))
  const slope = suu > 0 ? suy / suu : 0
  return {a: my - slope * mu, b: -slope}
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
const rms = (v: number[]) => (v.length ? Math.sqrt(sum(v.map((e) => e * e)) / v.length) : 0)
