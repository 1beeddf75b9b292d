/**
 * The ONNX reader's validation: a graph that no runtime could execute is refused (UserError,
 * exit 2, one line naming the node, tensor or input) instead of being costed into figures that
 * mean nothing (negative MACs, a budget passed on a cycle).
 *
 * - validateGraph, once per file before any node is costed, subgraphs included: unique value
 *   names, every input defined, a DAG (nodes returned in topological order), no negative dims,
 *   initializer data that fits its dims.
 * - checkNode / checkOutputs, per node while shapes are inferred: Conv/ConvTranspose/Gemm/MatMul
 *   and pool inputs consistent (weight channels × group = input channels, group dividing
 *   channels, kernel ≤ padded input), every output dim a whole number ≥ 0, windowed outputs ≥ 1.
 */
import {UserError} from '../errors.js'
import {num, type IGraphProto, type INodeProto, type ITensorProto, type LongLike} from './proto.js'
import {bytesPerElement, numel, type Attrs, type Value} from './values.js'

/** The name the profiler shows for a node: its own, else op type and index; a subgraph's nodes carry their parent's name and a slash. */
export const nodeLabel = (node: INodeProto, index: number, prefix = ''): string => prefix + (node.name || `${node.opType ?? ''}_${index}`)
const where = (file: string, node: INodeProto, index: number, prefix = '') => `${file}: node "${nodeLabel(node, index, prefix)}" (${node.opType ?? ''})`

/**
 * Check the graph's structure, subgraphs (If, Loop, Scan bodies) included, and return its nodes
 * in an order where every value is made before it is read; subgraphs' nodes are put in order
 * in place.
 */
export function validateGraph(graph: IGraphProto, file: string): INodeProto[] {
  return validateScope(graph, file, new Set(), '').nodes
}

function hasSubgraph(node: INodeProto): boolean {
  for (const a of node.attribute ?? []) if (a.g || (a.graphs && a.graphs.length > 0)) return true
  return false
}

/** The graphs held by a node's attributes, with the prefix the profiler gives their nodes ("if/then/", "loop/"). */
function subgraphsOf(node: INodeProto, label: string): Array<{g: IGraphProto; prefix: string}> {
  const part = (attr: string) => (attr === 'then_branch' ? 'then/' : attr === 'else_branch' ? 'else/' : '')
  return (node.attribute ?? []).flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])].map((g) => ({g, prefix: `${label}/${part(a.name ?? '')}`})))
}

/**
 * One graph's checks. `outer`: names visible from enclosing graphs, which a subgraph may read.
 * Returns the nodes in order and the outer names the graph reads (a node holding the graph
 * depends on their producers).
 */
