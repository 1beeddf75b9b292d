/**
 * latency-model.json: a calibrated latency model with the identity of the device it was
 * measured on, read back by predict, search, family and check. A model refuses to predict for
 * another EP, dtype or input kind (one line naming both), and says when a point lies outside
 * the range it was calibrated on.
 */
import {readFileSync} from 'node:fs'
import {UserError} from '../errors.js'
import type {Lowered} from '../arch/ops.js'
import type {DType} from '../flops/memory.js'
import {networkFeatures, type Features} from './features.js'
import {COLUMNS, predictMs, r2Linear, r2Predicted, type Calibration, type ErrorSummary, type Residual} from './model.js'
import type {DeviceIdentity, SweepSamples} from './samples.js'

export const MODEL_FORMAT = 'effscale-latency-model'
export const MODEL_VERSION = 1

type Range = [number, number]

export interface LatencyModel {
  format: typeof MODEL_FORMAT
  version: typeof MODEL_VERSION
  identity: DeviceIdentity
  ortVersion: string | null
  /** Batch sizes calibrated on. */
  batches: number[]
  /** Per inference at its batch: the span of the calibration samples; the activations their convs end in. */
  range: {macs: Range; bytes: Range; kernels: Range; activations?: string[]}
  featureSet: string
  columns: string[]
  /** ms per unit of each column. */
  coefficients: number[]
  fit: ErrorSummary
  loo: ErrorSummary
  candidates: Calibration['candidates']
  /** R² of measured latency against MACs, against activations (least-squares lines) and against the model. */
  r2: {macs: number; activations: number; model: number}
  residuals: Residual[]
  /** `profiled`: samples with kernel profiles (the fit is op by op when there are any). */
  source: {sweep: string; gridId: string | null; samples: number; latency: string; profiled?: number}
}

const span = (v: number[]): Range => [Math.min(...v), Math.max(...v)]
/** Activations the convs of these networks end in. */
const actsOf = (fs: readonly Features[]): string[] => [...new Set(fs.flatMap((f) => Object.entries(f.actBytes).filter(([, v]) => v > 0).map(([k]) => k)))].sort()
const kernels = (f: Features) => Object.values(f.ops).reduce((a, b) => a + b, 0)

export function buildModel(dir: string, data: SweepSamples, cal: Calibration): LatencyModel {
  const fs = data.samples.map((s) => s.features)
  const ms = data.samples.map((s) => s.ms)
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    identity: data.identity,
    ortVersion: data.ortVersion,
    batches: [...new Set(fs.map((f) => f.batch))].sort((a, b) => a - b),
    range: {macs: span(fs.map((f) => f.totalMacs * f.batch)), bytes: span(fs.map((f) => f.totalBytes)), kernels: span(fs.map(kernels)), activations: actsOf(fs)},
    featureSet: cal.featureSet,
    columns: cal.columns,
    coefficients: cal.coefficients,
    fit: cal.fit,
    loo: cal.loo,
    candidates: cal.candidates,
    r2: {
      macs: r2Linear(fs.map((f) => f.totalMacs * f.batch), ms),
      activations: r2Linear(fs.map((f) => f.activations * f.batch), ms),
      model: r2Predicted(ms, cal.residuals.map((r) => r.predictedMs)),
    },
    residuals: cal.residuals,
    source: {sweep: dir, gridId: data.gridId, samples: data.samples.length, latency: data.latencySource, profiled: data.profiled},
  }
}

export function readLatencyModel(file: string, flag = '--latency-model'): LatencyModel {
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UserError(`${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : code ? (error as Error).message : 'not valid JSON'}`)
  }
  const m = doc as Partial<LatencyModel>
  if (m?.format !== MODEL_FORMAT) throw new UserError(`${flag} ${file}: not an effscale latency model (write one with effscale calibrate)`)
  if (m.version !== MODEL_VERSION) throw new UserError(`${flag} ${file}: latency model version ${String(m.version)}, this effscale reads ${MODEL_VERSION}`)
  const ok =
    Array.isArray(m.columns) && Array.isArray(m.coefficients) && m.columns.length === m.coefficients.length &&
    m.columns.every((c) => typeof c === 'string' && Object.hasOwn(COLUMNS, c)) &&
    m.coefficients.every((c) => typeof c === 'number' && c >= 0 && Number.isFinite(c)) &&
    typeof m.identity?.ep === 'string' && typeof m.identity.dtype === 'string' && typeof m.identity.input === 'string' &&
    Array.isArray(m.batches) && m.range !== undefined && typeof m.loo?.p90AbsRel === 'number'
  if (!ok) throw new UserError(`${flag} ${file}: a damaged latency model (columns, coefficients, identity or range missing or invalid)`)
  return m as LatencyModel
}

const describe = (i: Partial<DeviceIdentity>) => `EP ${i.ep}, dtype ${i.dtype}, input ${i.input}`

/** Refuse a model measured for another EP, dtype or input kind than the one asked for. */
export function checkIdentity(model: LatencyModel, want: Partial<DeviceIdentity>, at: string): void {
  const keys = ['ep', 'dtype', 'input'] as const
  if (keys.some((k) => want[k] !== undefined && want[k] !== model.identity[k])) {
    const asked = {...model.identity, ...Object.fromEntries(keys.filter((k) => want[k] !== undefined).map((k) => [k, want[k]]))}
    throw new UserError(`${at}: calibrated for ${describe(model.identity)} on ${model.identity.device}; asked for ${describe(asked)}`)
  }
}

export interface Prediction {
  latencyMs: number
  /** latencyMs × (1 ∓ the 90th percentile of the calibration's leave-one-out error). */
  low: number
  high: number
  extrapolating: boolean
  /** Why it extrapolates (empty when it does not). */
  outside: string[]
  predicted: true
}

/** A little slack around the calibrated span: rounding moves neighbours by a few percent. */
const SLACK = 0.02

export function predict(model: LatencyModel, net: Lowered, batch: number): Prediction {
  const f = networkFeatures(net, batch, model.identity.dtype as DType)
  const ms = predictMs(model, f)
  const outside: string[] = []
  const check = (what: string, v: number, [lo, hi]: Range) => {
    if (v < lo * (1 - SLACK) || v > hi * (1 + SLACK)) outside.push(`${what} ${fmt(v)} outside ${fmt(lo)}…${fmt(hi)}`)
  }
  if (!model.batches.includes(batch)) outside.push(`batch ${batch} not calibrated (${model.batches.join(', ')})`)
  check('MACs', f.totalMacs * batch, model.range.macs)
  check('bytes', f.totalBytes, model.range.bytes)
  check('kernels', kernels(f), model.range.kernels)
  // An activation never calibrated has no cost of its own in the model (0 ≥ 0): say so.
  const known = model.range.activations
  const unseen = known ? actsOf([f]).filter((a) => !known.includes(a)) : []
  if (unseen.length) outside.push(`activation ${unseen.join(', ')} not in the calibration (${known!.join(', ') || 'none'})`)
  const q = model.loo.p90AbsRel
  return {latencyMs: ms, low: ms * Math.max(0, 1 - q), high: ms * (1 + q), extrapolating: outside.length > 0, outside, predicted: true}
}

const fmt = (v: number) => (v >= 1e9 ? `${(v / 1e9).toFixed(2)}G` : v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : String(Math.round(v)))
