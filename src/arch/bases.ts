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

export const BASES: Record<string, BaseSpec> = {
  'efficientnet-b0': EFFICIENTNET_B0,
  'mobilenet-v1': MOBILENET_V1,
  'mobilenet-v2': MOBILENET_V2,
  'resnet-50': RESNET_50,
}
