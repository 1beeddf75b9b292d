/**
 * Sweep grids: pure lists of points to measure. Figure 3 (one dimension at a time), Figure 4
 * (width under fixed depth and resolution), compound φ, named variants; each crossed with
 * batch sizes, one dtype and one input layout. Order is deterministic: shards and gridId
 * depend on it.
 */
import {createHash} from 'node:crypto'
import {baseByName, pointLabel, resolveTarget} from '../arch/target.js'
import {PAPER_COEFFICIENTS} from '../arch/point.js'
import {FAST_ALPHA, multipliersAt} from '../arch/strategies.js'
import {PAPER_FAMILY} from '../arch/variants.js'
import {UserError} from '../errors.js'
import {EMIT_DTYPES, EMIT_INPUTS} from '../onnx/emit.js'

/** What the emitter can build (emit.ts owns the lists). */
export const DTYPES = EMIT_DTYPES
export type Dtype = (typeof DTYPES)[number]
export const INPUTS = EMIT_INPUTS
export type InputLayout = (typeof INPUTS)[number]
export const DIMS = ['width', 'depth', 'resolution', 'figure4', 'compound', 'fast'] as const
export type Dim = (typeof DIMS)[number]

/** The paper's Figure 3 grids (multipliers of B0). */
export const FIGURE3 = {
  width: [1.0, 1.4, 1.8, 2.6, 3.8, 5.0],
  depth: [1, 2, 3, 4, 6, 8],
  resolution: [1.0, 1.3, 1.5, 1.7, 1.9, 2.2, 2.5],
} as const
/** Figure 4: width scaled under these (depth, resolution) pairs. */
export const FIGURE4_PAIRS: ReadonlyArray<readonly [number, number]> = [[1, 1], [1, 1.3], [2, 1], [2, 1.3]]

/** A point before batch/dtype/input are applied. */
export interface Shape0 {
  grid: string
  /** Readable label: "efficientnet-b3", "efficientnet-b0 w=1.4", "efficientnet-b0 φ=2". */
  model: string
  base: string
  depth: number
  width: number
  resolution: number
  imageSize: number
  phi: number | null
}

export interface GridPoint extends Shape0 {
  key: string
  batch: number
  dtype: Dtype
  input: InputLayout
  /** A user's ONNX file (sweep --onnx; onnx-grid.ts), instead of an emitted network. */
  onnx?: {file: string; given: string; inputShape: number[]; macs: number; params: number}
}

export interface Grid {
  /** Hash of the ordered point keys: same grid ⇒ same id (resume and merge check it). */
  id: string
  points: GridPoint[]
}

export interface GridSpec {
  base?: string
  dims?: Dim[]
  /** Compound φ = 0…phiMax. */
  phiMax?: number
  models?: string[]
  /** Explicit points (a user grid file); see grid-file.ts. */
  points?: Shape0[]
  batches: number[]
  dtype: Dtype
  input: InputLayout
}

const r4 = (x: number) => Number(x.toFixed(4))

/** One point of a base: multipliers (resolution × base image size, or an explicit image size). */
export function scaled(
  grid: string,
  baseName: string,
  m: {depth?: number; width?: number; resolution?: number; imageSize?: number; phi?: number},
): Shape0 {
  // A fast point carries its φ as a label only: its multipliers are explicit, not α^φ.
  const {phi, ...explicit} = m
  const t = resolveTarget({base: baseName, ...(grid === 'fast' ? explicit : m)})
  const label = phi === undefined ? pointLabel(baseName, t.point) : `${baseName} ${grid === 'fast' ? 'fast ' : ''}φ=${phi}`
  const {depth, width, resolution, imageSize} = t.point
  return {grid, model: label, base: baseName, depth: r4(depth), width: r4(width), resolution: r4(resolution), imageSize, phi: m.phi ?? null}
}

export function variant(name: string): Shape0 {
  const t = resolveTarget({model: name})
  const {depth, width, resolution, imageSize} = t.point
  return {grid: 'variant', model: name, base: t.base.name, depth, width, resolution: r4(resolution), imageSize, phi: null}
}

