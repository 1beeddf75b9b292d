/**
 * The latency model: latency = Σ_k c_k · x_k over features x of the network (features.ts) with
 * every c_k ≥ 0, fitted by non-negative least squares on relative error (rows divided by the
 * measured latency, so a 2 ms and a 200 ms network count alike). Per op class the terms are a
 * compute time (MACs / throughput), a memory time (bytes / bandwidth), plus a cost per kernel
 * launched and a fixed cost per inference: the roofline's max(MACs/P, bytes/B) + overhead,
 * written as a sum so it stays linear (on a CPU, compute and traffic of one kernel overlap
 * little). Several feature sets are fitted; the one with the lowest leave-one-out error is
 * kept, so a short sweep cannot buy a rich model it cannot support. Where the sweep profiled
 * its networks, the fit is op by op instead (fitSetByOps): kernel times decide the split between
 * op classes that one family's latencies cannot. Pure.
 */
import {addNormal, nnls, nnlsNormal, normalEquations, type Normal} from './nnls.js'
import {ACT_FNS} from '../arch/ops.js'
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
  ...Object.fromEntries(ACT_FNS.map((a) => [`act.${a}`, (f: Features) => f.actBytes[a]])),
}

export const FEATURE_SETS: Record<string, string[]> = {
  'roofline per op class': ['overhead', 'kernels', ...OP_CLASSES.flatMap((c) => [`macs.${c}`, `bytes.${c}`])],
  'roofline per op class, activation passes, kernels per class': [
    'overhead',
    ...OP_CLASSES.flatMap((c) => [`macs.${c}`, `bytes.${c}`, `kernels.${c}`]),
    ...ACT_FNS.map((a) => `act.${a}`),
  ],
  'compute-bound MACs, memory-bound bytes': ['overhead', 'kernels', 'macs.pointwise', 'macs.dense', 'macs.linear', 'bytes.depthwise', 'bytes.elementwise'],
  'MACs + bytes + kernels': ['overhead', 'kernels', 'macs', 'bytes'],
  'MACs + activations': ['overhead', 'macs', 'activations'],
}

export interface Sample {
  label: string
  features: Features
  ms: number
  /**
   * Kernel time of each of its ops from an ORT profile (op-times.ts; 0 for an op the runtime ran
   * no kernel for, like an add fused into the conv before it), with the op's own features.
   */
  ops?: Array<{features: Features; ms: number}>
}

/** Feature sets fitted op by op where samples carry profiles (the rich set needs them). */
export const OP_FEATURE_SETS = ['roofline per op class, activation passes, kernels per class', 'roofline per op class']
const BY_OPS = ', fitted op by op'

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

/**
 * Fitted op by op: one least-squares problem over the kernel time of every op of the profiled
 * samples (each network's op rows divided by its kernel total, so a 4 ms and a 40 ms network
 * weigh alike) and every sample's whole latency (divided by itself, weighted NETWORK_WEIGHT).
 * Kernel times tell the op classes apart, which the latencies of one family cannot (its op mixes
 * move together); the latencies carry what no kernel shows: the fixed cost per inference, the
 * time between kernels. Still Σ c_k · x_k, every c_k ≥ 0.
 */
export function fitSetByOps(featureSet: string, columns: readonly string[], samples: readonly Sample[], opNormals?: ReadonlyArray<Normal | undefined>): Fit {
  const cols = columns.includes('overhead') ? [...columns] : ['overhead', ...columns]
  const normals = opNormals ?? samples.map((s) => opNormal(cols, s))
  const w = Math.sqrt(NETWORK_WEIGHT)
  let total: Normal | undefined
  samples.forEach((s, i) => {
    const whole = normalEquations([row(cols, s.features).map((v) => (v * w) / s.ms)], [w], cols.length)
    const ops = normals[i]
    const both = ops ? addNormal(ops, whole) : whole
    total = total ? addNormal(total, both) : both
  })
  if (total === undefined) throw new Error('internal: no sample to fit')
  return {featureSet: featureSet + BY_OPS, columns: cols, coefficients: nnlsNormal(total)}
}

/**
 * How much a network's latency weighs beside its ops' kernel times (whose squared relative errors
 * sum to about one network's worth): 10 keeps the totals close while the kernels decide the split.
 * On the bench's default-grid calibration 3 and 10 had the same leave-one-out error (4.0%); 0.3 and
 * 100 had more.
 */
