import {UserError, unknownName} from '../errors.js'
import {BASES} from './bases.js'
import {resolvePoint, type PointInput} from './point.js'
import type {BaseSpec, Point} from './spec.js'
import {VARIANTS} from './variants.js'

/** What to cost: a named model, a base scaled by a point, or a user's base scaled by a point. */
export interface TargetInput extends PointInput {
  model?: string
  base?: string
  /** A user's base network, already parsed (see user-spec.ts). */
  spec?: BaseSpec
}

export interface Target {
  /** Readable name: "efficientnet-b3" or "efficientnet-b0 d=1.4 w=1.2 r=1.3". */
  label: string
  base: BaseSpec
  point: Point
}

export const MODEL_NAMES = Object.keys(VARIANTS)
export const BASE_NAMES = Object.keys(BASES)

export function baseByName(name: string): BaseSpec {
  const base = BASES[name]
  if (!base) throw unknownName('base', name, BASE_NAMES)
  return base
}

export function resolveTarget(input: TargetInput): Target {
  const given = (['model', 'base', 'spec'] as const).filter((k) => input[k] !== undefined)
  if (given.length === 0) throw new UserError('give one of --model, --base or --spec')
  if (given.length > 1) throw new UserError(`--${given[0]} conflicts with --${given[1]}: give one of them`)
  const pointInput: PointInput = {...input}
  if (input.model !== undefined) {
    const v = VARIANTS[input.model]
    if (!v) throw unknownName('model', input.model, MODEL_NAMES)
    const scaled = (['depth', 'width', 'resolution', 'imageSize', 'phi', 'alpha', 'beta', 'gamma'] as const).filter(
      (k) => input[k] !== undefined,
    )
    // A model that is its base at unit multipliers (mobilenet-v3-large, regnet-y-400mf…) scales as that base.
    const isItsBase = v.base === v.name && v.depth === 1 && v.width === 1 && v.imageSize === baseByName(v.base).imageSize
    if (scaled.length > 0 && isItsBase) {
      const base = baseByName(v.base)
      const point = resolvePoint(base, pointInput)
      return {label: pointLabel(base.name, point), base, point}
    }
    if (scaled.length > 0) {
      throw new UserError(`--model ${v.name} is a fixed point; to scale it use --base ${v.base} with --${flagName(scaled[0])}`)
    }
    const base = baseByName(v.base)
    return {label: v.name, base, point: resolvePoint(base, {depth: v.depth, width: v.width, imageSize: v.imageSize})}
  }
  const base = input.spec ?? baseByName(input.base!)
  const point = resolvePoint(base, pointInput)
  return {label: pointLabel(base.name, point), base, point}
}

export function pointLabel(baseName: string, p: Point): string {
  const parts = [
    p.depth !== 1 && `d=${round(p.depth)}`,
    p.width !== 1 && `w=${round(p.width)}`,
    p.resolution !== 1 && `r=${round(p.resolution)}`,
  ].filter(Boolean)
  return parts.length ? `${baseName} ${parts.join(' ')}` : baseName
}

const round = (x: number) => Number(x.toFixed(3))
const flagName = (k: string) => (k === 'imageSize' ? 'image-size' : k)
