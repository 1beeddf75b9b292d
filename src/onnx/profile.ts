/**
 * Profile any ONNX file: decode it (onnx-proto; weights stay views into the file buffer, never
 * copied), check external data files, infer shapes node by node from the graph inputs (a given
 * input shape fills dynamic dims), and cost every node with the one ONNX cost table (rules.ts).
 * Ops without a rule are listed in `unsupportedOps` and warned about — never counted as zero.
 */
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../errors.js'
import {checkExternalData} from './external-data.js'
import {dtypeName, num, onnx, type IGraphProto, type IModelProto, type IValueInfoProto, type LongLike} from './proto.js'
import {isSupported, RULES} from './rules.js'
import {checkNode, checkOutputs, validateGraph} from './validate.js'
import {Attrs, InferError, numel, tensorValue, type Value} from './values.js'

export interface NodeRow {
  name: string
  opType: string
  macs: number
  otherOps: number
  params: number
  outShape: number[]
}

export interface OnnxProfile {
  file: string
  /** Multiply-accumulates of Conv/ConvTranspose/Gemm/MatMul for the given input shape. */
  macs: number
  /** 2 × macs. */
  flops: number
  /** Elements of all initializers. */
  params: number
  otherOps: number
  /** Op types without a cost rule (their nodes are not counted). */
  unsupportedOps: string[]
  /** Human-readable problems: unsupported ops, nodes whose shapes could not be inferred. */
  warnings: string[]
  inputs: Array<{name: string; shape: number[]; dtype: string}>
  nodes?: NodeRow[]
}

export interface ProfileOptions {
  /** Shape for the first graph input; required when it has dynamic dims. */
  inputShape?: number[]
  /** Include per-node rows. */
  nodes?: boolean
}

