import {BASES} from './bases.js'
import type {BaseSpec} from './spec.js'

/** A named model: a base plus fixed multipliers and image size. */
export interface Variant {
  name: string
  base: string
  width: number
  depth: number
  imageSize: number
  dropout: number
}

/** The reference code's EfficientNet table (not exactly α^φ, β^φ, γ^φ). */
const EFFICIENTNET_TABLE: Array<[string, number, number, number, number]> = [
  ['b0', 1.0, 1.0, 224, 0.2],
  ['b1', 1.0, 1.1, 240, 0.2],
  ['b2', 1.1, 1.2, 260, 0.3],
  ['b3', 1.2, 1.4, 300, 0.3],
  ['b4', 1.4, 1.8, 380, 0.4],
  ['b5', 1.6, 2.2, 456, 0.4],
  ['b6', 1.8, 2.6, 528, 0.5],
  ['b7', 2.0, 3.1, 600, 0.5],
  ['b8', 2.2, 3.6, 672, 0.5],
  ['l2', 4.3, 5.3, 800, 0.5],
]

export const VARIANTS: Record<string, Variant> = Object.fromEntries([
  ...EFFICIENTNET_TABLE.map(([id, width, depth, imageSize, dropout]) => [
    `efficientnet-${id}`,
    {name: `efficientnet-${id}`, base: 'efficientnet-b0', width, depth, imageSize, dropout},
  ]),
  ...Object.values(BASES)
    .filter((b) => b.name !== 'efficientnet-b0')
    .map((b: BaseSpec) => [
      b.name,
      {name: b.name, base: b.name, width: 1, depth: 1, imageSize: b.imageSize, dropout: b.dropout},
    ]),
])

/** EfficientNet-B0…B7: the family of the paper's Table 2. */
export const PAPER_FAMILY = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'].map((id) => `efficientnet-${id}`)
