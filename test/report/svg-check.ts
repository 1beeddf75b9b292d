/**
 * Reads a rendered chart SVG (vega's output) back: every text with its box on the page, every
 * axis with its title, scale, domain and tick labels, the plot frames, the title and subtitle;
 * and lists what a reader of a paper would object to. Boxes use the bundled DejaVu Sans's own
 * advance widths and glyph heights (what resvg draws), not vega's estimate.
 */
import {textWidth} from '../../src/report/text-width.js'

type Matrix = [number, number, number, number, number, number]
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0]

function multiply(m: Matrix, n: Matrix): Matrix {
  return [m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5]]
}

function parseTransform(t: string | undefined): Matrix {
  let m = IDENTITY
  for (const [, op, args] of (t ?? '').matchAll(/(translate|rotate|scale)\(([^)]*)\)/g)) {
    const v = args.split(/[\s,]+/).filter(Boolean).map(Number)
    if (op === 'translate') m = multiply(m, [1, 0, 0, 1, v[0] ?? 0, v[1] ?? 0])
    else if (op === 'scale') m = multiply(m, [v[0], 0, 0, v[1] ?? v[0], 0, 0])
    else {
      const a = ((v[0] ?? 0) * Math.PI) / 180
      m = multiply(m, [Math.cos(a), Math.sin(a), -Math.sin(a), Math.cos(a), 0, 0])
    }
  }
  return m
}

const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]

export interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

export interface SvgText {
  text: string
  box: Box
  size: number
  /** The nearest vega role of an enclosing group (axis-label, axis-title, mark, legend-label, title-text…). */
  role: string
  /** Index into axes of the enclosing axis, if any. */
  axis: number | null
}

export interface SvgAxis {
  orient: 'X' | 'Y'
  title: string | null
  scale: string
  /** "values from A to B" of a continuous scale. */
  domain: [number, number] | null
  labels: string[]
  /** Absolute position of the axis group's origin (its domain line starts there). */
  origin: [number, number]
}

export interface SvgChart {
  texts: SvgText[]
  axes: SvgAxis[]
  /** Plot frames (cell backgrounds): absolute boxes. */
  frames: Box[]
  title: string
  subtitle: string[]
}

/** Ink of DejaVu Sans: ascenders reach 0.76 em above the baseline, descenders 0.24 em below. */
const ASCENT = 0.76
const DESCENT = 0.24

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

function attrs(s: string): Record<string, string> {
  return Object.fromEntries([...s.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, k, v]) => [k, unescape(v)]))
}

export function readSvg(svg: string): SvgChart {
  interface Frame {
    tag: string
    m: Matrix
    role: string | null
    axis: number | null
    hidden: boolean
    /** This group is an axis whose origin is still to be read from its first child group. */
    axisRoot: boolean
  }
  const stack: Frame[] = [{tag: 'root', m: IDENTITY, role: null, axis: null, hidden: false, axisRoot: false}]
  const out: SvgChart = {texts: [], axes: [], frames: [], title: '', subtitle: []}
  let text: {a: Record<string, string>; m: Matrix; role: string; axis: number | null; lines: Array<{s: string; dy: number; x: number | null}>} | null = null
  let tspan: {dy: number; x: number | null} | null = null
  for (const [, close, tag, rawAttrs, selfClose, content] of svg.matchAll(/<(\/)?([a-zA-Z][\w:-]*)([^>]*?)(\/)?>|([^<]+)/g)) {
    if (content !== undefined) {
      if (text) {
        const s = unescape(content)
        if (tspan) text.lines.push({s, dy: tspan.dy, x: tspan.x})
        else if (s.trim()) text.lines.push({s, dy: 0, x: null})
      }
      continue
    }
    if (close) {
      if (tag === 'tspan') tspan = null
      else if (tag === 'text' && text) {
        finishText(out, text)
        text = null
      } else if (tag === 'g') stack.pop()
      continue
    }
    const a = attrs(rawAttrs ?? '')
    const top = stack[stack.length - 1]
    const m = multiply(top.m, a.transform ? parseTransform(a.transform) : IDENTITY)
    const hidden = top.hidden || a.display === 'none' || a.opacity === '0'
    if (tag === 'g') {
      const cls = a.class ?? ''
      const role = /role-([\w-]+)/.exec(cls)?.[1] ?? top.role
      let axis = top.axis
      let axisRoot = false
      if (/role-axis\b/.test(cls) && a['aria-roledescription'] === 'axis') {
        axis = out.axes.length
        out.axes.push(parseAxis(a['aria-label'] ?? '', apply(m, 0, 0)))
        axisRoot = true
      } else if (top.axisRoot) {
        // vega places an axis by translating the group just inside it.
        out.axes[top.axis!].origin = apply(m, 0, 0)
        top.axisRoot = false
      }
      if (!selfClose) stack.push({tag, m, role, axis, hidden, axisRoot})
      continue
    }
    if (tag === 'path' && a.class === 'background' && a.stroke && a.d && !hidden) {
      const r = /^M([\d.]+),([\d.]+)h([\d.]+)v([\d.]+)h-/.exec(a.d)
      if (r && Number(r[3]) > 20 && Number(r[4]) > 20) {
        const [x0, y0] = apply(m, Number(r[1]), Number(r[2]))
        out.frames.push({x0, y0, x1: x0 + Number(r[3]), y1: y0 + Number(r[4])})
      }
    }
    if (tag === 'text' && !hidden) text = {a, m, role: top.role ?? '', axis: top.axis, lines: []}
    if (tag === 'tspan' && text) tspan = {dy: Number(a.dy ?? 0), x: a.x === undefined ? null : Number(a.x)}
  }
  return out
}

