/**
 * Constant folding of small tensors (≤ MAX_FOLD elements) in row-major order: the n-d index
 * arithmetic behind Transpose, Slice, Gather, Concat, Expand, Tile and broadcasting, so shape
 * arithmetic (Shape → Gather → Mod → Concat → Pad/Reshape, as Swin and MaxViT export it)
 * resolves to numbers.
 */
import {MAX_FOLD, numel, type Value} from './values.js'

export const stridesOf = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length)
  for (let i = shape.length - 1, acc = 1; i >= 0; i--) {
    s[i] = acc
    acc *= shape[i]
  }
  return s
}

export const unravel = (i: number, shape: readonly number[]): number[] => {
  const c = new Array<number>(shape.length)
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = shape[d] === 0 ? 0 : i % shape[d]
    i = shape[d] === 0 ? 0 : Math.floor(i / shape[d])
  }
  return c
}

/** Data of `v` read at output coordinates, broadcasting size-1 (and missing leading) dims. */
export function broadcastReader(v: Value, outShape: readonly number[]): (coords: number[]) => number {
  const off = outShape.length - v.shape.length
  const st = stridesOf(v.shape)
  const data = v.data!
  return (c) => {
    let k = 0
    for (let d = 0; d < v.shape.length; d++) k += (v.shape[d] === 1 ? 0 : c[d + off]) * st[d]
    return data[k]
  }
}

/** Fold `f` over output coordinates when every input has data and the output is small. */
export function foldEach(shape: number[], inputs: Value[], f: (xs: number[]) => number): number[] | undefined {
  const n = numel(shape)
  if (n > MAX_FOLD || !inputs.every((v) => v.data)) return undefined
  const readers = inputs.map((v) => broadcastReader(v, shape))
  return Array.from({length: n}, (_, i) => {
    const c = unravel(i, shape)
    return f(readers.map((r) => r(c)))
  })
}

/** Data at output coordinates mapped to input coordinates (Transpose, Slice, Gather, Tile, …). */
export function foldMap(shape: number[], x: Value, toInput: (c: number[]) => number[]): number[] | undefined {
  const n = numel(shape)
  if (n > MAX_FOLD || !x.data) return undefined
  const st = stridesOf(x.shape)
  return Array.from({length: n}, (_, i) => {
    const c = toInput(unravel(i, shape))
    return x.data![c.reduce((k, ci, d) => k + ci * st[d], 0)]
  })
}

export const withData = (shape: number[], dtype: number, data: number[] | undefined): Value => (data ? {shape, dtype, data} : {shape, dtype})
