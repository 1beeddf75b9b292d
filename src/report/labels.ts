/**
 * Point labels that never overlap. A chart draws its labels with labelLayers(): one text layer
 * per side of the point (right, left, above, below), each showing the rows whose label field
 * names that side. placeLabels() then renders the chart once with vega (headless), reads every
 * label's anchor, every point and every panel from the scenegraph, and gives each label, in row
 * order, the first side where it stays inside its panel and clear of the labels already placed
 * and of every point; a label with no such side is left to the tooltip (and counted in the
 * subtitle). Text is measured with the bundled font's own advance widths (text-width.ts).
 */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, Layers, PlotRow} from './chart.js'
import {textWidth} from './text-width.js'

export const SIDES = ['right', 'left', 'above', 'below'] as const
export type LabelSide = (typeof SIDES)[number]
/** The label field's value for a label that found no free side. */
export const HIDDEN = 'none'

const GAP = 7
/** Symbol area (px²) below which a point does not keep labels off. */
const MIN_OBSTACLE = 20
const PLACE: Record<LabelSide, {align: 'left' | 'right' | 'center'; baseline: 'middle' | 'bottom' | 'top'; dx: number; dy: number}> = {
  right: {align: 'left', baseline: 'middle', dx: GAP, dy: 0},
  left: {align: 'right', baseline: 'middle', dx: -GAP, dy: 0},
  above: {align: 'center', baseline: 'bottom', dx: 0, dy: -GAP},
  below: {align: 'center', baseline: 'top', dx: 0, dy: GAP},
}

const layerName = (field: string, side: LabelSide) => `lbl__${field}__${side}`

export interface LabelOptions {
  /** Row field holding the chosen side; give each panel of a concatenation its own. */
  field?: string
  fontSize?: number
  /** Extra vega expression a row must pass to be labelled at all. */
  filter?: string
  color?: unknown
}

type Encoding = Record<string, unknown>

/** Text layers for point labels at x, y showing `text`; placeLabels() picks each one's side. */
export function labelLayers(x: Encoding, y: Encoding, text: string, opts: LabelOptions = {}): Layers {
  const field = opts.field ?? 'labelAt'
  return SIDES.map((side) => {
    const p = PLACE[side]
    // Rows not yet placed show on the right (what placeLabels measures first).
    const where = `(datum['${field}'] || 'right') === '${side}'${opts.filter ? ` && (${opts.filter})` : ''}`
    return {
      name: layerName(field, side),
      transform: [{filter: where}],
      mark: {type: 'text', align: p.align, baseline: p.baseline, dx: p.dx, dy: p.dy, ...(opts.fontSize ? {fontSize: opts.fontSize} : {})},
      encoding: {x, y, text: {field: text}, ...(opts.color ? {color: opts.color} : {})},
    }
  }) as Layers
}

interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

interface Pending {
  id: number
  field: string
  text: string
  fontSize: number
  /** Anchor (the point) in panel coordinates. */
  x: number
  y: number
  panel: number
}

interface SceneItem {
  x?: number
  y?: number
  width?: number
  height?: number
  text?: string
  fontSize?: number
  size?: number
  datum?: Record<string, unknown>
  items?: SceneMark[]
}

