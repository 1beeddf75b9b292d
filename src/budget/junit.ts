import type {CheckResult} from './result.js'

/**
 * JUnit XML: one <testsuite> for the budget file, one <testcase> per entry and limit
 * (classname = entry, name = field). Over budget → <failure>; no figure to judge → <error>.
 */
export function toJUnit(r: CheckResult): string {
  const s = r.summary
  const cases = r.rows.map((row) => {
    const open = `    <testcase classname="${attr(`budget.${row.entry}`)}" name="${attr(row.field)}" file="${attr(r.budgetFile)}"${row.line ? ` line="${row.line}"` : ''} time="0"`
    if (row.verdict === 'pass') return `${open}/>`
    const tag = row.verdict === 'fail' ? 'failure' : 'error'
    const type = row.verdict === 'fail' ? 'overBudget' : 'cannotBeChecked'
    return `${open}>\n      <${tag} message="${attr(row.message)}" type="${type}">${text(row.message)}</${tag}>\n    </testcase>`
  })
  const counts = `tests="${s.checks}" failures="${s.fail}" errors="${s.error}" skipped="0"`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="effscale check" ${counts} time="0">`,
    `  <testsuite name="${attr(r.budgetFile)}" ${counts} time="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}

/** XML 1.0 forbids most control characters even escaped; drop them. */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
const text = (s: string) => clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const attr = (s: string) => text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
