import type {BaseSpec, ScalingRule} from './spec.js'

/** The reference code's rule (tensorflow/tpu efficientnet round_filters / round_repeats; torchvision matches). */
export const REFERENCE_RULE: ScalingRule = {
  divisor: 8,
  maxRoundDown: 0.1,
  depthRounding: 'ceil',
  scaleStem: true,
  head: 'scale',
}

/** Paper Table 1; TF block strings r1_k3_s11_e1_i32_o16_se0.25 … r1_k3_s11_e6_i192_o320_se0.25. */
export const EFFICIENTNET_B0: BaseSpec = {
  name: 'efficientnet-b0',
  description: 'EfficientNet-B0 (Tan & Le 2019, Table 1)',
  imageSize: 224,
  inputChannels: 3,
  numClasses: 1000,
  activation: 'swish',
  stem: {out: 32, kernel: 3, stride: 2},
  stages: [
    {block: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 1, se: 0.25, out: 16},
    {block: 'mbconv', repeats: 2, kernel: 3, stride: 2, expand: 6, se: 0.25, out: 24},
    {block: 'mbconv', repeats: 2, kernel: 5, stride: 2, expand: 6, se: 0.25, out: 40},
    {block: 'mbconv', repeats: 3, kernel: 3, stride: 2, expand: 6, se: 0.25, out: 80},
    {block: 'mbconv', repeats: 3, kernel: 5, stride: 1, expand: 6, se: 0.25, out: 112},
    {block: 'mbconv', repeats: 4, kernel: 5, stride: 2, expand: 6, se: 0.25, out: 192},
    {block: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 6, se: 0.25, out: 320},
  ],
  head: {out: 1280},
  dropout: 0.2,
  scaling: REFERENCE_RULE,
}

/** Sandler et al. 2018 (torchvision mobilenet_v2): t, c, n, s rows; head 1280 never scaled below 1. */
export const MOBILENET_V2: BaseSpec = {
  name: 'mobilenet-v2',
  description: 'MobileNetV2 1.0 (Sandler et al. 2018)',
  imageSize: 224,
  inputChannels: 3,
  numClasses: 1000,
  activation: 'relu6',
  stem: {out: 32, kernel: 3, stride: 2},
  stages: [
    {block: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 1, se: 0, out: 16},
    {block: 'mbconv', repeats: 2, kernel: 3, stride: 2, expand: 6, se: 0, out: 24},
    {block: 'mbconv', repeats: 3, kernel: 3, stride: 2, expand: 6, se: 0, out: 32},
    {block: 'mbconv', repeats: 4, kernel: 3, stride: 2, expand: 6, se: 0, out: 64},
    {block: 'mbconv', repeats: 3, kernel: 3, stride: 1, expand: 6, se: 0, out: 96},
    {block: 'mbconv', repeats: 3, kernel: 3, stride: 2, expand: 6, se: 0, out: 160},
    {block: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 6, se: 0, out: 320},
  ],
  head: {out: 1280},
  dropout: 0.2,
  scaling: {...REFERENCE_RULE, head: 'scale-up-only'},
}

/**
 * Howard et al. 2017: conv 3x3/2 then 13 depthwise-separable blocks, pool, FC. Blocks are grouped
 * into stages at each stride-2 block (as MobileNetV2 is), so depth scaling repeats whole stages.
 */
export const MOBILENET_V1: BaseSpec = {
  name: 'mobilenet-v1',
  description: 'MobileNetV1 1.0 (Howard et al. 2017)',
  imageSize: 224,
  inputChannels: 3,
  numClasses: 1000,
  activation: 'relu',
  stem: {out: 32, kernel: 3, stride: 2},
  stages: [
    {block: 'dwsep', repeats: 1, kernel: 3, stride: 1, out: 64},
    {block: 'dwsep', repeats: 2, kernel: 3, stride: 2, out: 128},
    {block: 'dwsep', repeats: 2, kernel: 3, stride: 2, out: 256},
    {block: 'dwsep', repeats: 6, kernel: 3, stride: 2, out: 512},
    {block: 'dwsep', repeats: 2, kernel: 3, stride: 2, out: 1024},
  ],
  dropout: 0.001,
  scaling: REFERENCE_RULE,
}

/** He et al. 2016, torchvision resnet50 (v1.5: stride on the 3x3 conv). */
export const RESNET_50: BaseSpec = {
  name: 'resnet-50',
  description: 'ResNet-50 (He et al. 2016; torchvision v1.5)',
  imageSize: 224,
  inputChannels: 3,
  numClasses: 1000,
  activation: 'relu',
  stem: {out: 64, kernel: 7, stride: 2, maxpool: {kernel: 3, stride: 2}},
  stages: [
    {block: 'bottleneck', repeats: 3, stride: 1, mid: 64, out: 256},
    {block: 'bottleneck', repeats: 4, stride: 2, mid: 128, out: 512},
    {block: 'bottleneck', repeats: 6, stride: 2, mid: 256, out: 1024},
    {block: 'bottleneck', repeats: 3, stride: 2, mid: 512, out: 2048},
  ],
  dropout: 0,
  scaling: REFERENCE_RULE,
}

