/**
 * Profile any ONNX file: decode it (onnx-proto; weights stay views into the file buffer, never
 * copied), check external data files, infer shapes node by node from the graph inputs (a given
 * input shape fills dynamic dims), and cost every node with the one ONNX cost table (rules.ts).
 * Ops without a rule are listed in `unsupportedOps` and warned about — never counted as zero —
 * and every node they keep from being costed is listed in `uncountedNodes` (walk.ts).
 */
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../errors.js'
import {checkExternalData} from './external-data.js'
import {dtypeName, num, onnx, type IGraphProto, type IModelProto, type IValueInfoProto, type LongLike} from './proto.js'
import type {Observation, ObservedInput} from './observe.js'
import type {Rule} from './rules.js'
import {graphTraffic} from './traffic.js'
import {bytesPerElement, numel, tensorValue, type Value} from './values.js'
import {validateGraph} from './validate.js'
import {nodeName, Scope, walkGraph, type NodeRow, type UncountedNode, type WalkState} from './walk.js'

export type {NodeRow, UncountedNode} from './walk.js'

export interface OnnxProfile {
  file: string
  /** Multiply-accumulates of convolutions, matrix products and Einsum for the given input shape. */
  macs: number
  /** 2 × macs. */
  flops: number
  /** Elements of all initializers (subgraphs' included). */
  params: number
  otherOps: number
  /** True when some node could not be costed: macs, flops and otherOps are then lower bounds. */
  lowerBound: boolean
  /** Bytes read and written under the fused rule of traffic.ts (same rule as the analytic count). */
  bytes: number
  /** Op types without a cost rule (their nodes are not counted). */
  unsupportedOps: string[]
  /** Every node not costed — unsupported, not inferable, or downstream of one — with the first cause. */
  uncountedNodes: UncountedNode[]
  /** Op types costed by the user's rule file. */
  userRules: string[]
  /** Human-readable problems: unsupported ops, uncounted nodes, upper bounds taken. */
  warnings: string[]
  inputs: Array<{name: string; shape: number[]; dtype: string; values?: number[]}>
  /** With `--shapes ort`: the seeded input that was run, and the nodes whose shapes came from that run. */
  observed?: {seed: number; inputs: ObservedInput[]; nodes: string[]}
  nodes?: NodeRow[]
}

export interface ProfileOptions {
  /** Shape for the first graph input; required when it has dynamic dims. */
  inputShape?: number[]
  /** Values of small integer or scale inputs, by input name (shapes, sizes, trip counts). */
  inputValues?: Record<string, number[]>
  /** Rules for op types the table lacks (user-rules.ts). */
  userRules?: Map<string, Rule>
  /** Shapes observed by running the graph once (observe.ts), used where inference stops. */
  observed?: Observation
  /** Include per-node rows. */
  nodes?: boolean
}

export function profileOnnxFile(file: string, opts: ProfileOptions = {}): OnnxProfile {
  return profileOnnxBytes(readOnnxFile(file), {...opts, file, baseDir: path.dirname(file)})
}

