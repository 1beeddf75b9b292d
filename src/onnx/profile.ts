/**
 * Profile any ONNX file: decode it (onnx-proto; weights stay views into the file buffer, never
 * copied), check external data files, infer shapes node by node from the graph inputs (a given
 * input shape fills dynamic dims), and cost every node with the one ONNX cost table (rules.ts).
 * Ops without a rule are listed in `unsupportedOps` and warned about — never counted as zero.
 */
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../errors.js'
import {dtypeName, num, onnx, type IGraphProto, type IModelProto, type ITensorProto, type IValueInfoProto, type LongLike} from './proto.js'
import {isSupported, RULES} from './rules.js'
import {graphTraffic} from './traffic.js'
import {Attrs, bytesPerElement, InferError, numel, tensorValue, type Value} from './values.js'

export interface NodeRow {
  name: string
  opType: string
  macs: number
  otherOps: number
  /** Bytes of the kernel this node starts (0 when fused into an earlier node; see traffic.ts). */
  bytes: number
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
  /** Bytes read and written under the fused rule of traffic.ts (same rule as the analytic count). */
  bytes: number
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
  ;(graph.node ?? []).forEach((node, index) => {
    const opType = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : (node.opType ?? '')
    const name = node.name || `${opType}_${index}`
    const ins = (node.input ?? []).map((n) => (n ? values.get(n) : undefined))
    let out: Value[] = []
    let cost = {macs: 0, otherOps: 0}
    if (!isSupported(opType)) unsupported.add(opType)
    else {
      try {
        const r = RULES[opType]({opType, inputs: ins, attrs: new Attrs(node), opset})
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
      rows.push({name, opType, ...cost, bytes: 0, params: p, outShape: values.get(node.output?.[0] ?? '')?.shape ?? []})
    }
  })

  const traffic = graphTraffic(
    (graph.node ?? []).map((n) => ({opType: n.opType ?? '', inputs: n.input ?? [], outputs: n.output ?? []})),
    (name) => {
      const v = values.get(name)
      if (!v) return undefined
      const weight = paramsOf.has(name)
      return {bytes: numel(v.shape) * (bytesPerElement(v.dtype) ?? 0), weight, constant: !weight && v.data !== undefined}
    },
    new Set((graph.output ?? []).map((o) => o.name ?? '')),
  )
  rows.forEach((r, i) => (r.bytes = traffic.perNode[i]))

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
    bytes: traffic.bytes,
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

/** Every external data file must exist and hold the bytes the tensor claims. */
function checkExternalData(graph: IGraphProto, file: string, baseDir: string | undefined): void {
  for (const t of graph.initializer ?? []) {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue
    const kv = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']))
    const location = kv.get('location')
    if (!location) throw new UserError(`${file}: tensor "${t.name}" has external data without a location`)
    if (baseDir === undefined) throw new UserError(`${file}: tensor "${t.name}" has external data; profile the file from disk`)
    const where = path.resolve(baseDir, location)
    let size: number
    try {
      size = statSync(where).size
    } catch {
      throw new UserError(`${file}: external data file "${location}" of tensor "${t.name}" not found in ${baseDir}`)
    }
    const need = Number(kv.get('offset') ?? 0) + Number(kv.get('length') ?? expectedBytes(t))
    if (size < need) throw new UserError(`${file}: external data file "${location}" is too short for tensor "${t.name}" (${size} < ${need} bytes)`)
  }
}

function expectedBytes(t: ITensorProto): number {
  return numel((t.dims ?? []).map((d) => num(d as LongLike))) * (bytesPerElement(t.dataType ?? 0) ?? 0)
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
