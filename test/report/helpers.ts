/** Shared by the report tests: paths, golden files, a minimal PNG decoder (the CLI runner is test/helpers/cli.ts). */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {inflateSync} from 'node:zlib'
import {PACKAGE_ROOT} from '../../src/paths.js'

export const ROOT = PACKAGE_ROOT
export const SWEEP_CPU = path.join(ROOT, 'fixtures/sweeps/sample-cpu')
export const SWEEP_UINT8 = path.join(ROOT, 'fixtures/sweeps/sample-cpu-uint8')
export const POINTS_CSV = path.join(ROOT, 'test/report/data/points.csv')
export const OUTPUT = path.join(ROOT, 'test-output', 'report')

export function outDir(name: string): string {
  const d = path.join(OUTPUT, name)
  mkdirSync(d, {recursive: true})
  return d
}

/** Numbers to 4 significant digits, so goldens show chart changes, not float noise. */
export function normalise(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(4))
  if (Array.isArray(v)) return v.map(normalise)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]))
  return v
}

/**
 * Compare with fixtures/golden/report/<name>.json. On mismatch write <name>-changed.json beside
 * it and return false; UPDATE_GOLDEN=1 rewrites the golden instead. A missing golden is written
 * locally (a new chart) but fails in CI, where it can only mean a golden was lost.
 */
export function matchesGolden(name: string, value: unknown): boolean {
  const dir = path.join(ROOT, 'fixtures/golden/report')
  const file = path.join(dir, `${name}.json`)
  const text = JSON.stringify(normalise(value), null, 2) + '\n'
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI && process.env.UPDATE_GOLDEN !== '1') return false
    mkdirSync(dir, {recursive: true})
    writeFileSync(file, text)
    return true
  }
  if (readFileSync(file, 'utf8') === text) return true
  writeFileSync(path.join(dir, `${name}-changed.json`), text)
  return false
}

export interface Image {
  width: number
  height: number
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array
}

/** Decode an 8-bit RGBA, non-interlaced PNG (what resvg writes). */
export function decodePng(buf: Buffer): Image {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG')
  let off = 8
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  while (off < buf.length) {
    const len = buf.readUInt32BE(off)
    const type = buf.toString('ascii', off + 4, off + 8)
    const body = buf.subarray(off + 8, off + 8 + len)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      if (body[8] !== 8 || body[9] !== 6 || body[12] !== 0) throw new Error('decoder handles 8-bit RGBA, non-interlaced PNGs only')
    }
    if (type === 'IDAT') idat.push(body)
    off += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 4
  const data = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? data[y * stride + x - 4] : 0
      const b = y > 0 ? data[(y - 1) * stride + x] : 0
      const c = x >= 4 && y > 0 ? data[(y - 1) * stride + x - 4] : 0
      const pred = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c)
      data[y * stride + x] = (line[x] + pred) & 0xff
    }
  }
  return {width, height, data}
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Pixels darker than `max` (mean of RGB, opaque) inside a rectangle. */
export function darkPixels(img: Image, x0: number, y0: number, x1: number, y1: number, max = 100): number {
  let n = 0
  for (let y = y0; y < Math.min(y1, img.height); y++) {
    for (let x = x0; x < Math.min(x1, img.width); x++) {
      const i = (y * img.width + x) * 4
      if (img.data[i + 3] > 200 && (img.data[i] + img.data[i + 1] + img.data[i + 2]) / 3 < max) n++
    }
  }
  return n
}