/**
 * EfficientNetV2 (Tan & Le 2021, Table 4 and torchvision efficientnet_v2_*): Fused-MBConv stages
 * then MBConv with SE 0.25; expanded widths make-divisible by 8, ceil on repeats (torchvision's
 * adjust_channels / adjust_depth); head 1280. The stem is the first stage's input width.
 */
const v2 = (name: string, description: string, imageSize: number, dropout: number, stem: number, stages: Array<[ 'f' | 'm', number, number, number, number]>): BaseSpec => ({
  name,
  description,
  imageSize,
  inputChannels: 3,
  numClasses: 1000,
  activation: 'swish',
  stem: {out: stem, kernel: 3, stride: 2},
  stages: stages.map(([kind, expand, stride, out, repeats]) =>
    kind === 'f'
      ? {block: 'fused-mbconv', repeats, kernel: 3, stride, expand, out}
      : {block: 'mbconv', repeats, kernel: 3, stride, expand, se: 0.25, out},
  ),
  head: {out: 1280},
  dropout,
  scaling: REFERENCE_RULE,
})

// [kind, expand, stride, out, repeats] per stage, from torchvision's _efficientnet_conf.
export const EFFICIENTNET_V2_S = v2('efficientnet-v2-s', 'EfficientNetV2-S (Tan & Le 2021; torchvision)', 384, 0.2, 24, [
  ['f', 1, 1, 24, 2], ['f', 4, 2, 48, 4], ['f', 4, 2, 64, 4], ['m', 4, 2, 128, 6], ['m', 6, 1, 160, 9], ['m', 6, 2, 256, 15],
])
export const EFFICIENTNET_V2_M = v2('efficientnet-v2-m', 'EfficientNetV2-M (Tan & Le 2021; torchvision)', 480, 0.3, 24, [
  ['f', 1, 1, 24, 3], ['f', 4, 2, 48, 5], ['f', 4, 2, 80, 5], ['m', 4, 2, 160, 7], ['m', 6, 1, 176, 14], ['m', 6, 2, 304, 18], ['m', 6, 1, 512, 5],
])
export const EFFICIENTNET_V2_L = v2('efficientnet-v2-l', 'EfficientNetV2-L (Tan & Le 2021; torchvision)', 480, 0.4, 32, [
  ['f', 1, 1, 32, 4], ['f', 4, 2, 64, 7], ['f', 4, 2, 96, 7], ['m', 4, 2, 192, 10], ['m', 6, 1, 224, 19], ['m', 6, 2, 384, 25], ['m', 6, 1, 640, 7],
])

/**
 * MobileNetV3 (Howard et al. 2019, Tables 1–2; torchvision mobilenet_v3_*). Each row of the
 * paper's table is a stage (identical consecutive rows merged into repeats), so depth scaling
 * repeats rows; every width — expanded ones included — is make-divisible by 8 after scaling.
 */
const v3 = (name: string, description: string, rows: Array<[number, number, number, boolean, 'relu' | 'hardswish', number, number]>, hidden: number): BaseSpec => ({
  name,
  description,
  imageSize: 224,
  inputChannels: 3,
  numClasses: 1000,
  activation: 'hardswish',
  stem: {out: 16, kernel: 3, stride: 2},
  stages: rows.map(([kernel, expanded, out, se, act, stride, repeats]) => ({block: 'mbconv3', repeats, kernel, stride, expanded, se, act, out})),
  head: {expand: 6},
  classifier: {hidden},
  dropout: 0.2,
  scaling: REFERENCE_RULE,
})

// [kernel, expanded, out, SE, activation, stride, repeats]
export const MOBILENET_V3_LARGE = v3('mobilenet-v3-large', 'MobileNetV3-Large 1.0 (Howard et al. 2019; torchvision)', [
  [3, 16, 16, false, 'relu', 1, 1],
  [3, 64, 24, false, 'relu', 2, 1],
  [3, 72, 24, false, 'relu', 1, 1],
  [5, 72, 40, true, 'relu', 2, 1],
  [5, 120, 40, true, 'relu', 1, 2],
  [3, 240, 80, false, 'hardswish', 2, 1],
  [3, 200, 80, false, 'hardswish', 1, 1],
  [3, 184, 80, false, 'hardswish', 1, 2],
  [3, 480, 112, true, 'hardswish', 1, 1],
  [3, 672, 112, true, 'hardswish', 1, 1],
  [5, 672, 160, true, 'hardswish', 2, 1],
  [5, 960, 160, true, 'hardswish', 1, 2],
], 1280)
export const MOBILENET_V3_SMALL = v3('mobilenet-v3-small', 'MobileNetV3-Small 1.0 (Howard et al. 2019; torchvision)', [
  [3, 16, 16, true, 'relu', 2, 1],
  [3, 72, 24, false, 'relu', 2, 1],
  [3, 88, 24, false, 'relu', 1, 1],
  [5, 96, 40, true, 'hardswish', 2, 1],
  [5, 240, 40, true, 'hardswish', 1, 2],
  [5, 120, 48, true, 'hardswish', 1, 1],
  [5, 144, 48, true, 'hardswish', 1, 1],
  [5, 288, 96, true, 'hardswish', 2, 1],
  [5, 576, 96, true, 'hardswish', 1, 2],
], 1024)

