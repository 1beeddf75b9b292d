/** The one CSV writer of effscale (results.csv, data.csv, search/family --csv). */
import {stringify} from 'csv-stringify/sync'

/**
 * Rows (objects or arrays, in `columns` order) → CSV text with a header. A text cell that a
 * spreadsheet would run as a formula — one starting with =, +, -, @, a tab or a CR (or their
 * full-width forms) — is prefixed with ' (csv-stringify's escape_formulas). Number cells,
 * negative ones included, are left as numbers.
 */
export function toCsv(rows: ReadonlyArray<Record<string, unknown> | unknown[]>, columns: readonly string[]): string {
  return stringify(rows as unknown[], {header: true, columns: [...columns], escape_formulas: true})
}
