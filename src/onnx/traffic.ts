/**
 * Memory traffic of an ONNX graph under the same fused rule as the analytic count
 * (src/flops/costs.ts TRAFFIC), so that an emitted model's profiled bytes equal its analytic bytes:
 *
 * - A kernel is a Conv, ConvTranspose, Gemm or MatMul node together with the element-wise
 *   epilogue that follows it (BatchNormalization, activations, and Mul/Add/Sub/Div whose every
 *   non-constant input comes from the same kernel, like swish's x · sigmoid(x) and GELU's erf form). A kernel reads
 *   each tensor from outside it once, and writes each tensor it produces that is read outside it
 *   or is a graph output. A fused BatchNormalization's parameters are folded into the conv, as
 *   runtimes do, and not read.
 * - Every other node is its own kernel: reads its inputs, writes its outputs.
 * - Views (Flatten, Reshape, Squeeze, Unsqueeze, Identity, Dropout, Transpose) and nodes whose outputs are
 *   folded constants (Shape arithmetic, Constant) move nothing; Constant inputs are free.
 * Bytes count each tensor in its own dtype.
 */

export interface TrafficNode {
  opType: string
  inputs: readonly string[]
  outputs: readonly string[]
}

export interface TensorInfo {
  bytes: number
  /** An initializer (weights). */
  weight: boolean
  /** A folded constant (Constant node output, shape arithmetic): free to read. */
  constant: boolean
}

const ANCHORS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul'])
const EPILOGUE = new Set(['BatchNormalization', 'Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Erf', 'Gelu', 'Mul', 'Add', 'Sub', 'Div'])
// Transpose is a layout change that runtimes fold into a neighbouring kernel (LayerNorm over
// channels is emitted as NCHW → NHWC → LayerNormalization → NCHW).
const VIEWS = new Set(['Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Transpose'])

export interface GraphTraffic {
  /** Bytes read and written by the whole graph. */
  bytes: number
  /** Per node: the kernel's bytes on the node that starts it, 0 on the nodes fused into it. */
  perNode: number[]
}

export function graphTraffic(nodes: readonly TrafficNode[], info: (name: string) => TensorInfo | undefined, graphOutputs: ReadonlySet<string>): GraphTraffic {
  const producer = new Map<string, number>()
  nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)))
  const free = (name: string) => {
    const t = info(name)
    return !t || t.constant
  }

  // Kernels: each node's kernel is the index of the node that starts it.
  const kernel = nodes.map((_, i) => i)
  const anchored = nodes.map((n) => ANCHORS.has(n.opType))
  nodes.forEach((n, i) => {
    if (!EPILOGUE.has(n.opType)) return
    const acts = n.inputs.filter((x) => x && !free(x) && !info(x)!.weight)
    const from = new Set(acts.map((x) => producer.get(x)).map((p) => (p === undefined ? -1 : kernel[p])))
    if (from.size !== 1) return
    const k = [...from][0]
    if (k >= 0 && anchored[k]) {
      kernel[i] = k
      anchored[i] = true
    }
  })

  // A tensor is written when a node of another kernel reads it, or the graph returns it.
  const readOutside = new Set<string>()
  nodes.forEach((n, i) =>
    n.inputs.forEach((x) => {
      const p = producer.get(x)
      if (p !== undefined && kernel[p] !== kernel[i]) readOutside.add(x)
    }),
  )

  const perNode = nodes.map(() => 0)
  const readBy = new Map<number, Set<string>>()
  nodes.forEach((n, i) => {
    if (VIEWS.has(n.opType) || n.outputs.every((o) => !o || free(o))) return
    const k = kernel[i]
    const fusedBn = n.opType === 'BatchNormalization' && k !== i
    const seen = readBy.get(k) ?? new Set<string>()
    readBy.set(k, seen)
    let b = 0
    for (const x of n.inputs) {
      if (!x || free(x) || seen.has(x)) continue
      const p = producer.get(x)
      if (p !== undefined && kernel[p] === k) continue
      if (fusedBn && info(x)!.weight) continue
      seen.add(x)
      b += info(x)!.bytes
    }
    for (const o of n.outputs) if (o && !free(o) && (readOutside.has(o) || graphOutputs.has(o))) b += info(o)!.bytes
    perNode[k] += b
  })
  return {bytes: perNode.reduce((a, b) => a + b, 0), perNode}
}
