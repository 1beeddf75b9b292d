/**
 * A compound-scaled family (paper §3.3 step 2): fix α, β, γ and raise φ. Each member is costed
 * with its real, rounded MACs, so the step ratio shows how far rounding moves it from the ideal
 * α·β²·γ²; for EfficientNet-B0 the official B-table (variants.ts), which is not exactly
 * α^φ, β^φ, γ^φ, is set beside it. Pure.
 */
import {compoundMultipliers, resolvePoint} from '../arch/point.js'
import type {BaseSpec, Point} from '../arch/spec.js'
import {resolveTarget} from '../arch/target.js'
import {VARIANTS} from '../arch/variants.js'
import {UserError} from '../errors.js'
import {costTotals} from '../flops/index.js'
import {checkCoefficients, idealRatio, type Coefficients} from './coefficients.js'

export interface FamilyOptions extends Coefficients {
  base: BaseSpec
  maxPhi: number
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
  const members: FamilyMember[] = []
  for (let phi = 0; phi <= o.maxPhi; phi++) {
    const m = compoundMultipliers({phi, alpha: o.alpha, beta: o.beta, gamma: o.gamma})
    const point = resolvePoint(o.base, m)
    const t = costTotals({base: o.base, point})
    const official = officialMember(o.base.name, phi)
    members.push({
      phi,
      point,
      macs: t.macs,
      params: t.params,
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
