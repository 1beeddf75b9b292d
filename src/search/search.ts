/**
 * Compound-coefficient search (paper §3.3 step 1): enumerate α, β, γ ≥ 1 on a grid with
 * α·β²·γ² within a relative tolerance of the target ratio, cost each candidate at φ = 1 with
 * its real rounded MACs (costTotals, the fast path), then rank. Pure: accuracy and latency
 * come in as already-parsed data.
 */
import {PAPER_COEFFICIENTS, resolvePoint} from '../arch/point.js'
import type {BaseSpec, Point} from '../arch/spec.js'
import {UserError} from '../errors.js'
import {costTotals} from '../flops/index.js'
import type {Coefficients} from './coefficients.js'

export const OBJECTIVES = ['mnas', 'accuracy', 'latency'] as const
export type Objective = (typeof OBJECTIVES)[number]

/** MnasNet objective defaults (paper §4): T = 400M FLOPs (multiply-adds), w = −0.07. */
export const MNAS = {target: 400e6, w: -0.07} as const

/** Beyond this the grid is a typo (step too small), not a search. */
export const MAX_CANDIDATES = 200_000

export interface GridOptions {
  targetRatio: number
  step: number
  /** Relative: |α·β²·γ² − target| ≤ tolerance × target. */
  tolerance: number
}

export interface Candidate extends Coefficients {
  /** α·β²·γ². */
  idealRatio: number
  /** The paper's (1.2, 1.1, 1.15). */
  paper: boolean
}

export interface CostedCandidate extends Candidate {
  point: Point
  macs: number
  params: number
  /** macs / base macs: what rounding made of idealRatio. */
  realRatio: number
}

export interface Measured {
  /** Trained top-1 of this candidate, if a trial was given. */
  top1: number | null
  /** Measured latency (ms), if a sweep measured this candidate, else predicted by a latency model. */
  latencyMs: number | null
  /** True when latencyMs was predicted by a latency model (effscale calibrate), not measured. */
  latencyPredicted?: boolean
}

export interface RankedCandidate extends CostedCandidate, Measured {
  /** Objective value (higher is better for mnas/accuracy, lower for latency); null if unscored. */
  score: number | null
  /** 1-based rank among scored candidates; null if unscored. */
  rank: number | null
}

export function checkGrid(o: GridOptions): void {
  if (!Number.isFinite(o.targetRatio) || o.targetRatio <= 1) {
    throw new UserError(`--target-ratio must be > 1 (compound scaling grows the network), got ${o.targetRatio}`)
  }
  if (!Number.isFinite(o.step) || o.step <= 0) throw new UserError(`--step must be > 0, got ${o.step}`)
  if (!Number.isFinite(o.tolerance) || o.tolerance < 0 || o.tolerance >= 1) {
    throw new UserError(`--tolerance must be in [0, 1) (a fraction of the target ratio), got ${o.tolerance}`)
  }
}

/** Grid values are 1 + i·step, rounded so 1 + 4 × 0.05 is 1.2 and not 1.2000000000000002. */
const at = (i: number, step: number) => Number((1 + i * step).toFixed(10))

export function enumerateGrid(o: GridOptions): Candidate[] {
  checkGrid(o)
  // Bounds are inclusive; the epsilon keeps float noise (1.1 × 2 = 2.2000000000000002) from dropping edge points.
  const lo = o.targetRatio * (1 - o.tolerance) * (1 - 1e-12)
  const hi = o.targetRatio * (1 + o.tolerance) * (1 + 1e-12)
  const out: Candidate[] = []
  for (let i = 0, a = 1; a <= hi; a = at(++i, o.step)) {
    for (let j = 0, b = 1; a * b * b <= hi; b = at(++j, o.step)) {
      for (let k = 0, g = 1; a * b * b * g * g <= hi; g = at(++k, o.step)) {
        const r = a * b * b * g * g
        if (r < lo) continue
        if (out.length >= MAX_CANDIDATES) {
          throw new UserError(`--step ${o.step} gives more than ${MAX_CANDIDATES.toLocaleString('en-US')} candidates: use a larger step or a smaller tolerance`)
        }
        out.push({alpha: a, beta: b, gamma: g, idealRatio: r, paper: isPaper(a, b, g)})
      }
    }
  }
  if (out.length === 0) {
    throw new UserError(
      `empty grid: no α, β, γ on steps of ${o.step} give α·β²·γ² within ${o.tolerance * 100}% of ${o.targetRatio}; use a smaller step or a larger tolerance`,
    )
  }
  return out
}

function isPaper(a: number, b: number, g: number): boolean {
  const p = PAPER_COEFFICIENTS
  return Math.abs(a - p.alpha) < 1e-9 && Math.abs(b - p.beta) < 1e-9 && Math.abs(g - p.gamma) < 1e-9
}

/** Cost each candidate at φ = 1 with its real rounded MACs. */
export function costCandidates(base: BaseSpec, candidates: readonly Candidate[]): CostedCandidate[] {
  const baseMacs = costTotals({base, point: resolvePoint(base, {})}).macs
  return candidates.map((c) => {
    const point = resolvePoint(base, {depth: c.alpha, width: c.beta, resolution: c.gamma})
    const t = costTotals({base, point})
    return {...c, point, macs: t.macs, params: t.params, realRatio: t.macs / baseMacs}
  })
}

export interface RankOptions {
  objective: Objective
  targetRatio: number
  mnas?: {target: number; w: number}
  latencyBudgetMs?: number
}

/**
 * Score and order candidates. Unscored candidates (no trial / no measurement / over budget)
 * keep rank null and follow the scored ones, nearest real ratio to the target first: that
 * order is the training plan when nothing is scored.
 */
export function rankCandidates(costed: readonly CostedCandidate[], measured: readonly Measured[], o: RankOptions): RankedCandidate[] {
  const mnas = o.mnas ?? MNAS
  const scored = costed.map((c, i) => {
    const {top1, latencyMs, latencyPredicted = false} = measured[i] ?? {top1: null, latencyMs: null}
    let score: number | null = null
    if (o.objective === 'mnas' && top1 !== null) score = top1 * (c.macs / mnas.target) ** mnas.w
    else if (o.objective === 'accuracy' && top1 !== null) score = top1
    else if (o.objective === 'latency' && latencyMs !== null && (o.latencyBudgetMs === undefined || latencyMs <= o.latencyBudgetMs)) {
      // Within the budget the most accurate wins when trials exist; otherwise the fastest.
      score = top1 ?? -latencyMs
    }
    return {...c, top1, latencyMs, latencyPredicted, score, rank: null as number | null}
  })
  const nearTarget = (c: CostedCandidate) => Math.abs(c.realRatio - o.targetRatio)
  scored.sort((x, y) => {
    if (x.score !== null && y.score !== null) return y.score - x.score || nearTarget(x) - nearTarget(y)
    if (x.score !== null) return -1
    if (y.score !== null) return 1
    return nearTarget(x) - nearTarget(y)
  })
  scored.forEach((c, i) => {
    if (c.score !== null) c.rank = i + 1
  })
  return scored
}
