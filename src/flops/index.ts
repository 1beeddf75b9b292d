/**
 * Costing a target: lower once, read the op list. Pure (no files, no clock): the commands,
 * the sweep, budgets and searches all come through here.
 */
import {lower} from '../arch/lower.js'
import type {Lowered} from '../arch/ops.js'
import type {Point} from '../arch/spec.js'
import type {Target} from '../arch/target.js'
import {analyze, CONVENTION, total, type Breakdown, type BreakdownRow, type Totals} from './count.js'
import type {DType, Memory} from './memory.js'

export {CONVENTION} from './count.js'

export interface CostResult extends Totals {
  model: string
  base: string
  point: Point
  convention: typeof CONVENTION
  memory: Memory
  breakdown?: BreakdownRow[]
}

export function costTarget(target: Target, opts: {batch?: number; breakdown?: Breakdown; dtype?: DType} = {}): CostResult {
  const net = lower(target.base, target.point)
  const a = analyze(net, opts)
  return {model: target.label, base: target.base.name, point: target.point, convention: CONVENTION, ...a}
}

/** Only the totals (no memory walk, no breakdown): the fast path for searches and grids. */
export function costTotals(target: Pick<Target, 'base' | 'point'>): Totals {
  return total(lower(target.base, target.point).ops)
}

export function lowerTarget(target: Pick<Target, 'base' | 'point'>): Lowered {
  return lower(target.base, target.point)
}