function validateScope(graph: IGraphProto, file: string, outer: ReadonlySet<string>, prefix: string): {nodes: INodeProto[]; free: Set<string>} {
  const nodes = graph.node ?? []
  const at = prefix ? ` of subgraph "${prefix.slice(0, -1)}"` : ''
  const defined = new Set<string>()
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? ''
    if (defined.has(name)) throw new UserError(`${file}: initializer "${name}"${at} is defined twice`)
    defined.add(name)
    checkTensor(t, `${file}: initializer "${name}"${at}`)
  }
  for (const sp of graph.sparseInitializer ?? []) {
    const name = sp.values?.name ?? ''
    if (defined.has(name)) throw new UserError(`${file}: initializer "${name}"${at} is defined twice`)
    defined.add(name)
    const dims = (sp.dims ?? []).map((d) => num(d as LongLike))
    if (dims.some((d) => d < 0)) throw new UserError(`${file}: sparse initializer "${name}"${at} has a negative dim [${dims}]`)
  }
  const inputs = new Set<string>()
  for (const vi of graph.input ?? []) {
    const name = vi.name ?? ''
    if (inputs.has(name)) throw new UserError(`${file}: graph input "${name}"${at} is declared twice`)
    inputs.add(name)
    defined.add(name) // older IRs list initializers among the inputs too: not a duplicate.
    const dims = (vi.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue != null ? num(d.dimValue as LongLike) : 0))
    if (dims.some((d) => d < 0)) throw new UserError(`${file}: graph input "${name}"${at} has a negative dim [${dims}]`)
  }

  // Each value has one producer: a graph input, an initializer or one node output.
  const producer = new Map<string, number>()
  nodes.forEach((node, i) => {
    for (const o of node.output ?? []) {
      if (!o) continue
      if (defined.has(o)) throw new UserError(`${where(file, node, i, prefix)}: output "${o}" is already a graph input or initializer`)
      const first = producer.get(o)
      if (first !== undefined) throw new UserError(`${where(file, node, i, prefix)}: output "${o}" is already the output of node "${nodeLabel(nodes[first], first, prefix)}"`)
      producer.set(o, i)
    }
  })
  const free = new Set<string>()
  let visible: Set<string> | undefined // built on the first subgraph: most graphs have none
  const deps = nodes.map((node, i) => {
    const d: number[] = []
    const read = (v: string) => {
      if (!v || defined.has(v)) return
      const p = producer.get(v)
      if (p === undefined) {
        if (!outer.has(v)) throw new UserError(`${where(file, node, i, prefix)}: input "${v}" is produced by no node, graph input or initializer`)
        free.add(v)
        return
      }
      if (p === i) throw new UserError(`${where(file, node, i, prefix)}: reads its own output "${v}" (a cycle)`)
      d.push(p)
    }
    for (const v of node.input ?? []) read(v)
    if (!hasSubgraph(node)) return d
    visible ??= new Set([...outer, ...defined, ...producer.keys()])
    for (const {g, prefix: inner} of subgraphsOf(node, nodeLabel(node, i, prefix))) {
      const sub = validateScope(g, file, visible, inner)
      g.node = sub.nodes
      for (const v of sub.free) read(v)
    }
    return d
  })
  for (const o of graph.output ?? []) {
    const name = o.name ?? ''
    if (defined.has(name) || producer.has(name)) continue
    if (!outer.has(name)) throw new UserError(`${file}: graph output "${name}"${at} is produced by no node`)
    free.add(name)
  }
  if (deps.every((d, i) => d.every((p) => p < i))) return {nodes, free}
  return {nodes: topologicalOrder(nodes, deps, file, prefix), free}
}

/** Depth-first post-order (iterative: graphs can be deep); a back edge is a cycle, named. */
function topologicalOrder(nodes: INodeProto[], deps: number[][], file: string, prefix: string): INodeProto[] {
  const state = new Uint8Array(nodes.length) // 0 new, 1 on the path, 2 done
  const order: INodeProto[] = []
  for (let start = 0; start < nodes.length; start++) {
    if (state[start]) continue
    const path: Array<{node: number; next: number}> = [{node: start, next: 0}]
    state[start] = 1
    while (path.length > 0) {
      const top = path[path.length - 1]
      if (top.next < deps[top.node].length) {
        const d = deps[top.node][top.next++]
        if (state[d] === 1) {
          const cycle = [...path.slice(path.findIndex((f) => f.node === d)).map((f) => f.node), d].reverse()
          const names = cycle.map((n) => `"${nodeLabel(nodes[n], n, prefix)}"`).join(' → ')
          throw new UserError(`${where(file, nodes[d], d, prefix)}: is in a cycle: ${names}`)
        }
        if (state[d] === 0) {
          state[d] = 1
          path.push({node: d, next: 0})
        }
      } else {
        state[top.node] = 2
        order.push(nodes[top.node])
        path.pop()
      }
    }
  }
  return order
}

