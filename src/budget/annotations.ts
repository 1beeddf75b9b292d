import {UNCOUNTED_NODES, UNSUPPORTED_OPS} from './figures.js'
import type {CheckResult} from './result.js'
import type {CheckRow} from './verdict.js'

/**
 * GitHub Actions workflow commands: one `::error` per failing check, pointing at the budget
 * file line of the limit, so the failure shows on the pull request.
 */
export function annotations(r: CheckResult): string[] {
  return r.rows
    .filter((row) => row.verdict !== 'pass')
    .map((row) => {
      const props = [`file=${prop(r.budgetFile)}`, ...(row.line ? [`line=${row.line}`] : []), `title=${prop(title(row))}`]
      return `::error ${props.join(',')}::${data(row.message)}`
    })
}

function title(row: CheckRow): string {
  const what = row.verdict === 'error' ? 'cannot be checked' : row.field === UNSUPPORTED_OPS || row.field === UNCOUNTED_NODES ? 'found' : 'over budget'
  return `effscale check: ${row.entry} ${row.field} ${what}`
}

// Escaping as in @actions/core's command.ts.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
