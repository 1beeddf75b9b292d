/**
 * The lowered network: a flat, topologically ordered list of primitive ops over tensors with
 * concrete per-sample shapes (channels × height × width; batch is applied by readers).
 * The FLOPs counter (src/flops) and the ONNX emitter (src/onnx) both read this list.
 */

export interface Shape {
  c: number
  h: number
  w: number
}

export const OP_KINDS = ['conv', 'act', 'maxpool', 'gap', 'mul', 'add', 'linear', 'layernorm', 'scale'] as const
export type OpKind = (typeof OP_KINDS)[number]

/** hardswish = x · relu6(x + 3) / 6, hardsigmoid = relu6(x + 3) / 6 (PyTorch's), gelu exact (erf). */
export const ACT_FNS = ['swish', 'relu', 'relu6', 'sigmoid', 'hardswish', 'hardsigmoid', 'gelu'] as const
export type ActFn = (typeof ACT_FNS)[number]

/**
 * What a conv is for, carried on the op so readers never parse names: 'main' (the block's own
 * convs), 'se' (squeeze-excite, on a c×1×1 tensor), 'shortcut' (projection of a residual),
 * 'mlp' (a per-pixel linear layer, e.g. ConvNeXt's channel MLP — a 1×1 conv with bias),
 * 'downsample' (a stage's strided patch-merging conv).
 */
export const CONV_ROLES = ['main', 'se', 'shortcut', 'mlp', 'downsample'] as const
export type ConvRole = (typeof CONV_ROLES)[number]

interface OpBase {
  /** Unique, readable: "stage3.block1.dw". */
  name: string
  /** Breakdown group: "stem", "stage1"…, "head", "classifier". */
  stage: string
  /** Tensor ids read; tensor 0 is the network input. */
  inputs: number[]
  /** Tensor id written (always a new tensor). */
  output: number
  in: Shape
  out: Shape
}

/**
 * Convolution, optionally followed by batch norm and an activation. The three are one op
 * because every runtime fuses them (and it halves the op list); readers that need them apart,
 * like the ONNX emitter, unfold them.
 */
export interface ConvOp extends OpBase {
  kind: 'conv'
  kernel: number
  stride: number
  /** Symmetric zero padding on each side. */
  pad: number
  groups: number
  bias: boolean
  bn: boolean
  act: ActFn | null
  role: ConvRole
}
export interface ActOp extends OpBase {
  kind: 'act'
  fn: ActFn
  /** Applied in the epilogue of the linear layer before it (runtimes fuse Gemm + activation): moves no bytes of its own. */
  epilogue?: true
}
export interface MaxPoolOp extends OpBase {
  kind: 'maxpool'
  kernel: number
  stride: number
  pad: number
}
/** Global average pool to c × 1 × 1. */
export interface GAPOp extends OpBase {
  kind: 'gap'
}
/** x × s with s broadcast over h, w (squeeze-excite scaling); inputs [x, s]. */
export interface MulOp extends OpBase {
  kind: 'mul'
}
/** Residual add; inputs [x, shortcut]. */
export interface AddOp extends OpBase {
  kind: 'add'
}
/** Fully connected on a c × 1 × 1 tensor (flatten implied). */
export interface LinearOp extends OpBase {
  kind: 'linear'
  bias: boolean
}

/** LayerNorm over channels at every pixel (ConvNeXt's LayerNorm2d): learned γ, β per channel. */
export interface LayerNormOp extends OpBase {
  kind: 'layernorm'
}
/** x × γ with a learned γ per channel (ConvNeXt's layer scale). */
export interface ScaleOp extends OpBase {
  kind: 'scale'
}

export type Op = ConvOp | ActOp | MaxPoolOp | GAPOp | MulOp | AddOp | LinearOp | LayerNormOp | ScaleOp

export interface Lowered {
  /** Name of the base, for labels. */
  network: string
  /** Shapes of all tensors by id; tensors[0] is the input image. */
  tensors: Shape[]
  ops: Op[]
  /** Stage names in order, for breakdowns. */
  stages: string[]
  numClasses: number
}

export const elements = (s: Shape): number => s.c * s.h * s.w

/** Output size of a conv/pool along one axis with symmetric padding. */
export const convOut = (size: number, kernel: number, stride: number, pad: number): number =>
  Math.floor((size + 2 * pad - kernel) / stride) + 1