/** Dims never negative; data present must be exactly what the dims hold. */
function checkTensor(t: ITensorProto, what: string): void {
  const dims = (t.dims ?? []).map((d) => num(d as LongLike))
  if (dims.some((d) => d < 0 || !Number.isSafeInteger(d))) throw new UserError(`${what} has an impossible dim [${dims}] (dims are whole numbers ≥ 0)`)
  const n = numel(dims)
  if (!Number.isSafeInteger(n)) throw new UserError(`${what} has dims [${dims}] whose product is too large to be a tensor`)
  const size = bytesPerElement(t.dataType ?? 0)
  const raw = t.rawData?.length ?? 0
  // Weight-stripped files carry dims and no data: allowed. Data present must match.
  if (raw > 0 && size !== undefined && raw !== n * size) throw new UserError(`${what} holds ${raw} bytes of data; its dims [${dims}] need ${n * size}`)
  const typed = [t.floatData, t.int32Data, t.int64Data, t.doubleData, t.uint64Data].find((a) => a && a.length > 0)
  if (typed && size !== undefined && typed.length !== n) throw new UserError(`${what} holds ${typed.length} values; its dims [${dims}] need ${n}`)
}

const pairs = (name: string, vs: number[]) => `${name} [${vs.join(', ')}]`

/** Windowed ops' attributes: lengths match the spatial rank, strides and dilations ≥ 1, pads ≥ 0; kernel fits the padded input. */
function checkWindow(at: string, attrs: Attrs, spatial: number[], kernel: number[], fitKernel: boolean): void {
  const n = spatial.length
  if (kernel.length !== n) throw new UserError(`${at}: ${pairs('kernel', kernel)} does not match the input's ${n} spatial dims`)
  if (kernel.some((k) => !Number.isInteger(k) || k < 1)) throw new UserError(`${at}: ${pairs('kernel', kernel)} must be whole numbers ≥ 1`)
  const strides = attrs.ints('strides') ?? kernel.map(() => 1)
  const dil = attrs.ints('dilations') ?? kernel.map(() => 1)
  const pads = attrs.ints('pads') ?? new Array<number>(2 * n).fill(0)
  for (const [name, vs, len] of [['strides', strides, n], ['dilations', dil, n]] as const) {
    if (vs.length !== len || vs.some((v) => v < 1)) throw new UserError(`${at}: ${pairs(name, vs)} must be ${len} whole numbers ≥ 1`)
  }
  if (pads.length !== 2 * n || pads.some((p) => p < 0)) throw new UserError(`${at}: ${pairs('pads', pads)} must be ${2 * n} whole numbers ≥ 0`)
  const autoPad = attrs.str('auto_pad', 'NOTSET')
  if (!fitKernel || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return
  spatial.forEach((size, i) => {
    const padded = autoPad === 'VALID' ? size : size + pads[i] + pads[i + n]
    const ek = dil[i] * (kernel[i] - 1) + 1
    if (ek > padded) {
      const k = dil[i] === 1 ? `kernel ${ek}` : `dilated kernel ${ek}`
      throw new UserError(`${at}: ${k} is larger than the padded input ${padded} (size ${size}) along spatial axis ${i}`)
    }
  })
}

/**
 * Inputs of a node consistent with each other, checked once their shapes are known (a node
 * after an unsupported op may have none: it is then only warned about by the profiler).
 */
export function checkNode(file: string, node: INodeProto, index: number, ins: Array<Value | undefined>, attrs: Attrs): void {
  const at = where(file, node, index)
  const name = (i: number) => `"${node.input?.[i] ?? ''}"`
  const [x, w] = ins
  switch (node.domain && node.domain !== 'ai.onnx' ? '' : node.opType) {
    case 'Conv':
    case 'ConvTranspose': {
      if (!x || !w) return
      const group = attrs.int('group', 1)
      if (!Number.isInteger(group) || group < 1) throw new UserError(`${at}: group ${group} must be a whole number ≥ 1`)
      if (x.shape.length < 3) throw new UserError(`${at}: input ${name(0)} [${x.shape}] needs a batch, a channel and spatial dims`)
      if (w.shape.length !== x.shape.length) throw new UserError(`${at}: weight ${name(1)} [${w.shape}] and input ${name(0)} [${x.shape}] differ in rank`)
      const c = x.shape[1]
      if (c % group !== 0) throw new UserError(`${at}: group ${group} does not divide the ${c} input channels of ${name(0)}`)
      const transpose = node.opType === 'ConvTranspose'
      // Conv weights are [out, in/group, k…]; ConvTranspose weights are [in, out/group, k…].
      const wIn = transpose ? w.shape[0] : w.shape[1] * group
      if (wIn !== c) {
        const expects = transpose ? `${w.shape[0]}` : `${w.shape[1]} × group ${group} = ${wIn}`
        throw new UserError(`${at}: weight ${name(1)} [${w.shape}] expects ${expects} input channels; input ${name(0)} [${x.shape}] has ${c}`)
      }
      if (!transpose && w.shape[0] % group !== 0) throw new UserError(`${at}: group ${group} does not divide the ${w.shape[0]} output channels of weight ${name(1)}`)
      const kernel = attrs.ints('kernel_shape') ?? w.shape.slice(2)
      if (kernel.join() !== w.shape.slice(2).join()) throw new UserError(`${at}: kernel_shape [${kernel}] differs from weight ${name(1)} [${w.shape}]`)
      const outC = transpose ? w.shape[1] * group : w.shape[0]
      const b = ins[2]
      if (b && (b.shape.length !== 1 || b.shape[0] !== outC)) throw new UserError(`${at}: bias ${name(2)} [${b.shape}] must be [${outC}], one per output channel`)
      checkWindow(at, attrs, x.shape.slice(2), kernel, !transpose)
      return
    }
    case 'MaxPool':
    case 'AveragePool': {
      if (!x) return
      const kernel = attrs.ints('kernel_shape')
      if (!kernel) throw new UserError(`${at}: kernel_shape is missing`)
      if (x.shape.length < 3) throw new UserError(`${at}: input ${name(0)} [${x.shape}] needs a batch, a channel and spatial dims`)
      checkWindow(at, attrs, x.shape.slice(2), kernel, true)
      return
    }
    case 'Gemm': {
      if (!x || !w) return
      if (x.shape.length !== 2 || w.shape.length !== 2) throw new UserError(`${at}: A ${name(0)} [${x.shape}] and B ${name(1)} [${w.shape}] must both be matrices`)
      const k = attrs.int('transA', 0) ? x.shape[0] : x.shape[1]
      const kb = attrs.int('transB', 0) ? w.shape[1] : w.shape[0]
      if (k !== kb) throw new UserError(`${at}: A ${name(0)} [${x.shape}] has inner size ${k}; B ${name(1)} [${w.shape}] has ${kb}`)
      return
    }
    case 'MatMul': {
      if (!x || !w) return
      if (x.shape.length === 0 || w.shape.length === 0) throw new UserError(`${at}: MatMul of a scalar`)
      const k = x.shape[x.shape.length - 1]
      const kb = w.shape.length === 1 ? w.shape[0] : w.shape[w.shape.length - 2]
      if (k !== kb) throw new UserError(`${at}: A ${name(0)} [${x.shape}] has inner size ${k}; B ${name(1)} [${w.shape}] has ${kb}`)
      const ba = x.shape.slice(0, -2)
      const bb = w.shape.slice(0, -2)
      const r = Math.max(ba.length, bb.length)
      for (let i = 0; i < r; i++) {
        const p = ba[ba.length - r + i] ?? 1
        const q = bb[bb.length - r + i] ?? 1
        if (p !== q && p !== 1 && q !== 1) throw new UserError(`${at}: batch dims of A ${name(0)} [${x.shape}] and B ${name(1)} [${w.shape}] do not broadcast`)
      }
      return
    }
    default:
      return
  }
}

const WINDOWED = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool'])

/** Inferred outputs: dims whole numbers ≥ 0, and a windowed op's outputs at least 1 along every axis. */
export function checkOutputs(file: string, node: INodeProto, index: number, outs: Value[]): void {
  outs.forEach((v, i) => {
    const bad = v.shape.some((d) => !Number.isSafeInteger(d) || d < 0)
    const empty = WINDOWED.has(node.opType ?? '') && v.shape.some((d) => d < 1)
    if (bad || empty) {
      throw new UserError(`${where(file, node, index)}: output "${node.output?.[i] ?? i}" would have shape [${v.shape}] (sizes must be whole numbers ≥ ${empty ? 1 : 0})`)
    }
  })
}