/** Figure 3/4 and compound shapes of one base. */
export function dimShapes(baseName: string, dims: readonly Dim[], phiMax = 7): Shape0[] {
  baseByName(baseName)
  const out: Shape0[] = []
  for (const dim of dims) {
    if (dim === 'width') out.push(...FIGURE3.width.map((width) => scaled('width', baseName, {width})))
    else if (dim === 'depth') out.push(...FIGURE3.depth.map((depth) => scaled('depth', baseName, {depth})))
    else if (dim === 'resolution') out.push(...FIGURE3.resolution.map((resolution) => scaled('resolution', baseName, {resolution})))
    else if (dim === 'figure4') {
      for (const [depth, resolution] of FIGURE4_PAIRS) {
        const g = `width@d${depth}r${resolution}`
        out.push(...FIGURE3.width.map((width) => scaled(g, baseName, {depth, width, resolution})))
      }
    } else if (dim === 'compound') {
      for (let phi = 0; phi <= phiMax; phi++) out.push(scaled('compound', baseName, {phi, ...PAPER_COEFFICIENTS}))
    } else {
      // Fast dWr(0.8) at the compound family's ideal MACs per φ, so the two grids pair up.
      const {alpha, beta, gamma} = PAPER_COEFFICIENTS
      const step = alpha * beta ** 2 * gamma ** 2
      for (let phi = 0; phi <= phiMax; phi++) out.push(scaled('fast', baseName, {...multipliersAt({kind: 'fast', alpha: FAST_ALPHA}, step ** phi), phi}))
    }
  }
  return out
}

export function pointKey(s: Shape0, batch: number, dtype: Dtype, input: InputLayout): string {
  return [s.grid, s.model, `d=${s.depth}`, `w=${s.width}`, `s=${s.imageSize}`, `b=${batch}`, dtype, input].join('|')
}

/** Identity of what is measured (same network, batch, dtype, input): shared across grids. */
export function measureKey(p: GridPoint): string {
  if (p.onnx) return ['onnx', p.onnx.file, p.onnx.inputShape.join('x')].join('|')
  return [p.base, p.depth, p.width, p.imageSize, p.batch, p.dtype, p.input].join('|')
}

export function gridId(keys: readonly string[]): string {
  return createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16)
}

export function buildGrid(spec: GridSpec): Grid {
  if (spec.batches.length === 0) throw new UserError('--batch: give at least one batch size')
  for (const b of spec.batches) {
    if (!Number.isInteger(b) || b <= 0) throw new UserError(`--batch must be whole numbers > 0, got ${b}`)
  }
  const shapes: Shape0[] = [
    ...(spec.dims?.length ? dimShapes(spec.base ?? 'efficientnet-b0', spec.dims, spec.phiMax) : []),
    ...(spec.models ?? []).map(variant),
    ...(spec.points ?? []),
  ]
  if (shapes.length === 0) throw new UserError('the grid is empty: give --dims, --models or a --grid file with points')
  const points: GridPoint[] = []
  const seen = new Set<string>()
  for (const s of shapes) {
    for (const batch of spec.batches) {
      const key = pointKey(s, batch, spec.dtype, spec.input)
      if (seen.has(key)) continue
      seen.add(key)
      points.push({...s, key, batch, dtype: spec.dtype, input: spec.input})
    }
  }
  return {id: gridId(points.map((p) => p.key)), points}
}

/** Embedded default for a GPU: the full Figure 3 grids of B0 and B0–B7. */
export function gpuDefault(batches = [1, 64], dtype: Dtype = 'fp32', input: InputLayout = 'float32-nchw'): GridSpec {
  return {base: 'efficientnet-b0', dims: ['width', 'depth', 'resolution'], models: PAPER_FAMILY, batches, dtype, input}
}

/** CPU default base image size: low, so the default grid finishes in < 60 s on 2 cores. */
export const CPU_IMAGE = 128

/**
 * Embedded default for a CPU: the Figure 3 grids of B0 at a 128 px base (resolution
 * multipliers apply to 128 px), widths up to 3.8, plus B0–B2 at their own sizes; batch 1.
 */
export function cpuDefault(batches = [1], dtype: Dtype = 'fp32', input: InputLayout = 'float32-nchw'): GridSpec {
  const b = 'efficientnet-b0'
  const points = [
    ...FIGURE3.width.filter((w) => w <= 3.8).map((width) => scaled('width', b, {width, imageSize: CPU_IMAGE})),
    ...FIGURE3.depth.map((depth) => scaled('depth', b, {depth, imageSize: CPU_IMAGE})),
    ...FIGURE3.resolution.map((r) => scaled('resolution', b, {imageSize: Math.round(CPU_IMAGE * r)})),
    ...PAPER_FAMILY.slice(0, 3).map(variant),
  ]
  return {points, batches, dtype, input}
}

/** "k/n" → [k, n] with 1 ≤ k ≤ n. */
export function parseShard(text: string): {k: number; n: number} {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const k = m ? Number(m[1]) : NaN
  const n = m ? Number(m[2]) : NaN
  if (!m || n < 1 || k < 1 || k > n) throw new UserError(`--shard must be k/n with 1 ≤ k ≤ n, got "${text}"`)
  return {k, n}
}

/** Shard k of n: points whose index ≡ k − 1 (mod n). Deterministic; shards partition the grid. */
export function shardPoints<T>(points: readonly T[], shard: {k: number; n: number}): T[] {
  return points.filter((_, i) => i % shard.n === shard.k - 1)
}
