/**
 * Ops that carry subgraphs. If: a folded condition picks its branch; an unknown one costs the
 * larger branch (an upper bound, said in a note). Loop: a constant trip count M runs the body M
 * times (shapes of loop-carried values must not change between iterations); a body that may stop
 * early makes M an upper bound, said in a note; no M (a while loop) is data-dependent, so the
 * node is uncounted. Scan: the scanned axis gives the trip count.
 */
import {DT, type IGraphProto, type INodeProto} from './proto.js'
import {Attrs, InferError, type Value} from './values.js'
import {Scope, type Cost, type WalkState} from './walk.js'

export const isSubgraphOp = (op: string): op is 'If' | 'Loop' | 'Scan' => op === 'If' || op === 'Loop' || op === 'Scan'

type Walker = (g: IGraphProto, scope: Scope, st: WalkState, prefix: string, scale: number) => Cost

export interface SubgraphOut extends Cost {
  outputs: Array<Value | undefined>
  /** Why some output has no shape (inner nodes are already reported uncounted). */
  cause?: string
}

function graphAttr(a: Attrs, name: string): IGraphProto {
  const g = a.graph(name)
  if (!g) throw new InferError(`attribute ${name} (a graph) is missing`)
  return g
}

/** Values of the subgraph's outputs after walking it, and the first reason one is unknown. */
function results(g: IGraphProto, scope: Scope): {values: Array<Value | undefined>; cause?: string} {
  const values = (g.output ?? []).map((o) => scope.get(o.name ?? ''))
  const i = values.findIndex((v) => !v)
  return {values, ...(i >= 0 ? {cause: scope.cause(g.output![i].name ?? '') ?? `subgraph output "${g.output![i].name}" has no shape`} : {})}
}

const sameShape = (a: Value, b: Value) => a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i])

export function walkSubgraphOp(
  op: 'If' | 'Loop' | 'Scan', node: INodeProto, ins: Array<Value | undefined>, scope: Scope, st: WalkState, prefix: string, scale: number, walk: Walker,
): SubgraphOut {
  const attrs = new Attrs(node)
  switch (op) {
    case 'If': {
      const cond = ins[0]
      const branches = [['then', graphAttr(attrs, 'then_branch')], ['else', graphAttr(attrs, 'else_branch')]] as const
      if (cond?.data) {
        const [label, g] = branches[cond.data[0] !== 0 ? 0 : 1]
        const inner = new Scope(scope)
        const cost = walk(g, inner, st, `${prefix}${label}/`, scale)
        const r = results(g, inner)
        return {...cost, outputs: r.values, cause: r.cause}
      }
      // Both branches are walked; the rows and cost of the larger one are kept.
      const rowsBefore = st.rows?.length ?? 0
      const walked = branches.map(([label, g]) => {
        const from = st.rows?.length ?? 0
        const inner = new Scope(scope)
        const cost = walk(g, inner, st, `${prefix}${label}/`, scale)
        return {label, cost, r: results(g, inner), rows: st.rows?.splice(from) ?? []}
      })
      const pick = walked[0].cost.macs >= walked[1].cost.macs ? walked[0] : walked[1]
      st.rows?.splice(rowsBefore, 0, ...pick.rows)
      st.notes.push(`${node.name || 'If'}: condition is not a constant; costed the larger branch (${pick.label}), an upper bound`)
      const outputs = pick.r.values.map((v, i) => {
        const other = walked[pick === walked[0] ? 1 : 0].r.values[i]
        return v && other && sameShape(v, other) ? {shape: v.shape, dtype: v.dtype} : undefined
      })
      const bad = outputs.findIndex((v) => !v)
      return {...pick.cost, outputs, ...(bad >= 0 ? {cause: pick.r.cause ?? `${node.name} (If): branches give output ${bad} different shapes`} : {})}
    }
    case 'Loop': {
      const body = graphAttr(attrs, 'body')
      const m = ins[0]
      if (!m?.data) throw new InferError('its trip count is not a constant: how often the body runs depends on the data (give it with --input-value)')
      const trips = m.data[0]
      const carried = ins.slice(2)
      const inner = new Scope(scope)
      const bodyIn = body.input ?? []
      inner.set(bodyIn[0]?.name ?? '', {shape: [], dtype: DT.INT64})
      inner.set(bodyIn[1]?.name ?? '', {shape: [], dtype: DT.BOOL})
      carried.forEach((v, i) => v && inner.set(bodyIn[i + 2]?.name ?? '', {shape: v.shape, dtype: v.dtype}))
      const cost = walk(body, inner, st, prefix, scale * trips)
      const r = results(body, inner)
      const condOut = r.values[0]
      if (ins[1] && !(condOut?.data && condOut.data[0] !== 0)) st.notes.push(`${node.name || 'Loop'}: the body may stop before ${trips} iterations; costed ${trips}, an upper bound`)
      const outs = r.values.slice(1)
      const finals = outs.slice(0, carried.length).map((v, i) => {
        if (v && carried[i] && !sameShape(v, carried[i]!)) throw new InferError(`loop-carried value ${i} changes shape between iterations ([${carried[i]!.shape}] → [${v.shape}])`)
        return v && {shape: v.shape, dtype: v.dtype}
      })
      const scans = outs.slice(carried.length).map((v) => v && {shape: [trips, ...v.shape], dtype: v.dtype})
      return {macs: cost.macs * trips, otherOps: cost.otherOps * trips, outputs: [...finals, ...scans], cause: r.cause}
    }
    case 'Scan': {
      const body = graphAttr(attrs, 'body')
      const nScan = attrs.int('num_scan_inputs', 0)
      const nState = ins.length - nScan
      const scanAxes = attrs.ints('scan_input_axes') ?? new Array<number>(nScan).fill(0)
      const scans = ins.slice(nState).map((v) => v!)
      if (scans.length === 0) throw new InferError('no scan inputs')
      const ax = (a: number, r: number) => (a < 0 ? a + r : a)
      const trips = scans[0].shape[ax(scanAxes[0], scans[0].shape.length)]
      const inner = new Scope(scope)
      const bodyIn = body.input ?? []
      ins.slice(0, nState).forEach((v, i) => inner.set(bodyIn[i]?.name ?? '', {shape: v!.shape, dtype: v!.dtype}))
      scans.forEach((v, i) => {
        const a = ax(scanAxes[i], v.shape.length)
        inner.set(bodyIn[nState + i]?.name ?? '', {shape: v.shape.filter((_, d) => d !== a), dtype: v.dtype})
      })
      const cost = walk(body, inner, st, prefix, scale * trips)
      const r = results(body, inner)
      const outAxes = attrs.ints('scan_output_axes') ?? []
      const outputs = r.values.map((v, i) => {
        if (!v || i < nState) return v && {shape: v.shape, dtype: v.dtype}
        const a = ax(outAxes[i - nState] ?? 0, v.shape.length + 1)
        return {shape: [...v.shape.slice(0, a), trips, ...v.shape.slice(a)], dtype: v.dtype}
      })
      return {macs: cost.macs * trips, otherOps: cost.otherOps * trips, outputs, cause: r.cause}
    }
  }
}