interface SceneMark {
  marktype: string
  role: string
  name?: string
  items: SceneItem[]
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1

/** vega's own baseline offsets (vega-scenegraph), and DejaVu's ink above and below the baseline. */
function box(l: Pending, side: LabelSide): Box {
  const p = PLACE[side]
  const w = textWidth(l.text, l.fontSize)
  const x = l.x + p.dx
  const x0 = p.align === 'left' ? x : p.align === 'right' ? x - w : x - w / 2
  const base = l.y + p.dy + Math.round((p.baseline === 'top' ? 0.79 : p.baseline === 'middle' ? 0.3 : -0.21) * l.fontSize)
  return {x0: x0 - 1, y0: base - 0.76 * l.fontSize - 1, x1: x0 + w + 1, y1: base + 0.24 * l.fontSize + 1}
}

/** Give every label of the chart a side, or hide it; returns the chart with its spec's data updated. */
export async function placeLabels(chart: Chart): Promise<Chart> {
  const spec = chart.spec as unknown as {data?: {values?: PlotRow[]}; title?: {text: string; subtitle?: string | string[]}}
  const values = spec.data?.values
  const fields = [...new Set([...JSON.stringify(spec).matchAll(/"lbl__(\w+?)__right"/g)].map((m) => m[1]))]
  if (!values || fields.length === 0) return chart
  const probe = {...spec, data: {values: values.map((r, i) => ({...r, __label: i, ...Object.fromEntries(fields.map((f) => [f, 'right']))}))}}
  // vega and vega-lite load here, at the first chart, not when a command starts.
  const [{parse, View}, {compile}] = await Promise.all([import('vega'), import('vega-lite')])
  const view = new View(parse(compile(probe as TopLevelSpec).spec), {renderer: 'none'})
  await view.runAsync()
  const labels: Pending[] = []
  const panels: Array<{w: number; h: number; points: Box[]}> = []
  const walk = (group: SceneItem, w: number, h: number) => {
    const marks = group.items ?? []
    const panel = panels.push({w, h, points: []}) - 1
    for (const mark of marks) {
      for (const it of mark.items) {
        if (mark.marktype === 'group') walk(it, it.width ?? w, it.height ?? h)
        // Points big enough to be read are obstacles; a cloud of tiny background dots is not.
        else if (mark.role === 'mark' && mark.marktype === 'symbol' && it.x !== undefined && it.y !== undefined && (it.size ?? 64) >= MIN_OBSTACLE) {
          const r = Math.sqrt(it.size ?? 64) / 2
          panels[panel].points.push({x0: it.x - r, y0: it.y - r, x1: it.x + r, y1: it.y + r})
        } else if (mark.marktype === 'text' && mark.name?.startsWith('lbl__') && it.datum) {
          const field = mark.name.split('__')[1]
          labels.push({id: it.datum.__label as number, field, text: String(it.text ?? ''), fontSize: it.fontSize ?? 10, x: it.x ?? 0, y: it.y ?? 0, panel})
        }
      }
    }
  }
  const root = (view.scenegraph() as unknown as {root: SceneMark}).root.items[0]
  walk(root, view.width(), view.height())
  view.finalize()

  const chosen = new Map<string, LabelSide | typeof HIDDEN>()
  const placed: Box[][] = panels.map(() => [])
  labels.sort((a, b) => a.id - b.id)
  for (const l of labels) {
    const p = panels[l.panel]
    const side = SIDES.find((s) => {
      const b = box(l, s)
      return b.x0 >= 0 && b.y0 >= 0 && b.x1 <= p.w && b.y1 <= p.h && !placed[l.panel].some((o) => overlaps(o, b)) && !p.points.some((o) => overlaps(o, b))
    })
    chosen.set(`${l.id}|${l.field}`, side ?? HIDDEN)
    if (side) placed[l.panel].push(box(l, side))
  }
  const hidden = labels.filter((l) => chosen.get(`${l.id}|${l.field}`) === HIDDEN).length
  const data = values.map((r, i) => ({...r, ...Object.fromEntries(fields.map((f) => [f, chosen.get(`${i}|${f}`) ?? HIDDEN]))}))
  const title = spec.title && hidden ? {...spec.title, subtitle: [...[spec.title.subtitle ?? []].flat(), `${hidden} point name${hidden > 1 ? 's' : ''} not drawn where ${hidden > 1 ? 'they' : 'it'} would overlap others (hover a point for its name; every point is in data.csv).`]} : spec.title
  return {...chart, spec: {...spec, data: {values: data}, ...(title ? {title} : {})} as unknown as TopLevelSpec}
}
