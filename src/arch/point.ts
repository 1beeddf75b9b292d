import {UserError} from '../errors.js'
import {BLOCKS} from './blocks.js'
import {scaleRepeats} from './scaling.js'
import type {BaseSpec, Point} from './spec.js'

/** The paper's compound coefficients for EfficientNet (α · β² · γ² ≈ 2). */
export const PAPER_COEFFICIENTS = {alpha: 1.2, beta: 1.1, gamma: 1.15} as const

export interface Compound {
  phi: number
  alpha: number
  beta: number
  gamma: number
}

/** What a user may say about a point; every field optional. */
export interface PointInput {
  depth?: number
  width?: number
  /** Multiplier of the base image size. */
  resolution?: number
  /** Image size in pixels (instead of resolution). */
  imageSize?: number
  phi?: number
  alpha?: number
  beta?: number
  gamma?: number
}

/** Largest multiplier accepted; beyond it a typo is likelier than a model. */
export const MAX_MULTIPLIER = 100

export function checkMultiplier(name: string, value: number, {allowZero = false} = {}): void {
  if (!Number.isFinite(value)) throw new UserError(`${name} must be a finite number, got ${value}`)
  if (value < 0 || (!allowZero && value === 0)) throw new UserError(`${name} must be > 0, got ${value}`)
  if (value > MAX_MULTIPLIER) throw new UserError(`${name} ${value} is absurd (> ${MAX_MULTIPLIER})`)
}

/** Multipliers of compound scaling: d = α^φ, w = β^φ, r = γ^φ. */
export function compoundMultipliers({phi, alpha, beta, gamma}: Compound): {depth: number; width: number; resolution: number} {
  return {depth: alpha ** phi, width: beta ** phi, resolution: gamma ** phi}
}

/** Smallest image that still leaves a feature map after every stride of the base. */
export function minImageSize(base: BaseSpec): number {
  let s = base.stem.stride * (base.stem.maxpool?.stride ?? 1)
  for (const st of base.stages) s *= st.stride
  return s
}

/** Resolve user input against a base into a concrete, validated point. */
export function resolvePoint(base: BaseSpec, input: PointInput): Point {
  const usesCompound = input.phi !== undefined || input.alpha !== undefined || input.beta !== undefined || input.gamma !== undefined
  if (usesCompound) {
    for (const k of ['depth', 'width', 'resolution', 'imageSize'] as const) {
      if (input[k] !== undefined) {
        const flag = k === 'imageSize' ? 'image-size' : k
        throw new UserError(`--phi/--alpha/--beta/--gamma conflict with --${flag}: give a compound point or explicit multipliers, not both`)
      }
    }
    if (input.phi === undefined) throw new UserError('--alpha/--beta/--gamma need --phi')
  }
  if (input.resolution !== undefined && input.imageSize !== undefined) {
    throw new UserError('--resolution conflicts with --image-size: give one of them')
  }

  let {depth = 1, width = 1, resolution} = input
  if (usesCompound) {
    const c = {...PAPER_COEFFICIENTS, ...definedOnly(input)} as Compound
    checkMultiplier('--phi', c.phi, {allowZero: true})
    for (const k of ['alpha', 'beta', 'gamma'] as const) {
      checkMultiplier(`--${k}`, c[k])
      if (c[k] < 1) throw new UserError(`--${k} must be ≥ 1 (compound scaling never shrinks a dimension), got ${c[k]}`)
    }
    ;({depth, width, resolution} = compoundMultipliers(c))
  }
  checkMultiplier('--depth', depth)
  checkMultiplier('--width', width)
  let imageSize: number
  if (input.imageSize !== undefined) {
    imageSize = input.imageSize
    if (!Number.isInteger(imageSize)) throw new UserError(`--image-size must be a whole number of pixels, got ${imageSize}`)
    resolution = imageSize / base.imageSize
  } else {
    resolution ??= 1
    checkMultiplier('--resolution', resolution)
    imageSize = Math.round(base.imageSize * resolution)
  }
  const min = minImageSize(base)
  if (!(imageSize >= min)) {
    throw new UserError(`image size ${imageSize} px is too small for ${base.name}: its strides need at least ${min} px`)
  }
  if (imageSize > base.imageSize * MAX_MULTIPLIER) {
    throw new UserError(`image size ${imageSize} px is absurd (> ${MAX_MULTIPLIER} × ${base.imageSize})`)
  }
  checkStages(base, depth, width)
  const ops = opsBound(base, depth)
  if (ops > MAX_OPS) {
    const what = depth !== 1 ? `--depth ${depth}` : base.name
    throw new UserError(`${what}: ${base.name} would lower to up to ${ops.toLocaleString('en-US')} ops, over the cap of ${MAX_OPS.toLocaleString('en-US')}`)
  }
  return {depth, width, resolution, imageSize}
}

/**
 * Most ops a network may lower to. Real ones have hundreds (B0 ≈ 140, EfficientNetV2-L ≈ 620);
 * B0 at d = 100 has ≈ 13,000. The cap keeps a typo or a bomb from lowering, emitting or running.
 */
export const MAX_OPS = 200_000

/** Ops a base lowers to at depth d, bounded from above without lowering (repeats × ops per block). */
export function opsBound(base: BaseSpec, depth: number): number {
  let ops = 8 // stem, pooling, head and classifier
  for (const st of base.stages) ops += scaleRepeats(st.repeats, depth, base.scaling) * BLOCKS[st.block].maxOps
  return ops
}

/**
 * A multiplier that rounds a stage to nothing is refused, naming the stage: channels × w below
 * one half (the divisor floor would hide it as a network that is no longer width-scaled), or
 * repeats × d rounding to 0 blocks under a 'floor' or 'round' rule.
 */
function checkStages(base: BaseSpec, depth: number, width: number): void {
  base.stages.forEach((st, i) => {
    if (Math.round(st.out * width) < 1) {
      throw new UserError(`--width ${width}: stage${i + 1} would have ${st.out} × ${width} ≈ 0 channels`)
    }
    const r = base.scaling.depthRounding
    const raw = st.repeats * depth
    if ((r === 'floor' ? Math.floor(raw + 1e-9) : r === 'round' ? Math.round(raw) : Math.ceil(raw - 1e-9)) < 1) {
      throw new UserError(`--depth ${depth}: stage${i + 1} would have 0 blocks (${st.repeats} × ${depth}, rounded by '${r}')`)
    }
  })
}

function definedOnly(o: PointInput): Partial<Compound> {
  const out: Partial<Compound> = {}
  for (const k of ['phi', 'alpha', 'beta', 'gamma'] as const) if (o[k] !== undefined) out[k] = o[k]
  return out
}