function parseAxis(label: string, origin: [number, number]): SvgAxis {
  const orient = label.startsWith('Y') ? 'Y' : 'X'
  const title = /titled '(.*)' for a/.exec(label)?.[1] ?? null
  const scale = /for a (\w+) scale/.exec(label)?.[1] ?? 'unknown'
  const d = /values from (\S+) to (\S+)/.exec(label.replace(/(\d),(\d)/g, '$1$2'))
  return {orient, title, scale, domain: d ? [Number(d[1]), Number(d[2])] : null, labels: [], origin}
}

function finishText(out: SvgChart, t: {a: Record<string, string>; m: Matrix; role: string; axis: number | null; lines: Array<{s: string; dy: number; x: number | null}>}): void {
  const size = Number((t.a['font-size'] ?? '11').replace('px', ''))
  const bold = t.a['font-weight'] === 'bold'
  const anchor = t.a['text-anchor'] ?? 'start'
  let dy = 0
  for (const line of t.lines) {
    dy += line.dy
    const s = line.s
    if (!s.trim()) continue
    const w = textWidth(s, size, bold)
    const x0 = anchor === 'middle' ? -w / 2 : anchor === 'end' ? -w : 0
    const corners = [apply(t.m, x0, dy - ASCENT * size), apply(t.m, x0 + w, dy - ASCENT * size), apply(t.m, x0, dy + DESCENT * size), apply(t.m, x0 + w, dy + DESCENT * size)]
    const box = {x0: Math.min(...corners.map((c) => c[0])), y0: Math.min(...corners.map((c) => c[1])), x1: Math.max(...corners.map((c) => c[0])), y1: Math.max(...corners.map((c) => c[1]))}
    out.texts.push({text: s, box, size, role: t.role, axis: t.axis})
    if (t.axis !== null && t.role === 'axis-label') out.axes[t.axis].labels.push(s)
    if (t.role === 'title-text') out.title += s
    if (t.role === 'title-subtitle') out.subtitle.push(s)
  }
}

const intersect = (a: Box, b: Box) => ({w: Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), h: Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0)})

/** A number as a tick label shows it ("0.4", "10", "1k", "2M"). */
function labelValue(s: string): number {
  const m = /^(-?[\d.]+(?:e[+-]?\d+)?)\s*([kMGT]?)$/.exec(s.trim().replace(/−/g, '-').replace(/,/g, ''))
  if (!m) return NaN
  return Number(m[1]) * ({'': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12} as Record<string, number>)[m[2]]
}

export interface QualityOptions {
  /** The chart holds latency or throughput: its subtitle must say device, EP, threads and dtype. */
  latency?: boolean
  /** Panels with their own scales on purpose (e.g. one per dataset): skip the shared-scale rule. */
  independentPanels?: boolean
}

/** Every rule a chart breaks, one line each (empty when it passes). */
export function qualityProblems(c: SvgChart, opts: QualityOptions = {}): string[] {
  const problems: string[] = []
  for (const a of c.axes) {
    const name = `${a.orient}-axis "${a.title ?? ''}"`
    if (!a.title) problems.push(`${a.orient}-axis has no title`)
    else if (!/\([^)]+\)/.test(a.title)) problems.push(`${name}: title has no unit in parentheses`)
    const dup = a.labels.filter((l, i) => a.labels.indexOf(l) !== i)
    if (dup.length) problems.push(`${name}: duplicate tick labels ${[...new Set(dup)].join(', ')}`)
    if (a.scale === 'log' && a.domain) {
      const values = a.labels.map(labelValue)
      for (let k = Math.ceil(Math.log10(a.domain[0]) - 1e-9); 10 ** k <= a.domain[1] * (1 + 1e-9); k++) {
        if (!values.some((v) => Math.abs(v / 10 ** k - 1) < 1e-6)) problems.push(`${name}: log axis from ${a.domain[0]} to ${a.domain[1]} has no label at ${10 ** k}`)
      }
    }
    if (a.orient === 'X' && c.frames.length && a.labels.length) {
      // The axis line sits on the bottom edge of a plot frame (not floating below it).
      const onFrame = c.frames.some((f) => Math.abs(a.origin[1] - f.y1) <= 1.5 && a.origin[0] >= f.x0 - 1.5 && a.origin[0] <= f.x1)
      if (!onFrame) problems.push(`${name}: axis line at y=${a.origin[1].toFixed(1)} is not on the bottom edge of a plot`)
    }
  }
  const texts = c.texts.filter((t) => t.text.trim())
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const o = intersect(texts[i].box, texts[j].box)
      if (o.w > 1 && o.h > 1) problems.push(`text "${texts[i].text}" (${texts[i].role}) overlaps "${texts[j].text}" (${texts[j].role}) by ${o.w.toFixed(1)}×${o.h.toFixed(1)} px`)
    }
  }
  if (opts.latency) {
    const sub = c.subtitle.join(' ')
    for (const k of ['device', 'EP', 'threads', 'dtype']) if (!new RegExp(`\\b${k}\\b`).test(sub)) problems.push(`latency chart subtitle does not say ${k}: "${sub}"`)
  }
  if (!opts.independentPanels) {
    const byTitle = new Map<string, SvgAxis[]>()
    for (const a of c.axes) if (a.domain && a.title) byTitle.set(`${a.orient}|${a.title}`, [...(byTitle.get(`${a.orient}|${a.title}`) ?? []), a])
    for (const [k, as] of byTitle) {
      const d = new Set(as.map((a) => a.domain!.map((v) => v.toPrecision(6)).join('–')))
      if (d.size > 1) problems.push(`panels meant to be compared have different ${k.split('|')[0]} scales "${k.split('|')[1]}": ${[...d].join(', ')}`)
    }
  }
  return problems
}
