/**
 * Architecture as data. A base network (unscaled), a scaling rule and a point are plain,
 * JSON-serialisable values; everything effscale prints is derived from them by the one
 * lowering in lower.ts.
 */

export const ACTIVATIONS = ['swish', 'relu', 'relu6', 'hardswish', 'gelu'] as const
export type Activation = (typeof ACTIVATIONS)[number]

/** Inverted residual (MobileNetV2 / EfficientNet MBConv): expand 1x1, depthwise kxk, optional SE, project 1x1. */
export interface MBConvStage {
  block: 'mbconv'
  repeats: number
  kernel: number
  /** Stride of the first block of the stage; repeats use stride 1. */
  stride: number
  expand: number
  /** Squeeze-excite ratio (0 = none); SE width = max(1, floor(block input channels × ratio)). */
  se: number
  out: number
}

/** Depthwise-separable block (MobileNetV1): depthwise kxk + pointwise 1x1. */
export interface DWSepStage {
  block: 'dwsep'
  repeats: number
  kernel: number
  stride: number
  out: number
}

/** ResNet bottleneck (v1.5: stride on the 3x3): 1x1 → mid, 3x3 mid, 1x1 → out, projection shortcut when shapes change. */
export interface BottleneckStage {
  block: 'bottleneck'
  repeats: number
  stride: number
  mid: number
  out: number
}

/**
 * Fused-MBConv (EfficientNetV2): expand kxk (strided) + project 1x1; with expand 1 one kxk conv
 * with activation. Expanded width = make-divisible(input × expand, divisor), as torchvision.
 */
export interface FusedMBConvStage {
  block: 'fused-mbconv'
  repeats: number
  kernel: number
  stride: number
  expand: number
  out: number
}

/**
 * MobileNetV3 inverted residual: the expanded width is given in channels (scaled and made
 * divisible like any layer), the block's own activation, and an optional SE with a hard-sigmoid
 * gate whose squeeze width is make-divisible(expanded / 4, divisor).
 */
export interface MBConv3Stage {
  block: 'mbconv3'
  repeats: number
  kernel: number
  stride: number
  expanded: number
  se: boolean
  act: 'relu' | 'hardswish'
  out: number
}

/**
 * RegNet X/Y residual bottleneck: 1x1 → w_b = round(out × bottleneck), 3x3 group conv with
 * groups = w_b / groupWidth, optional SE (squeeze = round(se × block input channels)), 1x1 → out,
 * projection shortcut when shapes change, activation after the add.
 */
export interface RegNetStage {
  block: 'regnet'
  repeats: number
  stride: number
  groupWidth: number
  bottleneck: number
  se: number
  out: number
}

/**
 * ConvNeXt block: depthwise kxk (bias), LayerNorm, channel MLP out → expand × out → out (GELU),
 * layer scale, residual add. A stage with stride > 1 (or new width) starts with LayerNorm + a
 * stride × stride patch-merging conv.
 */
export interface ConvNeXtStage {
  block: 'convnext'
  repeats: number
  stride: number
  kernel: number
  expand: number
  out: number
}

export type StageSpec = MBConvStage | DWSepStage | BottleneckStage | FusedMBConvStage | MBConv3Stage | RegNetStage | ConvNeXtStage
export type BlockKind = StageSpec['block']

export interface StemSpec {
  out: number
  kernel: number
  stride: number
  /** ResNet's stem max-pool after the stem convolution. */
  maxpool?: {kernel: number; stride: number}
  /**
   * 'conv' (default): conv + BN + the base's activation, padding (k − 1) / 2. 'patchify'
   * (ConvNeXt): conv with bias and no padding, then LayerNorm, no activation.
   */
  kind?: 'conv' | 'patchify'
}

/** Optional 1x1 conv + BN + activation before pooling: a fixed width, or a multiple of the last stage's. */
export type HeadSpec = {out: number} | {expand: number}

/** Between pooling and the final linear layer. */
export interface ClassifierSpec {
  /** A hidden linear layer (scaled like a channel count) with the base's activation (MobileNetV3). */
  hidden?: number
  /** LayerNorm on the pooled features (ConvNeXt). */
  norm?: 'layernorm'
}

export interface ScalingRule {
  /** Channels are rounded to a multiple of this (8 in the reference code). */
  divisor: number
  /** Never round down by more than this fraction: if rounded < (1 − x) × c × width, add one divisor. */
  maxRoundDown: number
  /** How repeats × depth becomes an integer (the reference code uses ceil). */
  depthRounding: 'ceil' | 'round' | 'floor'
  /** Whether the stem's channels scale with width. */
  scaleStem: boolean
  /** Head width: scaled like any layer, scaled only when width > 1 (MobileNetV2), or fixed. */
  head: 'scale' | 'scale-up-only' | 'fixed'
}

export interface BaseSpec {
  name: string
  description?: string
  /** Input resolution of the unscaled network, in pixels (square). */
  imageSize: number
  inputChannels: number
  numClasses: number
  activation: Activation
  stem: StemSpec
  stages: StageSpec[]
  head?: HeadSpec
  classifier?: ClassifierSpec
  /** Dropout rate before the classifier (no cost; carried into reports and ONNX). */
  dropout: number
  scaling: ScalingRule
}

/** A concrete scaling: multipliers plus the resolved image size. */
export interface Point {
  depth: number
  width: number
  /** imageSize / base imageSize. */
  resolution: number
  imageSize: number
}
