/**
 * Scaling strategies as data: how a strategy spends s× more FLOPs on depth, width and
 * resolution. Following Dollár, Singh & Girshick ("Fast and Accurate Model Scaling", CVPR 2021,
 * Table 4), a strategy is the share of log FLOPs each dimension takes, e_d + e_w + e_r = 1:
 *
 *   depth d = s^e_d,  width w = s^(e_w / 2),  resolution r = s^(e_r / 2)
 *
 * since FLOPs ∝ d·w²·r². Then params ∝ d·w² grow as s^(e_d + e_w) and activations ∝ d·w·r² as
 * s^(e_d + e_w/2 + e_r).
 * - compound (α, β, γ): EfficientNet's d = α^φ, w = β^φ, r = γ^φ, i.e. s = (αβ²γ²)^φ.
 * - fast dWr(α): e_d = e_r = (1 − α)/2, e_w = α; α = 1 is width only, α = 1/3 uniform (dwr),
 *   the authors recommend α = 0.8 (pycls's scaler: "d1_w8_r1").
 * - single: all of s on one dimension.
 * Pure.
 */
import {UserError} from '../errors.js'

export const SCALING_DIMS = ['depth', 'width', 'resolution'] as const
export type ScalingDim = (typeof SCALING_DIMS)[number]

export type Strategy =
  | {kind: 'compound'; alpha: number; beta: number; gamma: number}
  | {kind: 'fast'; alpha: number}
  | {kind: 'single'; dim: ScalingDim}

export type Shares = Record<ScalingDim, number>
export type Multipliers = Record<ScalingDim, number>

/** The fast-scaling α the paper recommends. */
export const FAST_ALPHA = 0.8

/** Shares of log FLOPs (e_d, e_w, e_r), summing to 1. */
export function flopShares(s: Strategy): Shares {
  switch (s.kind) {
    case 'compound': {
      const l = Math.log(s.alpha * s.beta ** 2 * s.gamma ** 2)
      if (!(l > 0)) throw new UserError(`compound α·β²·γ² must exceed 1, got ${s.alpha}·${s.beta}²·${s.gamma}²`)
      return {depth: Math.log(s.alpha) / l, width: (2 * Math.log(s.beta)) / l, resolution: (2 * Math.log(s.gamma)) / l}
    }
    case 'fast':
      checkFastAlpha(s.alpha)
      return {depth: (1 - s.alpha) / 2, width: s.alpha, resolution: (1 - s.alpha) / 2}
    case 'single':
      return {depth: s.dim === 'depth' ? 1 : 0, width: s.dim === 'width' ? 1 : 0, resolution: s.dim === 'resolution' ? 1 : 0}
  }
}

export function checkFastAlpha(alpha: number): void {
  if (!Number.isFinite(alpha) || alpha < 0 || alpha > 1) throw new UserError(`--fast-alpha must be in [0, 1] (1: width only, 1/3: uniform), got ${alpha}`)
}

/** Multipliers that give s× the FLOPs of the base (before rounding). */
export function multipliersAt(strategy: Strategy, s: number): Multipliers {
  const e = flopShares(strategy)
  return {depth: s ** e.depth, width: s ** (e.width / 2), resolution: s ** (e.resolution / 2)}
}

/** Growth exponents of params and activations for s× FLOPs (Table 4's complexity columns). */
export function complexityExponents(strategy: Strategy): {flops: number; params: number; activations: number} {
  const e = flopShares(strategy)
  return {flops: e.depth + e.width + e.resolution, params: e.depth + e.width, activations: e.depth + e.width / 2 + e.resolution}
}

export function strategyLabel(s: Strategy): string {
  switch (s.kind) {
    case 'compound':
      return `compound α=${s.alpha}, β=${s.beta}, γ=${s.gamma}`
    case 'fast':
      return `fast dWr α=${s.alpha}`
    case 'single':
      return `${s.dim} only`
  }
}
