import {renderTable} from '../cli/table.js'
import {FIGURES, type Figure} from './figures.js'
import {formatMargin, formatValue} from './format.js'
import type {CheckResult} from './result.js'
import type {CheckRow} from './verdict.js'

const VERDICT_TEXT = {pass: 'pass', fail: 'FAIL', error: 'ERROR'} as const

/** The human report: a table of every check, then the messages of the failing ones. */
export function renderCheck(r: CheckResult): string {
  const rows = r.rows.map((row) => [
    row.entry,
    row.field,
    show(row, row.value),
    show(row, row.limit),
    formatMargin(row.margin),
    VERDICT_TEXT[row.verdict],
  ])
  const s = r.summary
  const bad = r.rows.filter((row) => row.verdict !== 'pass')
  return [
    `${r.budgetFile}: ${s.entries} budget(s), ${s.checks} check(s)${r.sweep ? `, latency from ${r.sweep}` : ''}`,
    r.convention,
    '',
    renderTable(['entry', 'figure', 'value', 'limit', 'margin', 'verdict'], rows),
    '',
    ...bad.map((row) => `${VERDICT_TEXT[row.verdict]} ${row.entry} ${row.field}: ${row.message}`),
    ...(bad.length ? [''] : []),
    r.ok ? `ok: all ${s.checks} check(s) within budget` : `${s.fail} over budget, ${s.error} error(s), ${s.pass} passed`,
  ].join('\n')
}

function show(row: CheckRow, n: number | null): string {
  if (n === null) return '—'
  return row.figure in FIGURES ? formatValue(FIGURES[row.figure as Figure].unit, n) : String(n)
}