export const NETWORK_WEIGHT = 10

/** The op-by-op fit's error on one sample's kernels: the squared errors of its op rows, over its kernel total. */
function kernelError(fit: Fit, s: Sample): number {
  const o = fit.columns.indexOf('overhead')
  const own = o >= 0 ? fit.coefficients[o] : 0
  const total = kernelTotal(s)
  return total > 0 ? s.ops!.reduce((a, op) => a + ((predictMs(fit, op.features) - own - op.ms) / total) ** 2, 0) : 0
}

/** Summed kernel time of a sample's ops (0 without a profile). */
const kernelTotal = (s: Sample) => s.ops?.reduce((a, op) => a + op.ms, 0) ?? 0

/** Normal equations of one sample's op rows (undefined without a profile). */
export function opNormal(columns: readonly string[], s: Sample): Normal | undefined {
  const total = kernelTotal(s)
  if (!(total > 0)) return undefined
  const o = columns.indexOf('overhead')
  const rows = s.ops!.map((op) => row(columns, op.features).map((v, i) => (i === o ? 0 : v / total)))
  return normalEquations(rows, s.ops!.map((op) => op.ms / total), columns.length)
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
  /** Every feature set tried, with its leave-one-out error (and, fitted op by op, the held-out kernel error that chose among those). */
  candidates: Array<{featureSet: string; loo: ErrorSummary; heldOutKernelError?: number}>
}

export function calibrate(samples: readonly Sample[]): Calibration {
  const tried: Array<{fit: Fit; looMs: number[]; loo: ErrorSummary; heldOut?: number}> = Object.entries(FEATURE_SETS).map(([name, cols]) => {
    const fit = fitSet(name, cols, samples)
    const looMs = samples.map((_, i) => predictMs(fitSet(name, cols, samples.filter((__, j) => j !== i)), samples[i].features))
    return {fit, looMs, loo: errorSummary(samples.map((s, i) => ({measured: s.ms, predicted: looMs[i]})))}
  })
  // With kernel profiles, an op-by-op fit is the one kept (its leave-one-out leaves a network's
  // kernel times out with it); the whole-network fits stay listed beside them. A whole-network fit's leave-one-out stays inside the calibrated family, whose op mixes
  // move together, so it cannot see a per-class split that is wrong elsewhere: on the bench, one
  // with a leave-one-out of 4.0% predicted B0s scaled in width and depth together 8–10% too slow.
  const profiled = samples.filter((s) => kernelTotal(s) > 0).length
  const wholeOnly = tried.length
  for (const name of profiled >= 2 ? OP_FEATURE_SETS : []) {
    const cols = FEATURE_SETS[name]
    const normals = samples.map((s) => opNormal(cols, s))
    const fit = fitSetByOps(name, cols, samples, normals)
    const held = samples.map((s, i) => {
      const restNormals = normals.filter((__, j) => j !== i)
      if (!restNormals.some((n) => n !== undefined)) return undefined
      const f = fitSetByOps(name, cols, samples.filter((__, j) => j !== i), restNormals)
      return {ms: predictMs(f, s.features), loss: kernelError(f, s)}
    })
    if (held.some((h) => h === undefined)) continue
    const looMs = held.map((h) => h!.ms)
    tried.push({fit, looMs, loo: errorSummary(samples.map((s, i) => ({measured: s.ms, predicted: looMs[i]}))), heldOut: held.reduce((a, h) => a + h!.loss, 0) / held.length})
  }
  // Op-by-op fits are told apart by how well their per-op law predicts the kernels of the network
  // left out (on the bench their latency errors differed by 0.02%, their kernel errors by 11%).
  const keep = tried.length > wholeOnly ? tried.slice(wholeOnly) : tried
  const score = (t: (typeof tried)[number]) => t.heldOut ?? t.loo.rmsRel
  const best = keep.reduce((a, b) => (score(b) < score(a) ? b : a))
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
    candidates: tried.map((t) => ({featureSet: t.fit.featureSet, loo: t.loo, ...(t.heldOut === undefined ? {} : {heldOutKernelError: t.heldOut})})),
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
