/**
 * Width of a label in the bundled DejaVu Sans, from the font's own advance widths (the TTF's
 * cmap and hmtx tables): what resvg draws in the PNGs and what a browser with DejaVu draws in
 * report.html. Used to keep labels from overlapping; kerning is ignored (a pixel or two).
 */
import {readFileSync} from 'node:fs'
import {FONT_FILES} from './render.js'

interface Metrics {
  unitsPerEm: number
  /** Ascender and descender (descender negative), in font units. */
  ascender: number
  descender: number
  advance: (codePoint: number) => number
}

const cache = new Map<string, Metrics>()

function readMetrics(file: string): Metrics {
  const hit = cache.get(file)
  if (hit) return hit
  const buf = readFileSync(file)
  const tables = new Map<string, number>()
  for (let i = 0; i < buf.readUInt16BE(4); i++) tables.set(buf.toString('latin1', 12 + 16 * i, 16 + 16 * i), buf.readUInt32BE(12 + 16 * i + 8))
  const at = (tag: string) => {
    const o = tables.get(tag)
    if (o === undefined) throw new Error(`${file}: no ${tag} table`)
    return o
  }
  const head = at('head')
  const hhea = at('hhea')
  const hmtx = at('hmtx')
  const unitsPerEm = buf.readUInt16BE(head + 18)
  const metricsCount = buf.readUInt16BE(hhea + 34)
  const advanceOf = (glyph: number) => buf.readUInt16BE(hmtx + 4 * Math.min(glyph, metricsCount - 1))
  const glyphOf = cmap4(buf, at('cmap'))
  const m: Metrics = {
    unitsPerEm,
    ascender: buf.readInt16BE(hhea + 4),
    descender: buf.readInt16BE(hhea + 6),
    advance: (cp) => advanceOf(glyphOf(cp)),
  }
  cache.set(file, m)
  return m
}

/** The format-4 (Unicode BMP) subtable of cmap as a code point → glyph function. */
function cmap4(buf: Buffer, cmap: number): (cp: number) => number {
  let sub = -1
  for (let i = 0; i < buf.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i
    const platform = buf.readUInt16BE(rec)
    const encoding = buf.readUInt16BE(rec + 2)
    const off = cmap + buf.readUInt32BE(rec + 4)
    if (buf.readUInt16BE(off) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) sub = off
  }
  if (sub < 0) throw new Error('no format-4 cmap')
  const segs = buf.readUInt16BE(sub + 6) / 2
  const ends = sub + 14
  const starts = ends + 2 * segs + 2
  const deltas = starts + 2 * segs
  const ranges = deltas + 2 * segs
  return (cp) => {
    if (cp > 0xffff) return 0
    for (let i = 0; i < segs; i++) {
      if (buf.readUInt16BE(ends + 2 * i) < cp) continue
      const start = buf.readUInt16BE(starts + 2 * i)
      if (start > cp) return 0
      const delta = buf.readInt16BE(deltas + 2 * i)
      const range = buf.readUInt16BE(ranges + 2 * i)
      if (range === 0) return (cp + delta) & 0xffff
      const g = buf.readUInt16BE(ranges + 2 * i + range + 2 * (cp - start))
      return g === 0 ? 0 : (g + delta) & 0xffff
    }
    return 0
  }
}

const fontFile = (bold: boolean) => FONT_FILES[bold ? 1 : 0]

/** Advance width of `text` at `size` px. */
export function textWidth(text: string, size: number, bold = false): number {
  const m = readMetrics(fontFile(bold))
  let units = 0
  for (const ch of text) units += m.advance(ch.codePointAt(0)!)
  return (units * size) / m.unitsPerEm
}

/** Ascent above and descent below the baseline at `size` px (both positive). */
export function textExtent(size: number, bold = false): {ascent: number; descent: number} {
  const m = readMetrics(fontFile(bold))
  return {ascent: (m.ascender * size) / m.unitsPerEm, descent: (-m.descender * size) / m.unitsPerEm}
}
