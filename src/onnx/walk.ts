/**
 * Walk a graph node by node: infer shapes, cost each node with its rule, and keep the reason
 * for every value whose shape stays unknown, so that every node downstream of the first node
 * the profiler cannot infer is reported `uncounted` with that first cause instead of being
 * silently costed as zero. Subgraphs (If, Loop, Scan) are walked in a child scope.
 */
import type {IGraphProto, INodeProto} from './proto.js'
import {MAC_RULES} from './rules-macs.js'
import {isSupported, RULES, type Rule} from './rules.js'
import {walkSubgraphOp, isSubgraphOp} from './subgraphs.js'
import {checkNode, checkOutputs} from './validate.js'
import {Attrs, InferError, type Value} from './values.js'

export interface NodeRow {
  name: string
  opType: string
  macs: number
  otherOps: number
  params: number
  outShape: number[]
  /** Bytes of the kernel this node starts (0 when fused into an earlier node; see traffic.ts); top-level nodes only. */
  bytes?: number
  /** Op type costed by a rule from the user's rule file. */
  userRule?: true
}

export interface UncountedNode {
  name: string
  opType: string
  /** The first node the profiler could not infer, and why: shared by everything downstream. */
  cause: string
}

/** Values in scope: a subgraph reads its parents' values by name. */
export class Scope {
  private readonly values = new Map<string, Value>()
  private readonly causes = new Map<string, string>()
  constructor(private readonly parent?: Scope) {}

  get(name: string): Value | undefined {
    return this.values.get(name) ?? this.parent?.get(name)
  }

  /** Why `name` has no known shape (undefined when it was never produced). */
  cause(name: string): string | undefined {
    return this.causes.get(name) ?? this.parent?.cause(name)
  }

  set(name: string, v: Value): void {
    this.values.set(name, v)
  }

  unknown(name: string, cause: string): void {
    this.causes.set(name, cause)
  }
}

export interface WalkState {
  /** The file, as validation errors name it. */
  file: string
  opset: number
  /** Rules from the user's rule file, by qualified op type. */
  userRules: Map<string, Rule>
  usedUserRules: Set<string>
  unsupported: Set<string>
  uncounted: UncountedNode[]
  notes: string[]
  /** Shapes recorded in the file, used only where inference cannot go. */
  recorded: Map<string, Value>
  /** Shapes observed by running the graph (`--shapes ort`), used likewise. */
  observed?: Map<string, Value>
  /** Nodes whose outputs came from the observation: data-dependent ops that do not multiply. */
  observedNodes: string[]
  /** Per-node rows, when asked for; initializers are attributed to the first node reading them. */
  rows?: NodeRow[]
  paramsOf: Map<string, number>
  claimed: Set<string>
}

export interface Cost {
  macs: number
  otherOps: number
}

export const qualifiedOp = (node: INodeProto): string =>
  node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : (node.opType ?? '')

/** A node's name in rows and messages: its own, else its (qualified) op type and index in its graph. */
export const nodeName = (node: INodeProto, index: number, prefix = ''): string => prefix + (node.name || `${qualifiedOp(node)}_${index}`)

/**
 * Cost of one pass through `graph`. `scale` is how many times the caller runs it (a Loop's trip
 * count): rows report scaled figures, the returned cost is one pass.
 */
