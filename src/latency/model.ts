/**
 * The latency model: latency = Σ_k c_k · x_k over features x of the network (features.ts) with
 * every c_k ≥ 0, fitted by non-negative least squares on relative error (rows divided by the
 * measured latency, so a 2 ms and a 200 ms network count alike). Per op class the terms are a
 * compute time (MACs / throughput), a memory time (bytes / bandwidth), plus a cost per kernel
 * launched and a fixed cost per inference: the roofline's max(MACs/P, bytes/B) + overhead,
 * written as a sum so it stays linear (on a CPU, compute and traffic of one kernel overlap
 * little). Several feature sets are fitted; the one with the lowest leave-one-out error is
 * kept, so a short sweep cannot buy a rich model it cannot support. Pure.
 */
import {nnls} from './nnls.js'
import {OP_CLASSES, type Features} from './features.js'

/** Every column a feature set may use, by the name saved in the model file. */
export const COLUMNS: Record<string, (f: Features) => number> = {
  overhead: () => 1,
  kernels: (f) => OP_CLASSES.reduce((a, c) => a + f.ops[c], 0),
  macs: (f) => f.totalMacs * f.batch,
  bytes: (f) => f.totalBytes,
  activations: (f) => f.activations * f.batch,
  ...Object.fromEntries(OP_CLASSES.map((c) => [`macs.${c}`, (f: Features) => f.macs[c]])),
  ...Object.fromEntries(OP_CLASSES.map((c) => [`bytes.${c}`, (f: Features) => f.bytes[c]])),
  ...Object.fromEntries(OP_CLASSES.map((c) => [`kernels.${c}`, (f: Features) => f.ops[c]])),
}

export const FEATURE_SETS: Record<string, string[]> = {
  'roofline per op class': ['overhead', 'kernels', ...OP_CLASSES.flatMap((c) => [`macs.${c}`, `bytes.${c}`])],
  'compute-bound MACs, memory-bound bytes': ['overhead', 'kernels', 'macs.pointwise', 'macs.dense', 'macs.linear', 'bytes.depthwise', 'bytes.elementwise'],
  'MACs + bytes + kernels': ['overhead', 'kernels', 'macs', 'bytes'],
  'MACs + activations': ['overhead', 'macs', 'activations'],
}

export interface Sample {
  label: string
  features: Features
  ms: number
}

export interface Fit {
  featureSet: string
  columns: string[]
  /** ms per unit of each column, ≥ 0. */
  coefficients: number[]
}

export const row = (columns: readonly string[], f: Features): number[] => columns.map((c) => {
  const fn = COLUMNS[c]
  if (!fn) throw new Error(`unknown latency-model column "${c}"`)
  return fn(f)
})

export function fitSet(featureSet: string, columns: readonly string[], samples: readonly Sample[]): Fit {
  const A = samples.map((s) => row(columns, s.features).map((v) => v / s.ms))
  const coefficients = nnls(A, samples.map(() => 1))
  return {featureSet, columns: [...columns], coefficients}
}

export const predictMs = (fit: Pick<Fit, 'columns' | 'coefficients'>, f: Features): number =>
  row(fit.columns, f).reduce((a, v, i) => a + v * fit.coefficients[i], 0)

export interface Residual {
  label: string
  batch: number
  measuredMs: number
  predictedMs: number
  /** Predicted by the model fitted without this sample. */
  looMs: number
}

export interface ErrorSummary {
  /** Root mean square of predicted / measured − 1. */
  rmsRel: number
  medianAbsRel: number
  p90AbsRel: number
  maxAbsRel: number
  /** Share of samples within ±10%. */
  within10: number
}

export function errorSummary(pairs: ReadonlyArray<{measured: number; predicted: number}>): ErrorSummary {
  const rel = pairs.map((p) => p.predicted / p.measured - 1)
  const abs = rel.map(Math.abs).sort((a, b) => a - b)
  const q = (p: number) => abs[Math.min(abs.length - 1, Math.ceil(p * abs.length) - 1)] ?? NaN
  return {
    rmsRel: Math.sqrt(rel.reduce((a, r) => a + r * r, 0) / rel.length),
    medianAbsRel: q(0.5),
    p90AbsRel: q(0.9),
    maxAbsRel: abs[abs.length - 1] ?? NaN,
    within10: abs.filter((a) => a <= 0.1).length / abs.length,
  }
}

export interface Calibration extends Fit {
  residuals: Residual[]
  fit: ErrorSummary
  loo: ErrorSummary
  /** Every feature set tried, with its leave-one-out error. */
  candidates: Array<{featureSet: string; loo: ErrorSummary}>
}

export function calibrate(samples: readonly Sample[]): Calibration {
  const tried = Object.entries(FEATURE_SETS).map(([name, cols]) => {
    const fit = fitSet(name, cols, samples)
    const looMs = samples.map((_, i) => predictMs(fitSet(name, cols, samples.filter((__, j) => j !== i)), samples[i].features))
    return {fit, looMs, loo: errorSummary(samples.map((s, i) => ({measured: s.ms, predicted: looMs[i]})))}
  })
  const best = tried.reduce((a, b) => (b.loo.rmsRel < a.loo.rmsRel ? b : a))
  const residuals = samples.map((s, i) => ({
    label: s.label,
    batch: s.features.batch,
    measuredMs: s.ms,
    predictedMs: predictMs(best.fit, s.features),
    looMs: best.looMs[i],
  }))
  return {
    ...best.fit,
    residuals,
    fit: errorSummary(residuals.map((r) => ({measured: r.measuredMs, predicted: r.predictedMs}))),
    loo: best.loo,
    candidates: tried.map((t) => ({featureSet: t.fit.featureSet, loo: t.loo})),
  }
}

/** R² of y against the least-squares line through (x, y): how much of latency x explains. */
export function r2Linear(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x)
  const my = mean(y)
  let sxy = 0
  let sxx = 0
  let syy = 0
  x.forEach((v, i) => {
    sxy += (v - mx) * (y[i] - my)
    sxx += (v - mx) ** 2
    syy += (y[i] - my) ** 2
  })
  return sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : NaN
}

/** R² of predictions against measurements: 1 − SS_res / SS_tot. */
export function r2Predicted(measured: readonly number[], predicted: readonly number[]): number {
  const m = mean(measured)
  const res = measured.reduce((a, v, i) => a + (v - predicted[i]) ** 2, 0)
  const tot = measured.reduce((a, v) => a + (v - m) ** 2, 0)
  return tot > 0 ? 1 - res / tot : NaN
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length
