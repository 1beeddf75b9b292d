/** What every chart builder returns: the spec plus the rows it plots (for data.csv). */
import type {TopLevelSpec} from 'vega-lite'

export type Cell = string | number | null
export type PlotRow = Record<string, Cell>

export interface Chart {
  /** File stem: DIR/<id>.vl.json, .svg, .png. */
  id: string
  title: string
  /** Every plotted row, as inlined in the spec's data. */
  rows: PlotRow[]
  spec: TopLevelSpec
}

/** The layers of a layered spec (vega-lite does not export LayerSpec from its entry point). */
export type Layers = Extract<TopLevelSpec, {layer: unknown}>['layer']
