/**
 * Model names → effscale points (costing them is resolve.ts). Names come from the paper, from
 * users' CSVs and from timm's results files.
 */
import {BASES} from '../arch/bases.js'
import {pointId} from '../arch/point-id.js'
import {VARIANTS} from '../arch/variants.js'

/** A base scaled by multipliers; image size in pixels or a resolution multiplier. */
export interface PointRef {
  base: string
  depth: number
  width: number
  imageSize?: number
  resolution?: number
}

/** timm / torchvision name patterns (pretrained tag after "." ignored) → base and width. */
const NAME_RULES: Array<[RegExp, (m: RegExpExecArray) => PointRef | undefined]> = [
  [/^(?:tf_)?efficientnet_(b[0-8]|l2)$/, (m) => fromVariant(`efficientnet-${m[1]}`)],
  [/^mobilenetv2_(\d{3})$/, (m) => scaledBase('mobilenet-v2', Number(m[1]) / 100)],
  [/^mobilenetv1_(\d{3})$/, (m) => scaledBase('mobilenet-v1', Number(m[1]) / 100)],
  [/^mobilenet_v([12])$/, (m) => scaledBase(`mobilenet-v${m[1]}`, 1)],
  [/^resnet_?50$/, () => scaledBase('resnet-50', 1)],
]

function fromVariant(name: string): PointRef | undefined {
  const v = VARIANTS[name]
  return v && {base: v.base, depth: v.depth, width: v.width, imageSize: v.imageSize}
}

const scaledBase = (base: string, width: number): PointRef => ({base, depth: 1, width, imageSize: BASES[base].imageSize})

/**
 * The point a model name stands for, or undefined when effscale cannot build it. The image
 * size is the variant's own unless the caller knows the evaluated size.
 */
export function pointForName(name: string): PointRef | undefined {
  const plain = name.trim().toLowerCase().split('.')[0]
  const own = fromVariant(plain)
  if (own) return own
  for (const [re, make] of NAME_RULES) {
    const m = re.exec(plain)
    if (m) return make(m)
  }
  return undefined
}

export const isBase = (name: string): boolean => name in BASES

/** Join key of a point across accuracy tables and sweeps: the arch's pointId. */
export function pointKey(base: string, depth: number, width: number, imageSize: number): string {
  return pointId(base, {depth, width, imageSize})
}
