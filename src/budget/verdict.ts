import {entryName, type BudgetEntry} from './entry.js'
import {FIGURES, FIGURE_NAMES, UNCOUNTED_NODES, UNSUPPORTED_OPS, type RowFigure} from './figures.js'
import {formatMargin, formatValue} from './format.js'
import type {Measured} from './measure.js'

export const VERDICTS = ['pass', 'fail', 'error'] as const
/** pass: within the limit; fail: over it; error: no figure to judge (counts as failing). */
export type Verdict = (typeof VERDICTS)[number]

/** One check: an entry's figure against its limit. */
export interface CheckRow {
  entry: string
  index: number
  figure: RowFigure
  /** The budget field that set the limit (`maxMacs`), or `unsupportedOps`. */
  field: string
  value: number | null
  limit: number
  /** (limit − value) / limit: > 0 headroom, < 0 over; null without a value or with limit 0. */
  margin: number | null
  verdict: Verdict
  message: string
  /** Line of the field in the budget file, where known. */
  line: number | null
  /** The value was predicted by a latency model (--latency-model), not measured. */
  predicted?: true
}

/** Figures an ONNX graph with uncosted ops can only undercount. */
const UNDERCOUNTED = new Set(['macs', 'flops', 'activations'])

/** (entry, measured figures) → one row per limit, plus the unsupported-ops check of ONNX entries. Pure. */
export function verdicts(entry: BudgetEntry, m: Measured): CheckRow[] {
  const name = entryName(entry)
  const unsupported = m.unsupportedOps ?? []
  const uncounted = m.uncountedNodes ?? []
  const rows: CheckRow[] = []
  for (const f of FIGURE_NAMES) {
    const limit = entry.limits[f]
    if (limit === undefined) continue
    const {label, unit, limitKey} = FIGURES[f]
    const base = {entry: name, index: entry.index, figure: f, field: limitKey, limit, line: entry.lines[limitKey] ?? null}
    const value = m.figures[f]
    if (value === undefined) {
      rows.push({...base, value: null, margin: null, verdict: 'error', message: `${label}: ${m.missing[f] ?? 'not measured'}`})
      continue
    }
    if (!Number.isFinite(value) || value < 0) {
      // A negative or non-finite count is a costing fault: never judged as within a limit.
      const shownValue = Number.isFinite(value) ? value : null
      rows.push({...base, value: shownValue, margin: null, verdict: 'error', message: `${label}: ${value} is impossible (figures are finite numbers ≥ 0)`})
      continue
    }
    const margin = (limit - value) / limit
    const ci = m.intervals?.[f]
    const predicted = m.predicted?.[f] === true
    const shown = `${label} ${formatValue(unit, value)}${predicted ? ' (predicted)' : ''}${ci ? ` (95% interval ${formatValue(unit, ci.lo)}–${formatValue(unit, ci.hi)})` : ''}`
    if (predicted) Object.assign(base, {predicted: true})
    const lim = formatValue(unit, limit)
    if (ci && value > limit && ci.lo <= limit) {
      // A measurement is over only when its interval is: a noisy median above the limit is not proof.
      rows.push({...base, value, margin, verdict: 'pass', message: `${shown} is above ${lim}, but the interval reaches below it: not shown to be over the budget`})
    } else if (value > limit) {
      const all = ci ? ', the whole interval above it' : ''
      rows.push({...base, value, margin, verdict: 'fail', message: `${shown} is over the budget of ${lim} by ${formatMargin(-margin).slice(1)}${all}`})
    } else if ((unsupported.length > 0 || uncounted.length > 0) && UNDERCOUNTED.has(f)) {
      const why = unsupported.length > 0
        ? `${unsupported.length} op type(s) not costed (${unsupported.join(', ')})`
        : `${uncounted.length} node(s) not counted (first cause: ${uncounted[0].cause})`
      rows.push({...base, value, margin, verdict: 'error', message: `${shown} is only a lower bound: ${why}`})
    } else {
      rows.push({...base, value, margin, verdict: 'pass', message: `${shown} is within ${lim} (${formatMargin(margin)} headroom)`})
    }
  }
  if (m.unsupportedOps) {
    const n = unsupported.length
    rows.push({
      entry: name, index: entry.index, figure: UNSUPPORTED_OPS, field: UNSUPPORTED_OPS, value: n, limit: 0, margin: null,
      verdict: n === 0 ? 'pass' : 'fail',
      message: n === 0 ? 'every op of the graph is costed' : `the profiler cannot cost ${n} op type(s): ${unsupported.join(', ')}`,
      line: entry.lines.onnx ?? null,
    })
  }
  if (m.uncountedNodes) {
    const n = uncounted.length
    rows.push({
      entry: name, index: entry.index, figure: UNCOUNTED_NODES, field: UNCOUNTED_NODES, value: n, limit: 0, margin: null,
      verdict: n === 0 ? 'pass' : 'fail',
      message: n === 0 ? 'every node of the graph is counted' : `${n} node(s) not counted: ${uncounted[0].name} (${uncounted[0].opType}) first; cause: ${uncounted[0].cause}`,
      line: entry.lines.onnx ?? null,
    })
  }
  return rows
}
