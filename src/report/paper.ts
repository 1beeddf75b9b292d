/** The paper's published tables (fixtures/paper), typed. Read once per report. */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Table2Row} from '../flops/paper.js'
import {FIXTURES} from '../paths.js'

export type {Table2Row}

/** A row of Table 3 or Table 7: a base scaled one way or compound. */
export interface ScalingRow {
  model: string
  base: string
  scaling: 'baseline' | 'depth' | 'width' | 'resolution' | 'compound'
  depth: number
  width: number
  resolution: number
  macs: number
  top1: number
}

export interface TransferEntry {
  model: string
  top1: number
  params: number | null
}

export interface Table5Row {
  dataset: string
  public: TransferEntry
  oursVsPublic: TransferEntry
  reported: TransferEntry
  oursVsReported: TransferEntry
}

export interface PaperTable<R> {
  source: string
  rows: R[]
}

export interface PaperTables {
  table2: PaperTable<Table2Row>
  table3: PaperTable<ScalingRow>
  table5: PaperTable<Table5Row>
  table7: PaperTable<ScalingRow>
}

function read<R>(name: string): PaperTable<R> {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'paper', `${name}.json`), 'utf8')) as PaperTable<R>
}

export function readPaperTables(): PaperTables {
  return {table2: read('table2'), table3: read('table3'), table5: read('table5'), table7: read('table7')}
}