/**
 * RegNet (Radosavovic et al. 2020; torchvision regnet_*): stage widths, depths and group widths
 * as torchvision's BlockParams.from_init_params computes them from (w0, wa, wm, depth); X has no
 * SE, Y has SE 0.25 of the block input. Width scaling quantises to multiples of 8 and then of
 * the group width; the group width itself stays fixed (more groups, not wider ones).
 */
const regnet = (name: string, description: string, se: number, groupWidth: number, stages: Array<[number, number]>): BaseSpec => ({
  name,
  description,
  imageSize: 224,
  inputChannels: 3,
  numClasses: 1000,
  activation: 'relu',
  stem: {out: 32, kernel: 3, stride: 2},
  stages: stages.map(([out, repeats]) => ({block: 'regnet', repeats, stride: 2, groupWidth, bottleneck: 1, se, out})),
  dropout: 0,
  scaling: REFERENCE_RULE,
})

// [width, depth] per stage.
export const REGNET_X_400MF = regnet('regnet-x-400mf', 'RegNetX-400MF (Radosavovic et al. 2020; torchvision)', 0, 16, [[32, 1], [64, 2], [160, 7], [400, 12]])
export const REGNET_X_1_6GF = regnet('regnet-x-1.6gf', 'RegNetX-1.6GF (Radosavovic et al. 2020; torchvision)', 0, 24, [[72, 2], [168, 4], [408, 10], [912, 2]])
export const REGNET_Y_400MF = regnet('regnet-y-400mf', 'RegNetY-400MF (Radosavovic et al. 2020; torchvision)', 0.25, 8, [[48, 1], [104, 3], [208, 6], [440, 6]])
export const REGNET_Y_800MF = regnet('regnet-y-800mf', 'RegNetY-800MF (Radosavovic et al. 2020; torchvision)', 0.25, 16, [[64, 1], [144, 3], [320, 8], [784, 2]])
export const REGNET_Y_1_6GF = regnet('regnet-y-1.6gf', 'RegNetY-1.6GF (Radosavovic et al. 2020; torchvision)', 0.25, 24, [[48, 2], [120, 6], [336, 17], [888, 2]])

/**
 * ConvNeXt (Liu et al. 2022; torchvision convnext_*): 4×4/4 patchify stem + LayerNorm, stages
 * of 7×7 depthwise + LayerNorm + 4× GELU MLP + layer scale, LayerNorm + 2×2/2 patch merging
 * between stages, pooled LayerNorm before the classifier.
 */
const convnext = (name: string, description: string, depths: number[]): BaseSpec => ({
  name,
  description,
  imageSize: 224,
  inputChannels: 3,
  numClasses: 1000,
  activation: 'gelu',
  stem: {out: 96, kernel: 4, stride: 4, kind: 'patchify'},
  stages: [96, 192, 384, 768].map((out, i) => ({block: 'convnext', repeats: depths[i], stride: i === 0 ? 1 : 2, kernel: 7, expand: 4, out})),
  classifier: {norm: 'layernorm'},
  dropout: 0,
  scaling: REFERENCE_RULE,
})

export const CONVNEXT_TINY = convnext('convnext-tiny', 'ConvNeXt-T (Liu et al. 2022; torchvision)', [3, 3, 9, 3])
export const CONVNEXT_SMALL = convnext('convnext-small', 'ConvNeXt-S (Liu et al. 2022; torchvision)', [3, 3, 27, 3])

export const BASES: Record<string, BaseSpec> = Object.fromEntries(
  [
    EFFICIENTNET_B0,
    MOBILENET_V1,
    MOBILENET_V2,
    RESNET_50,
    EFFICIENTNET_V2_S,
    EFFICIENTNET_V2_M,
    EFFICIENTNET_V2_L,
    MOBILENET_V3_LARGE,
    MOBILENET_V3_SMALL,
    REGNET_X_400MF,
    REGNET_X_1_6GF,
    REGNET_Y_400MF,
    REGNET_Y_800MF,
    REGNET_Y_1_6GF,
    CONVNEXT_TINY,
    CONVNEXT_SMALL,
  ].map((b) => [b.name, b]),
)
