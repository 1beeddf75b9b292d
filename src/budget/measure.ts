import {costTarget, lowerTarget} from '../flops/index.js'
import {checkIdentity, predict, type LatencyModel} from '../latency/model-file.js'
import type {Observation} from '../onnx/observe.js'
import type {OnnxProfile} from '../onnx/profile.js'
import type {BudgetEntry} from './entry.js'
import type {Figure} from './figures.js'
import type {ResolvedTarget} from './resolve.js'
import {findLatency, type LatencyRecord} from './sweep.js'

/** The part of src/onnx/profile.ts that a budget reads; injectable for tests. */
export type OnnxProfiler = (file: string, opts?: {inputShape?: number[]; inputValues?: Record<string, number[]>; observed?: Observation}) => Pick<OnnxProfile, 'macs' | 'flops' | 'params' | 'unsupportedOps' | 'uncountedNodes'>

/** An entry's figures, or why a figure has none. */
export interface Measured {
  /** Label of the target: model label, or the ONNX path as written. */
  label: string
  figures: Partial<Record<Figure, number>>
  missing: Partial<Record<Figure, string>>
  /** 95% intervals of figures that have one (latency p50 from a sweep timed in rounds). */
  intervals?: Partial<Record<Figure, {lo: number; hi: number}>>
  /** ONNX targets only: op types the profiler could not cost. */
  unsupportedOps?: string[]
  /** ONNX targets only: nodes not costed, each with the first cause. */
  uncountedNodes?: OnnxProfile['uncountedNodes']
  /** Figures predicted by a latency model rather than measured. */
  predicted?: Partial<Record<Figure, true>>
}

export interface MeasureContext {
  profileOnnx?: OnnxProfiler
  /** Sweep records by model label and key (sweep.ts indexRecords); absent without --sweep. */
  sweep?: Map<string, LatencyRecord[]>
  /** Predicts latencies the sweep lacks (analytic targets, p50 only); absent without --latency-model. */
  latencyModel?: {file: string; model: LatencyModel}
}

/** Cost a resolved target at the entry's batch and dtype, and look up its latency if limited. */
export function measure(entry: BudgetEntry, target: ResolvedTarget, ctx: MeasureContext): Measured {
  const m: Measured = target.kind === 'analytic' ? analytic(entry, target.target) : onnx(target, ctx)
  if (entry.limits.latencyMs !== undefined) {
    const found = ctx.sweep
      ? findLatency(ctx.sweep, {models: target.kind === 'onnx' && entry.sweepModel === undefined ? [target.file] : sweepNames(entry, m.label), batch: entry.batch, dtype: entry.dtype, stat: entry.latencyStat})
      : {ok: false as const, why: 'no sweep given (--sweep DIR)'}
    if (found.ok) {
      m.figures.latencyMs = found.ms
      if (found.ci) m.intervals = {...m.intervals, latencyMs: found.ci}
    } else if (ctx.latencyModel && target.kind === 'analytic') predictLatency(entry, target.target, ctx.latencyModel, m, found.why)
    else m.missing.latencyMs = found.why
  }
  return m
}

/** The latency model's median for a target the sweep did not measure, marked predicted. */
function predictLatency(entry: BudgetEntry, target: Parameters<typeof lowerTarget>[0], lm: {file: string; model: LatencyModel}, m: Measured, why: string): void {
  if (entry.latencyStat !== 'p50') {
    m.missing.latencyMs = `${why}; the latency model ${lm.file} predicts p50 only, not ${entry.latencyStat}`
    return
  }
  checkIdentity(lm.model, {dtype: entry.dtype}, `--latency-model ${lm.file}`)
  const p = predict(lm.model, lowerTarget(target), entry.batch)
  m.figures.latencyMs = p.latencyMs
  m.predicted = {latencyMs: true}
}

/** Names a sweep may record the target under: `sweepModel`, else its label (and "base φ=N" for compound points). */
function sweepNames(entry: BudgetEntry, label: string): string[] {
  if (entry.sweepModel !== undefined) return [entry.sweepModel]
  const t = entry.target
  if (t.kind !== 'base' || t.point.phi === undefined) return [label]
  const paperCoefficients = t.point.alpha === undefined && t.point.beta === undefined && t.point.gamma === undefined
  return paperCoefficients ? [label, `${t.base} φ=${t.point.phi}`] : [label]
}

function analytic(entry: BudgetEntry, target: Parameters<typeof costTarget>[0]): Measured {
  const c = costTarget(target, {batch: entry.batch})
  const mem = c.memory.weightBytes[entry.dtype] + c.memory.peakActivationBytes[entry.dtype]
  return {
    label: target.label,
    figures: {macs: c.macs, flops: c.flops, params: c.params, activations: c.activations, memory: mem},
    missing: {},
  }
}

function onnx(target: Extract<ResolvedTarget, {kind: 'onnx'}>, ctx: MeasureContext): Measured {
  if (!ctx.profileOnnx) throw new Error('internal: ONNX entry without a profiler')
  const p = ctx.profileOnnx(target.file, {...(target.inputShape ? {inputShape: target.inputShape} : {}), ...(target.inputValues ? {inputValues: target.inputValues} : {}), ...(target.observed ? {observed: target.observed} : {})})
  const figures = {macs: p.macs, flops: p.flops, params: p.params}
  return {label: target.label, figures, missing: {}, unsupportedOps: [...p.unsupportedOps], uncountedNodes: [...(p.uncountedNodes ?? [])]}
}
