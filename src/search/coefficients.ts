import {checkMultiplier} from '../arch/point.js'
import {UserError} from '../errors.js'

/** Compound coefficients: d = α^φ, w = β^φ, r = γ^φ. */
export interface Coefficients {
  alpha: number
  beta: number
  gamma: number
}

/** α, β, γ ≥ 1: compound scaling never shrinks a dimension (paper eq. 3). */
export function checkCoefficients(c: Coefficients): void {
  for (const k of ['alpha', 'beta', 'gamma'] as const) {
    checkMultiplier(`--${k}`, c[k])
    if (c[k] < 1) throw new UserError(`--${k} must be ≥ 1 (compound scaling never shrinks a dimension), got ${c[k]}`)
  }
}

/** α·β²·γ²: MACs growth per unit of φ, ignoring rounding. */
export const idealRatio = (c: Coefficients): number => c.alpha * c.beta ** 2 * c.gamma ** 2