export function profileOnnxFile(file: string, opts: ProfileOptions = {}): OnnxProfile {
  let bytes: Uint8Array
  try {
    if (!statSync(file).isFile()) throw new UserError(`${file}: not a file`)
    bytes = readFileSync(file)
  } catch (error) {
    if (error instanceof UserError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  return profileOnnxBytes(bytes, {...opts, file, baseDir: path.dirname(file)})
}

export function profileOnnxBytes(bytes: Uint8Array, opts: ProfileOptions & {baseDir?: string; file?: string} = {}): OnnxProfile {
  const file = opts.file ?? '<onnx bytes>'
  const model = decode(bytes, file)
  const graph = model.graph!
  const nodes = validateGraph(graph, file)
  checkExternalData(graph, file, opts.baseDir)
  const opset = num((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version as LongLike) || 1

  // Initializers: params are their elements; small ones keep values for constant folding.
  const values = new Map<string, Value>()
  const paramsOf = new Map<string, number>()
  for (const t of graph.initializer ?? []) {
    const v = tensorValue(t)
    values.set(t.name ?? '', v)
    paramsOf.set(t.name ?? '', numel(v.shape))
  }
  for (const s of graph.sparseInitializer ?? []) {
    const name = s.values?.name ?? ''
    const shape = (s.dims ?? []).map((d) => num(d as LongLike))
    values.set(name, {shape, dtype: s.values?.dataType ?? 0})
    paramsOf.set(name, numel(shape))
  }
  const params = [...paramsOf.values()].reduce((a, b) => a + b, 0)
  const inputs = resolveInputs(graph, values, file, opts.inputShape)
  for (const i of inputs) values.set(i.name, {shape: i.shape, dtype: i.dtypeCode})

  // Shapes recorded in the file, used only where inference cannot go (after an unsupported op).
  const recorded = new Map<string, Value>()
  for (const vi of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const v = staticShape(vi)
    if (v) recorded.set(vi.name ?? '', v)
  }

  let macs = 0
  let otherOps = 0
  const unsupported = new Set<string>()
  const uninferred: string[] = []
  const rows: NodeRow[] = []
  const claimed = new Set<string>()
  nodes.forEach((node, index) => {
    const opType = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : (node.opType ?? '')
    const name = node.name || `${opType}_${index}`
    const ins = (node.input ?? []).map((n) => (n ? values.get(n) : undefined))
    let out: Value[] = []
    let cost = {macs: 0, otherOps: 0}
    if (!isSupported(opType)) unsupported.add(opType)
    else {
      try {
        const attrs = new Attrs(node)
        checkNode(file, node, index, ins, attrs)
        const r = RULES[opType]({opType, inputs: ins, attrs, opset})
        checkOutputs(file, node, index, r.outputs)
        out = r.outputs
        cost = {macs: r.macs ?? 0, otherOps: r.otherOps ?? 0}
      } catch (error) {
        if (!(error instanceof InferError)) throw error
        uninferred.push(`${name} (${opType}): ${error.message}`)
      }
    }
    ;(node.output ?? []).forEach((o, i) => {
      const v = out[i] ?? recorded.get(o)
      if (o && v) values.set(o, v)
    })
    macs += cost.macs
    otherOps += cost.otherOps
    if (opts.nodes) {
      // Each initializer's elements are attributed to the first node that reads it.
      let p = 0
      for (const n of node.input ?? []) {
        if (paramsOf.has(n) && !claimed.has(n)) {
          claimed.add(n)
          p += paramsOf.get(n)!
        }
      }
      rows.push({name, opType, ...cost, params: p, outShape: values.get(node.output?.[0] ?? '')?.shape ?? []})
    }
  })

  const unsupportedOps = [...unsupported].sort()
  const warnings: string[] = []
  if (unsupportedOps.length) warnings.push(`unsupported ops, not counted: ${unsupportedOps.join(', ')}`)
  if (uninferred.length) {
    warnings.push(`${uninferred.length} node(s) not counted, shapes unknown; first: ${uninferred[0]}`)
  }
  return {
    file,
    macs,
    flops: 2 * macs,
    params,
    otherOps,
    unsupportedOps,
    warnings,
    inputs: inputs.map(({name, shape, dtype}) => ({name, shape, dtype})),
    ...(opts.nodes ? {nodes: rows} : {}),
  }
}

function decode(bytes: Uint8Array, file: string): IModelProto {
  let model: IModelProto
  try {
    model = onnx.ModelProto.decode(bytes)
  } catch (error) {
    // Exporters write ir_version (field 1, varint) first: a file that starts so was cut short or damaged.
    const looksOnnx = bytes[0] === 0x08
    throw new UserError(`${file}: ${looksOnnx ? 'truncated or corrupt ONNX file' : 'not an ONNX model'} (${(error as Error).message})`)
  }
  if (!model.graph || num(model.irVersion as LongLike) <= 0 || !model.opsetImport?.length) {
    throw new UserError(`${file}: not an ONNX model (no graph, IR version or opset)`)
  }
  return model
}

interface ResolvedInput {
  name: string
  shape: number[]
  dtype: string
  dtypeCode: number
}

/** Graph inputs that are not initializers, with static shapes; inputShape fills the first one. */
function resolveInputs(graph: IGraphProto, values: Map<string, Value>, file: string, inputShape?: number[]): ResolvedInput[] {
  const real = (graph.input ?? []).filter((i) => !values.has(i.name ?? ''))
  return real.map((vi, index) => {
    const name = vi.name ?? ''
    const tt = vi.type?.tensorType
    const dims = tt?.shape?.dim?.map((d) => (d.dimValue != null && num(d.dimValue as LongLike) > 0 ? num(d.dimValue as LongLike) : (d.dimParam || '?')))
    const declared = dims ? `[${dims.join(', ')}]` : '(no shape)'
    const base = {name, dtype: dtypeName(tt?.elemType), dtypeCode: tt?.elemType ?? 0}
    if (index === 0 && inputShape) {
      const fits = dims && dims.length === inputShape.length && dims.every((d, i) => typeof d !== 'number' || d === inputShape[i])
      if (!fits) throw new UserError(`--input-shape ${inputShape.join('x')} does not fit input "${name}" of ${file}, declared ${declared}`)
      return {...base, shape: inputShape}
    }
    if (!dims || dims.some((d) => typeof d !== 'number')) {
      const hint = dims ? dims.map((d) => (typeof d === 'number' ? d : 1)).join('x') : '1x3x224x224'
      throw new UserError(`${file}: input "${name}" has dynamic dims ${declared}; give --input-shape (e.g. ${hint})`)
    }
    return {...base, shape: dims as number[]}
  })
}

function staticShape(vi: IValueInfoProto): Value | undefined {
  const tt = vi.type?.tensorType
  const dims = tt?.shape?.dim
  if (!tt || !dims) return undefined
  const shape = dims.map((d) => (d.dimValue != null ? num(d.dimValue as LongLike) : 0))
  return shape.every((d) => d > 0) ? {shape, dtype: tt.elemType ?? 0} : undefined
}
