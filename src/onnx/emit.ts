/**
 * Emit a runnable ONNX model (opset 17) from the lowered op list — the same list the FLOPs
 * counter reads, so the profiled cost of the emitted graph equals the analytic count.
 *
 * Graph: input → [preprocess] → one ONNX node chain per lowered op → [N, classes].
 * - conv: Conv with BN folded into it (see foldedBnParams) → activation
 *   (swish = Sigmoid + Mul, relu = Relu, relu6 = Clip(0, 6), sigmoid = Sigmoid);
 *   (hardswish = HardSwish, hardsigmoid = HardSigmoid(1/6, 1/2), gelu = erf form);
 *   gap → GlobalAveragePool, mul → Mul, add → Add, maxpool → MaxPool, linear → Flatten + Gemm,
 *   layernorm → Transpose + LayerNormalization(axis −1) + Transpose, scale → Mul by [c, 1, 1].
 * - dtype fp16: all weights and arithmetic in float16; the float32 input is Cast in and the
 *   logits Cast out, so callers always feed and read float32 whatever the dtype.
 * - input uint8-nhwc: [N, H, W, 3] uint8 → Transpose to NCHW → Cast → (x − mean) / std with
 *   ImageNet statistics on the 0…255 scale, all inside the graph.
 * - Non-learned constants (Clip bounds, mean/std) are Constant nodes, not initializers, so
 *   initializer elements are exactly the learned parameters.
 */
import type {ActFn, ConvOp, Lowered, Op} from '../arch/ops.js'
import {UserError} from '../errors.js'
import {halfBits, halfBitsInto} from './half.js'
import {AttrType, DT, onnx, type IAttributeProto, type IModelProto, type INodeProto, type ITensorProto, type IValueInfoProto} from './proto.js'

export interface EmitOptions {
  batch: number | 'dynamic'
  dtype: 'fp32' | 'fp16'
  input: 'float32-nchw' | 'uint8-nhwc'
  seed: number
}

export const EMIT_DTYPES = ['fp32', 'fp16'] as const
export const EMIT_INPUTS = ['float32-nchw', 'uint8-nhwc'] as const
export const ONNX_OPSET = 17
export const INPUT_NAME = 'input'
export const OUTPUT_NAME = 'logits'
/** ImageNet statistics on the 0…255 scale, for uint8 input. */
const MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255]
const STD = [0.229 * 255, 0.224 * 255, 0.225 * 255]

/**
 * The params rule. BN is folded into its conv, as inference exporters do (torch.onnx in eval
 * mode, TF → ONNX): the conv gets one bias per output channel in place of BN's γ and β (two per
 * channel; running mean/variance are buffers, counted nowhere). So
 *   ONNX initializer elements = analytic params − foldedBnParams(net)
 * where foldedBnParams is Σ out channels over convs with BN (2 × out channels where the conv
 * already had a bias, which absorbs the shift).
 */
export function foldedBnParams(net: Lowered): number {
  let n = 0
  for (const op of net.ops) if (op.kind === 'conv' && op.bn) n += op.bias ? 2 * op.out.c : op.out.c
  return n
}

export function emitModel(net: Lowered, opts: EmitOptions): Uint8Array {
  return onnx.ModelProto.encode(buildModel(net, opts)).finish()
}