export function readOnnxFile(file: string): Uint8Array {
  let bytes: Uint8Array
  try {
    if (!statSync(file).isFile()) throw new UserError(`${file}: not a file`)
    bytes = readFileSync(file)
  } catch (error) {
    if (error instanceof UserError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  return bytes
}

export function profileOnnxBytes(bytes: Uint8Array, opts: ProfileOptions & {baseDir?: string; file?: string} = {}): OnnxProfile {
  const file = opts.file ?? '<onnx bytes>'
  const model = decode(bytes, file)
  // Nodes in topological order: a graph no runtime could execute is refused before any costing.
  const graph = {...model.graph!, node: validateGraph(model.graph!, file)}
  checkExternalData(graph, file, opts.baseDir)
  const opset = num((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version as LongLike) || 1

  // Initializers: params are their elements; small ones keep values for constant folding.
  const scope = new Scope()
  const paramsOf = new Map<string, number>()
  for (const t of graph.initializer ?? []) {
    const v = tensorValue(t)
    scope.set(t.name ?? '', v)
    paramsOf.set(t.name ?? '', numel(v.shape))
  }
  for (const s of graph.sparseInitializer ?? []) {
    const name = s.values?.name ?? ''
    const shape = (s.dims ?? []).map((d) => num(d as LongLike))
    scope.set(name, {shape, dtype: s.values?.dataType ?? 0})
    paramsOf.set(name, numel(shape))
  }
  const params = [...paramsOf.values()].reduce((a, b) => a + b, 0) + subgraphParams(graph)
  const inputs = resolveInputs(graph, (n) => scope.get(n) !== undefined, file, opts.inputShape, opts.inputValues ?? {})
  for (const i of inputs) scope.set(i.name, {shape: i.shape, dtype: i.dtypeCode, ...(i.values ? {data: i.values} : {})})

  // Shapes recorded in the file, used only where inference cannot go (after an unsupported op).
  const recorded = new Map<string, Value>()
  for (const vi of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const v = staticShape(vi)
    if (v) recorded.set(vi.name ?? '', v)
  }

  const st: WalkState = {
    file,
    opset,
    userRules: opts.userRules ?? new Map(),
    usedUserRules: new Set(),
    unsupported: new Set(),
    uncounted: [],
    notes: [],
    recorded,
    ...(opts.observed ? {observed: opts.observed.shapes} : {}),
    observedNodes: [],
    paramsOf,
    claimed: new Set(),
    ...(opts.nodes ? {rows: []} : {}),
  }
  const {macs, otherOps} = walkGraph(graph, scope, st)

  // Memory traffic of the top-level graph under the fused rule (traffic.ts); subgraph bodies move no bytes here.
  const top = graph.node ?? []
  const traffic = graphTraffic(
    top.map((n) => ({opType: n.opType ?? '', inputs: n.input ?? [], outputs: n.output ?? []})),
    (name) => {
      const v = scope.get(name)
      if (!v) return undefined
      const weight = paramsOf.has(name)
      return {bytes: numel(v.shape) * (bytesPerElement(v.dtype) ?? 0), weight, constant: !weight && v.data !== undefined}
    },
    new Set((graph.output ?? []).map((o) => o.name ?? '')),
  )
  if (st.rows) {
    const byName = new Map(top.map((n, i) => [nodeName(n, i), traffic.perNode[i]]))
    for (const r of st.rows) r.bytes = byName.get(r.name) ?? 0
  }

  const unsupportedOps = [...st.unsupported].sort()
  const warnings: string[] = []
  if (unsupportedOps.length) warnings.push(`unsupported ops, not counted: ${unsupportedOps.join(', ')}`)
  if (st.uncounted.length) {
    const first = st.uncounted[0]
    warnings.push(`${st.uncounted.length} node(s) not counted, shapes unknown; first: ${first.cause}`)
  }
  warnings.push(...st.notes)
  return {
    file,
    macs,
    flops: 2 * macs,
    params,
    otherOps,
    lowerBound: st.uncounted.length > 0,
    bytes: traffic.bytes,
    unsupportedOps,
    uncountedNodes: st.uncounted,
    userRules: [...st.usedUserRules].sort(),
    warnings,
    inputs: inputs.map(({name, shape, dtype, values}) => ({name, shape, dtype, ...(values ? {values} : {})})),
    ...(opts.observed ? {observed: {seed: opts.observed.seed, inputs: opts.observed.inputs, nodes: st.observedNodes}} : {}),
    ...(opts.nodes ? {nodes: st.rows} : {}),
  }
}

/** Initializer elements of If/Loop/Scan bodies, at any depth. */
function subgraphParams(graph: IGraphProto): number {
  let n = 0
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      for (const g of [a.g, ...(a.graphs ?? [])]) {
        if (!g) continue
        for (const t of g.initializer ?? []) n += numel((t.dims ?? []).map((d) => num(d as LongLike)))
        n += subgraphParams(g)
      }
    }
  }
  return n
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
  values?: number[]
}

/**
 * Graph inputs that are not initializers, with static shapes: inputShape fills the first one,
 * inputValues give an input its values (and, when its dims are dynamic, the shape [n]).
 */
function resolveInputs(
  graph: IGraphProto, isInitializer: (name: string) => boolean, file: string, inputShape: number[] | undefined, inputValues: Record<string, number[]>,
): ResolvedInput[] {
  const real = (graph.input ?? []).filter((i) => !isInitializer(i.name ?? ''))
  for (const name of Object.keys(inputValues)) {
    if (!real.some((i) => i.name === name)) {
      throw new UserError(`--input-value ${name}: ${file} has no input "${name}" (inputs: ${real.map((i) => i.name).join(', ') || 'none'})`)
    }
  }
  return real.map((vi, index) => {
    const name = vi.name ?? ''
    const tt = vi.type?.tensorType
    const dims = tt?.shape?.dim?.map((d) => (d.dimValue != null && num(d.dimValue as LongLike) > 0 ? num(d.dimValue as LongLike) : (d.dimParam || '?')))
    const declared = dims ? `[${dims.join(', ')}]` : '(no shape)'
    const base = {name, dtype: dtypeName(tt?.elemType), dtypeCode: tt?.elemType ?? 0}
    const values = inputValues[name]
    if (values) {
      const fixed = dims && dims.every((d) => typeof d === 'number') ? (dims as number[]) : undefined
      const shape = fixed ?? (dims?.length === 0 ? [] : [values.length])
      if (numel(shape) !== values.length || (dims && dims.length !== shape.length)) {
        throw new UserError(`--input-value ${name}: ${values.length} value(s) do not fit input "${name}" of ${file}, declared ${declared}`)
      }
      return {...base, shape, values}
    }
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