export function walkGraph(graph: IGraphProto, scope: Scope, st: WalkState, prefix = '', scale = 1): Cost {
  const total = {macs: 0, otherOps: 0}
  ;(graph.node ?? []).forEach((node, index) => {
    const opType = qualifiedOp(node)
    const name = nodeName(node, index, prefix)
    const inNames = node.input ?? []
    const outNames = node.output ?? []
    let outputs: Array<Value | undefined> = []
    let cost: Cost = {macs: 0, otherOps: 0}
    let cause: string | undefined
    let userRule = false
    /** True when the node itself could not be costed (not merely some subgraph output). */
    let failed = false

    const missing = inNames.find((n) => n && !scope.get(n))
    if (missing !== undefined) {
      cause = scope.cause(missing) ?? `${name} (${opType}): input "${missing}" is produced by no node and is no graph input`
      failed = true
    } else {
      const ins = inNames.map((n) => (n ? scope.get(n) : undefined))
      try {
        if (isSubgraphOp(opType)) {
          const before = st.uncounted.length
          const r = walkSubgraphOp(opType, node, ins, scope, st, `${name}/`, scale, walkGraph)
          outputs = r.outputs
          cost = r
          cause = r.cause
          // Subgraph values cannot be observed, only the node's outputs: enough when nothing inside multiplies.
          const seen = outNames.map((o) => (o ? st.observed?.get(o) : undefined))
          if (st.uncounted.length > before && outNames.every((o, i) => !o || seen[i]) && onlyShapeOps(node, st)) {
            st.uncounted.splice(before)
            outputs = seen.map((v) => v!)
            cause = undefined
            st.observedNodes.push(name)
          }
        } else {
          const rule = isSupported(opType) ? RULES[opType] : st.userRules.get(opType)
          if (!rule) {
            st.unsupported.add(opType)
            cause = `${name} (${opType}): no cost rule for this op`
            failed = true
          } else {
            userRule = !isSupported(opType)
            if (userRule) st.usedUserRules.add(opType)
            const attrs = new Attrs(node)
            checkNode(st.file, node, index, ins, attrs)
            const r = rule({opType, inputs: ins, attrs, opset: st.opset, outputs: outNames.length})
            checkOutputs(st.file, node, index, r.outputs)
            outputs = r.outputs
            cost = {macs: r.macs ?? 0, otherOps: r.otherOps ?? 0}
          }
        }
      } catch (error) {
        if (!(error instanceof InferError)) throw error
        cause = `${name} (${opType}): ${error.message}`
        cost = {macs: 0, otherOps: 0}
        outputs = []
        failed = true
        // A data-dependent op that moves or selects data costs nothing: its observed shapes suffice.
        const seen = outNames.map((o) => (o ? st.observed?.get(o) : undefined))
        if (!Object.hasOwn(MAC_RULES, opType) && !isSubgraphOp(opType) && outNames.every((o, i) => !o || seen[i])) {
          outputs = seen.map((v) => v!)
          failed = false
          cause = undefined
          st.observedNodes.push(name)
        }
      }
    }
    // A node that could not be inferred is uncounted; its outputs carry the cause downstream.
    if (failed) st.uncounted.push({name, opType, cause: cause!})
    outNames.forEach((o, i) => {
      if (!o) return
      const seen = st.observed?.get(o)
      // An observed run also checks the rules: a shape inferred one way and observed another is said.
      if (outputs[i] && seen && !sameDims(outputs[i]!.shape, seen.shape)) {
        st.notes.push(`${name} (${opType}): inferred output ${i} as [${outputs[i]!.shape}] but onnxruntime gave [${seen.shape}]`)
      }
      const v = outputs[i] ?? seen ?? st.recorded.get(o)
      if (v) scope.set(o, v)
      else scope.unknown(o, cause ?? `${name} (${opType}): output ${i} has no inferred shape`)
    })
    total.macs += cost.macs
    total.otherOps += cost.otherOps
    if (st.rows) {
      let params = 0
      for (const n of inNames) {
        if (st.paramsOf.has(n) && !st.claimed.has(n)) {
          st.claimed.add(n)
          params += st.paramsOf.get(n)!
        }
      }
      const outShape = scope.get(outNames[0] ?? '')?.shape ?? []
      st.rows.push({name, opType, macs: cost.macs * scale, otherOps: cost.otherOps * scale, params, outShape, ...(userRule ? {userRule: true as const} : {})})
    }
  })
  return total
}

/** True when no node of the op's subgraphs (at any depth) multiplies or lacks a rule. */
function onlyShapeOps(node: INodeProto, st: WalkState): boolean {
  for (const a of node.attribute ?? []) {
    for (const g of [a.g, ...(a.graphs ?? [])]) {
      for (const n of g?.node ?? []) {
        const op = qualifiedOp(n)
        if (Object.hasOwn(MAC_RULES, op) || st.userRules.has(op)) return false
        if (!isSupported(op) && !isSubgraphOp(op)) return false
        if (!onlyShapeOps(n, st)) return false
      }
    }
  }
  return true
}

const sameDims = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i])