/** The model as a protobuf object, weights as raw_data views: export.ts may move them to external data before encoding. */
export function buildModel(net: Lowered, opts: EmitOptions): IModelProto {
  const g = new GraphBuilder(opts)
  const last = net.ops[net.ops.length - 1]
  if (!last || last.kind !== 'linear') throw new Error(`${net.network}: the lowered network must end in a linear layer`)
  // Residual branches (the first input of each add) start small so activations stay in fp16 range.
  const branches = new Set(net.ops.filter((op) => op.kind === 'add').map((op) => op.inputs[0]))

  const names: string[] = new Array(net.tensors.length)
  names[0] = g.preprocess(net)
  for (const op of net.ops) {
    const x = op.inputs.map((t) => names[t])
    const out = op === last && opts.dtype === 'fp32' ? OUTPUT_NAME : op.name
    names[op.output] = emitOp(g, op, x, out, branches.has(op.output))
  }
  if (opts.dtype === 'fp16') g.node('Cast', [names[last.output]], [OUTPUT_NAME], 'output.cast', [attrInt('to', DT.FLOAT)])

  const batchDim = opts.batch === 'dynamic' ? {dimParam: 'batch'} : {dimValue: opts.batch}
  const s = net.tensors[0]
  const inputShape = opts.input === 'uint8-nhwc' ? [s.h, s.w, s.c] : [s.c, s.h, s.w]
  const graph = {
    name: net.network,
    node: g.nodes,
    initializer: g.initializers,
    input: [valueInfo(INPUT_NAME, opts.input === 'uint8-nhwc' ? DT.UINT8 : DT.FLOAT, [batchDim, ...inputShape.map((d) => ({dimValue: d}))])],
    output: [valueInfo(OUTPUT_NAME, DT.FLOAT, [batchDim, {dimValue: net.numClasses}])],
  }
  const model = {
    irVersion: 8,
    opsetImport: [{domain: '', version: ONNX_OPSET}],
    producerName: 'effscale',
    graph,
    metadataProps: [
      {key: 'effscale.network', value: net.network},
      {key: 'effscale.dtype', value: opts.dtype},
      {key: 'effscale.input', value: opts.input},
      {key: 'effscale.seed', value: String(opts.seed)},
      {key: 'effscale.bn', value: 'folded into conv bias'},
    ],
  }
  return model
}

function emitOp(g: GraphBuilder, op: Op, x: string[], out: string, residualBranch: boolean): string {
  // Exhaustive: a new op kind without a case here is a compile error (return type string).
  switch (op.kind) {
    case 'conv':
      return emitConv(g, op, x[0], out, residualBranch)
    case 'act':
      return g.activation(op.fn, x[0], out, op.name)
    case 'maxpool':
      g.node('MaxPool', x, [out], op.name, [
        attrInts('kernel_shape', [op.kernel, op.kernel]),
        attrInts('strides', [op.stride, op.stride]),
        attrInts('pads', [op.pad, op.pad, op.pad, op.pad]),
      ])
      return out
    case 'gap':
      g.node('GlobalAveragePool', x, [out], op.name)
      return out
    case 'mul':
      g.node('Mul', x, [out], op.name)
      return out
    case 'add':
      g.node('Add', x, [out], op.name)
      return out
    case 'linear': {
      // The lowering flattens a c × 1 × 1 tensor; anything else would change the MACs.
      if (op.in.h !== 1 || op.in.w !== 1) throw new Error(`${op.name}: linear input must be c×1×1`)
      const flat = `${op.name}.flatten`
      g.node('Flatten', x, [flat], flat, [attrInt('axis', 1)])
      const w = g.weight(`${op.name}.weight`, [op.out.c, op.in.c], Math.sqrt(3 / op.in.c))
      const inputs = [flat, w]
      if (op.bias) inputs.push(g.weight(`${op.name}.bias`, [op.out.c], 0.01))
      g.node('Gemm', inputs, [out], op.name, [attrInt('transB', 1)])
      return out
    }
    case 'layernorm': {
      // LayerNorm over channels of NCHW: to NHWC, normalise the last axis, back (as LayerNorm2d).
      const nhwc = `${op.name}.nhwc`
      const normed = `${op.name}.normed`
      g.node('Transpose', x, [nhwc], nhwc, [attrInts('perm', [0, 2, 3, 1])])
      const scale = g.weight(`${op.name}.weight`, [op.out.c], 0.05, 1)
      const bias = g.weight(`${op.name}.bias`, [op.out.c], 0.05)
      g.node('LayerNormalization', [nhwc, scale, bias], [normed], op.name, [attrInt('axis', -1), attrFloat('epsilon', 1e-6)])
      g.node('Transpose', [normed], [out], `${op.name}.nchw`, [attrInts('perm', [0, 3, 1, 2])])
      return out
    }
    case 'scale':
      g.node('Mul', [x[0], g.weight(`${op.name}.weight`, [op.out.c, 1, 1], 0.05, residualBranch ? 0.01 : 1)], [out], op.name)
      return out
  }
}

