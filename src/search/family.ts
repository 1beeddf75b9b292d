/**
 * A compound-scaled family (paper §3.3 step 2): fix α, β, γ and raise φ. Each member is costed
 * with its real, rounded MACs, so the step ratio shows how far rounding moves it from the ideal
 * α·β²·γ²; for EfficientNet-B0 the official B-table (variants.ts), which is not exactly
 * α^φ, β^φ, γ^φ, is set beside it. Pure.
 */
import {compoundMultipliers, resolvePoint} from '../arch/point.js'
import {multipliersAt, strategyLabel, type Strategy} from '../arch/strategies.js'
import type {BaseSpec, Point} from '../arch/spec.js'
import {resolveTarget} from '../arch/target.js'
import {VARIANTS} from '../arch/variants.js'
import {UserError} from '../errors.js'
import {costTotals} from '../flops/index.js'
import {checkCoefficients, idealRatio, type Coefficients} from './coefficients.js'

export interface FamilyOptions extends Coefficients {
  base: BaseSpec
  maxPhi: number
  /**
   * Fast scaling dWr(α) in place of compound: member φ gets the same ideal MACs as the compound
   * member, (α·β²·γ²)^φ, spent as the strategy says (src/arch/strategies.ts).
   */
  fastAlpha?: number
}

export interface OfficialMember {
  model: string
  depth: number
  width: number
  imageSize: number
  macs: number
  params: number
}

export interface FamilyMember {
  phi: number
  /** α^φ, β^φ, γ^φ before rounding; imageSize is the rounded pixels. */
  point: Point
  macs: number
  params: number
  activations: number
  /** macs / macs at φ − 1 (null at φ = 0). */
  stepRatio: number | null
  /** macs / macs at φ = 0, against idealRatio^φ. */
  totalRatio: number
  /** The official model with this index, when the base has an official table. */
  official: OfficialMember | null
  /** macs / official.macs − 1. */
  macsDeviation: number | null
}

export interface Family extends Coefficients {
  base: string
  /** How φ is spent on depth, width and resolution. */
  strategy: Strategy
  strategyLabel: string
  /** Least-squares slope of log(activations) against log(MACs) over the members. */
  activationsSlope: number
  /** α·β²·γ²: the ideal MACs growth per φ step. */
  idealRatio: number
  members: FamilyMember[]
  /** Geometric mean of the step ratios: (macs(φmax) / macs(0))^(1/φmax). */
  meanStepRatio: number | null
}

/** Bases with a published table of scaled models, keyed by the φ the table's index stands for. */
const OFFICIAL_PREFIX: Record<string, string> = {'efficientnet-b0': 'efficientnet-b'}

export const MAX_PHI = 12

export function scaledFamily(o: FamilyOptions): Family {
  checkCoefficients(o)
  if (!Number.isInteger(o.maxPhi) || o.maxPhi < 1) throw new UserError(`--max-phi must be a whole number ≥ 1, got ${o.maxPhi}`)
  if (o.maxPhi > MAX_PHI) throw new UserError(`--max-phi ${o.maxPhi} is beyond ${MAX_PHI}: models that large are not worth costing`)
  const ideal = idealRatio(o)
  const strategy: Strategy = o.fastAlpha === undefined ? {kind: 'compound', alpha: o.alpha, beta: o.beta, gamma: o.gamma} : {kind: 'fast', alpha: o.fastAlpha}
  const members: FamilyMember[] = []
  for (let phi = 0; phi <= o.maxPhi; phi++) {
    const m = strategy.kind === 'compound' ? compoundMultipliers({phi, ...strategy}) : multipliersAt(strategy, ideal ** phi)
    const point = resolvePoint(o.base, m)
    const t = costTotals({base: o.base, point})
    const official = strategy.kind === 'compound' ? officialMember(o.base.name, phi) : null
    members.push({
      phi,
      point,
      macs: t.macs,
      params: t.params,
      activations: t.activations,
      stepRatio: phi === 0 ? null : t.macs / members[phi - 1].macs,
      totalRatio: phi === 0 ? 1 : t.macs / members[0].macs,
      official,
      macsDeviation: official ? t.macs / official.macs - 1 : null,
    })
  }
  const last = members[members.length - 1]
  return {
    base: o.base.name,
    alpha: o.alpha,
    beta: o.beta,
    gamma: o.gamma,
    strategy,
    strategyLabel: strategyLabel(strategy),
    activationsSlope: logLogSlope(members.map((m) => m.macs), members.map((m) => m.activations)),
    idealRatio: ideal,
    members,
    meanStepRatio: last.totalRatio ** (1 / o.maxPhi),
  }
}

function officialMember(base: string, phi: number): OfficialMember | null {
  const prefix = OFFICIAL_PREFIX[base]
  const v = prefix ? VARIANTS[`${prefix}${phi}`] : undefined
  if (!v) return null
  const t = costTotals(resolveTarget({model: v.name}))
  return {model: v.name, depth: v.depth, width: v.width, imageSize: v.imageSize, macs: t.macs, params: t.params}
}

/** Least-squares slope of log y against log x. */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log)
  const ly = y.map(Math.log)
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length
  const my = ly.reduce((a, b) => a + b, 0) / ly.length
  let num = 0
  let den = 0
  lx.forEach((v, i) => {
    num += (v - mx) * (ly[i] - my)
    den += (v - mx) ** 2
  })
  return num / den
}
