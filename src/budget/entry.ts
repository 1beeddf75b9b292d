import type {PointInput} from '../arch/point.js'
import type {BudgetDType, Figure, LatencyStat} from './figures.js'

/** What an entry costs, as written (paths still relative to the budget file). */
export type TargetRef =
  | {kind: 'model'; model: string}
  | {kind: 'base'; base: string; point: PointInput}
  | {kind: 'spec'; spec: string; point: PointInput}
  | {kind: 'onnx'; onnx: string; inputShape?: number[]; inputValues?: Record<string, number[]>; shapes?: 'static' | 'ort'}

/** One validated budget entry: a target, the conditions it runs under, and numeric limits. */
export interface BudgetEntry {
  index: number
  /** The entry's `name`, when it has one (see entryName). */
  name?: string
  target: TargetRef
  batch: number
  dtype: BudgetDType
  latencyStat: LatencyStat
  /** Model label or key to look up in the sweep, when it differs from the target's label. */
  sweepModel?: string
  limits: Partial<Record<Figure, number>>
  /** 1-based lines in the budget file of the entry and of its fields, where known. */
  lines: {entry?: number} & Partial<Record<string, number>>
}

/** The entry's name, or `budgets[i]` when it has none. */
export function entryName(e: Pick<BudgetEntry, 'name' | 'index'>): string {
  return e.name ?? `budgets[${e.index}]`
}

/** Where in the budget file something is: for error messages and annotations. */
export interface Where {
  source: string
  index?: number
  name?: string
  line?: number
}

/** `budgets.json:12: budgets[2] "shipped": onnx: no such file` */
export function describeWhere(w: Where, field?: string): string {
  const file = w.line ? `${w.source}:${w.line}` : w.source
  const entry = w.index === undefined ? '' : ` budgets[${w.index}]${w.name ? ` "${w.name}"` : ''}`
  return `${file}:${entry}${field ? ` ${field}` : ''}:`
}