/** He-style gain per activation: the uniform bound keeps the output variance near the input's. */
const GAIN: Record<ActFn | 'none', number> = {relu: 2, relu6: 2, swish: 4, sigmoid: 1, hardswish: 4, hardsigmoid: 1, gelu: 2, none: 1}

function emitConv(g: GraphBuilder, op: ConvOp, x: string, out: string, residualBranch: boolean): string {
  const fanIn = (op.in.c / op.groups) * op.kernel * op.kernel
  const gain = residualBranch ? 0.01 : GAIN[op.act ?? 'none']
  const w = g.weight(`${op.name}.weight`, [op.out.c, op.in.c / op.groups, op.kernel, op.kernel], Math.sqrt((3 * gain) / fanIn))
  const inputs = [x, w]
  // BN folded: its shift becomes (or merges into) the conv bias.
  if (op.bias || op.bn) inputs.push(g.weight(`${op.name}.bias`, [op.out.c], 0.05))
  const convOut = op.act ? `${op.name}.conv` : out
  g.node('Conv', inputs, [convOut], `${op.name}.conv`, [
    attrInts('kernel_shape', [op.kernel, op.kernel]),
    attrInts('strides', [op.stride, op.stride]),
    attrInts('pads', [op.pad, op.pad, op.pad, op.pad]),
    attrInts('dilations', [1, 1]),
    attrInt('group', op.groups),
  ])
  return op.act ? g.activation(op.act, convOut, out, op.name) : out
}

/** Collects nodes and initializers; owns the seeded weight stream and shared constants. */
class GraphBuilder {
  readonly nodes: INodeProto[] = []
  readonly initializers: ITensorProto[] = []
  private readonly rng: () => number
  private readonly dt: number
  private readonly constants = new Set<string>()
  private readonly scratch = new Float32Array(4096)

  constructor(private readonly opts: EmitOptions) {
    this.rng = xorshift(opts.seed)
    this.dt = opts.dtype === 'fp16' ? DT.FLOAT16 : DT.FLOAT
  }

  node(opType: string, input: string[], output: string[], name: string, attribute: IAttributeProto[] = []): void {
    this.nodes.push({opType, input, output, name, attribute})
  }

  /**
   * A seeded uniform(−bound, bound) initializer, written straight into its raw_data buffer
   * (one allocation per tensor, no JS number arrays: B7 has 66 M weights).
   */
  weight(name: string, dims: number[], bound: number, center = 0): string {
    const n = dims.reduce((a, b) => a * b, 1)
    const rng = this.rng
    let raw: Uint8Array
    if (this.dt === DT.FLOAT16) {
      // Draw float32 values into a small reused chunk, then convert the chunk to half bits.
      const v = new Uint16Array(n)
      const chunk = this.scratch
      for (let off = 0; off < n; off += chunk.length) {
        const m = Math.min(chunk.length, n - off)
        for (let i = 0; i < m; i++) chunk[i] = center + (2 * rng() - 1) * bound
        halfBitsInto(chunk, v, off, m)
      }
      raw = new Uint8Array(v.buffer)
    } else {
      const v = new Float32Array(n)
      for (let i = 0; i < n; i++) v[i] = center + (2 * rng() - 1) * bound
      raw = new Uint8Array(v.buffer)
    }
    this.initializers.push({name, dims, dataType: this.dt, rawData: raw})
    return name
  }

  /** A small Constant node in the model dtype, shared by name. */
  constant(name: string, dims: number[], values: number[]): string {
    if (this.constants.has(name)) return name
    const tensor = {name, dims, dataType: this.dt, rawData: floatRaw(values, this.dt)}
    this.node('Constant', [], [name], name, [{name: 'value', type: AttrType.TENSOR, t: tensor}])
    this.constants.add(name)
    return name
  }

