/**
 * The one ONNX cost table, keyed by op type of the default domain: each rule infers a node's
 * output shapes (folding small constant tensors) and returns its cost. An op type not in the
 * table — every op of another domain (com.microsoft, custom) included — is reported as
 * unsupported by the profiler, never counted as zero. Loop, If and Scan carry subgraphs and are
 * walked by the profiler itself (subgraphs.ts).
 *
 * Conventions match src/flops/costs.ts: `macs` are multiply-accumulates of convolutions, matrix
 * products and Einsum, quantized forms included (biases are free); `otherOps` counts the rest,
 * one per output element unless a rule file says otherwise. Data movement (Reshape, Transpose,
 * Concat, Cast, Pad, Gather, …) costs nothing.
 */
import {ELEMENTWISE_RULES} from './rules-elementwise.js'
import {MAC_RULES} from './rules-macs.js'
import {REDUCE_RULES} from './rules-reduce.js'
import {SHAPE_RULES} from './rules-shape.js'
import type {Rule} from './rule-kit.js'

export type {NodeIn, NodeOut, Rule} from './rule-kit.js'
export {broadcast} from './rule-kit.js'

const TABLE = {...MAC_RULES, ...ELEMENTWISE_RULES, ...REDUCE_RULES, ...SHAPE_RULES}
export type OnnxOpType = keyof typeof TABLE
export const RULES: Record<OnnxOpType, Rule> = TABLE

export const isSupported = (op: string): op is OnnxOpType => Object.hasOwn(RULES, op)
