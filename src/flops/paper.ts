import {readFileSync} from 'node:fs'
import path from 'node:path'
import {FIXTURES} from '../paths.js'

/** A row of the paper's Table 2 (fixtures/paper/table2.json). */
export interface Table2Row {
  model: string
  /** effscale variant name, where effscale can build the model. */
  variant?: string
  top1: number
  top5: number
  params: number
  /** Published FLOPs (multiply-adds), rounded; null where not printed. */
  macs: number | null
  top1V1?: number
  /** Why the printed params differ from the exact count beyond rounding. */
  paramsNote?: string
}

export function readTable2(): Table2Row[] {
  return (JSON.parse(readFileSync(path.join(FIXTURES, 'paper', 'table2.json'), 'utf8')) as {rows: Table2Row[]}).rows
}