  activation(fn: ActFn, x: string, out: string, base: string): string {
    switch (fn) {
      case 'relu':
        this.node('Relu', [x], [out], `${base}.relu`)
        break
      case 'relu6':
        this.node('Clip', [x, this.constant('const.zero', [], [0]), this.constant('const.six', [], [6])], [out], `${base}.relu6`)
        break
      case 'sigmoid':
        this.node('Sigmoid', [x], [out], `${base}.sigmoid`)
        break
      case 'swish': {
        const s = `${base}.sigmoid`
        this.node('Sigmoid', [x], [s], s)
        this.node('Mul', [x, s], [out], `${base}.swish`)
        break
      }
      case 'hardswish':
        this.node('HardSwish', [x], [out], `${base}.hardswish`)
        break
      case 'hardsigmoid':
        // PyTorch's hardsigmoid: relu6(x + 3) / 6.
        this.node('HardSigmoid', [x], [out], `${base}.hardsigmoid`, [attrFloat('alpha', 1 / 6), attrFloat('beta', 0.5)])
        break
      case 'gelu': {
        // Exact GELU (opset 17 has no Gelu op): 0.5 · x · (1 + erf(x / √2)).
        const p = `${base}.gelu`
        this.node('Mul', [x, this.constant('const.rsqrt2', [], [Math.SQRT1_2])], [`${p}.scaled`], `${p}.scale`)
        this.node('Erf', [`${p}.scaled`], [`${p}.erf`], `${p}.erf`)
        this.node('Add', [`${p}.erf`, this.constant('const.one', [], [1])], [`${p}.plus1`], `${p}.plus1`)
        this.node('Mul', [x, `${p}.plus1`], [`${p}.xplus`], `${p}.mulx`)
        this.node('Mul', [`${p}.xplus`, this.constant('const.half', [], [0.5])], [out], `${p}.half`)
        break
      }
      default:
        return unreachable(fn)
    }
    return out
  }

  /** From the graph input to the network's first tensor (NCHW, model dtype). */
  preprocess(net: Lowered): string {
    const {input, dtype} = this.opts
    if (input === 'float32-nchw') {
      if (dtype === 'fp32') return INPUT_NAME
      this.node('Cast', [INPUT_NAME], ['input.fp16'], 'input.cast', [attrInt('to', DT.FLOAT16)])
      return 'input.fp16'
    }
    if (net.tensors[0].c !== 3) throw new UserError(`--input uint8-nhwc needs a 3-channel network; ${net.network} takes ${net.tensors[0].c}`)
    this.node('Transpose', [INPUT_NAME], ['input.nchw'], 'input.transpose', [attrInts('perm', [0, 3, 1, 2])])
    this.node('Cast', ['input.nchw'], ['input.float'], 'input.cast', [attrInt('to', this.dt)])
    this.node('Sub', ['input.float', this.constant('const.mean', [1, 3, 1, 1], MEAN)], ['input.centered'], 'input.sub')
    this.node('Div', ['input.centered', this.constant('const.std', [1, 3, 1, 1], STD)], ['input.normalized'], 'input.div')
    return 'input.normalized'
  }
}

function floatRaw(values: number[], dt: number): Uint8Array {
  if (dt === DT.FLOAT16) return new Uint8Array(Uint16Array.from(values, halfBits).buffer)
  return new Uint8Array(Float32Array.from(values).buffer)
}

/** xorshift32 → [0, 1): fast, deterministic per seed; quality is ample for random weights. */
function xorshift(seed: number): () => number {
  let s = (Math.imul(seed | 0, 0x9e3779b1) ^ 0x85ebca6b) | 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4294967296
  }
}

const unreachable = (x: never): never => {
  throw new Error(`unhandled activation ${String(x)}`)
}
const attrFloat = (name: string, f: number): IAttributeProto => ({name, type: AttrType.FLOAT, f})
const attrInt = (name: string, i: number): IAttributeProto => ({name, type: AttrType.INT, i})
const attrInts = (name: string, ints: number[]): IAttributeProto => ({name, type: AttrType.INTS, ints})

function valueInfo(name: string, elemType: number, dim: Array<{dimValue: number} | {dimParam: string}>): IValueInfoProto {
  return {name, type: {tensorType: {elemType, shape: {dim}}}}
}

