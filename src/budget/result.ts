import {CONVENTION} from '../flops/index.js'
import {entryName, type BudgetEntry} from './entry.js'
import type {BudgetDType} from './figures.js'
import type {Measured} from './measure.js'
import type {TargetKey} from './schema.js'
import type {CheckRow} from './verdict.js'

/** `effscale check --json`; its JSON Schema is fixtures/schemas/check-result.schema.json. */
export interface CheckResult {
  convention: typeof CONVENTION
  budgetFile: string
  sweep: string | null
  /** True when every check passed (exit 0). */
  ok: boolean
  summary: {entries: number; checks: number; pass: number; fail: number; error: number}
  entries: EntryResult[]
  rows: CheckRow[]
  warnings: string[]
}

export interface EntryResult {
  index: number
  name: string
  kind: TargetKey
  /** Model label, or the ONNX path as written. */
  label: string
  batch: number
  dtype: BudgetDType
  /** ONNX entries: op types not costed; null for analytic targets. */
  unsupportedOps: string[] | null
  line: number | null
}

/** Assemble the result document (pure). */
export function checkResult(
  budgetFile: string,
  sweep: string | null,
  checked: Array<{entry: BudgetEntry; measured: Measured; rows: CheckRow[]}>,
  warnings: string[],
): CheckResult {
  const rows = checked.flatMap((c) => c.rows)
  const count = (v: CheckRow['verdict']) => rows.filter((r) => r.verdict === v).length
  const summary = {entries: checked.length, checks: rows.length, pass: count('pass'), fail: count('fail'), error: count('error')}
  return {
    convention: CONVENTION,
    budgetFile,
    sweep,
    ok: summary.pass === summary.checks,
    summary,
    entries: checked.map(({entry, measured}) => ({
      index: entry.index,
      name: entryName(entry),
      kind: entry.target.kind,
      label: measured.label,
      batch: entry.batch,
      dtype: entry.dtype,
      unsupportedOps: measured.unsupportedOps ?? null,
      line: entry.lines.entry ?? null,
    })),
    rows,
    warnings,
  }
}
