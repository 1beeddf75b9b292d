import type {ScalingRule} from './spec.js'

/**
 * Scale a channel count by `width` and round to a multiple of the divisor, never going below the
 * divisor and never rounding down by more than rule.maxRoundDown (tensorflow/tpu round_filters,
 * torchvision _make_divisible). Float arithmetic mirrors Python's so results are bit-identical.
 */
export function scaleChannels(channels: number, width: number, rule: ScalingRule): number {
  return makeDivisible(channels * width, rule.divisor, rule.maxRoundDown)
}

/** Round v to a multiple of d (at least d), never down by more than maxRoundDown (torchvision _make_divisible). */
export function makeDivisible(v: number, d: number, maxRoundDown = 0.1): number {
  let rounded = Math.max(d, Math.floor((v + d / 2) / d) * d)
  if (rounded < (1 - maxRoundDown) * v) rounded += d
  return rounded
}

/** Python's round(): halves go to the even neighbour (RegNet's widths are computed so). */
export function pyRound(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** Products within this of an integer are that integer: 1.1 × 10 must not become 12 blocks. */
const FLOAT_NOISE = 1e-9

/** Scale a stage's repeats by `depth` (reference: ceil). */
export function scaleRepeats(repeats: number, depth: number, rule: ScalingRule): number {
  const raw = repeats * depth
  const v = Math.abs(raw - Math.round(raw)) < FLOAT_NOISE ? Math.round(raw) : raw
  const n = rule.depthRounding === 'ceil' ? Math.ceil(v) : rule.depthRounding === 'floor' ? Math.floor(v) : Math.round(v)
  return Math.max(1, n)
}

/** Head width under the rule's head policy. */
export function scaleHead(channels: number, width: number, rule: ScalingRule): number {
  switch (rule.head) {
    case 'scale':
      return scaleChannels(channels, width, rule)
    case 'scale-up-only':
      return scaleChannels(channels, Math.max(1, width), rule)
    case 'fixed':
      return channels
  }
}
