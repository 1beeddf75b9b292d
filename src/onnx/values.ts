/**
 * What shape inference knows about a tensor, and readers for ONNX tensors and attributes.
 * Only small integer/float tensors keep their values (for Reshape targets built by
 * Shape → Gather → Unsqueeze → Concat chains); weights are never copied or read.
 */
import {AttrType, DT, num, onnx, type IAttributeProto, type IGraphProto, type INodeProto, type ITensorProto, type LongLike} from './proto.js'

export interface Value {
  shape: number[]
  dtype: number
  /** Folded values (row-major), kept only for small tensors. */
  data?: number[]
}

/** Largest tensor whose values are folded. */
export const MAX_FOLD = 1024

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)

/** Thrown by a rule when the node's shapes cannot be inferred (the node is then left uncosted). */
export class InferError extends Error {}

const BYTES: Partial<Record<number, number>> = {
  [DT.FLOAT]: 4,
  [DT.UINT8]: 1,
  [DT.INT8]: 1,
  [DT.UINT16]: 2,
  [DT.INT16]: 2,
  [DT.INT32]: 4,
  [DT.INT64]: 8,
  [DT.BOOL]: 1,
  [DT.FLOAT16]: 2,
  [DT.DOUBLE]: 8,
  [DT.UINT32]: 4,
  [DT.UINT64]: 8,
  [DT.BFLOAT16]: 2,
}
export const bytesPerElement = (dtype: number): number | undefined => BYTES[dtype]

/** Shape, type and (if small and stored inline) values of a TensorProto. Never copies raw data. */
export function tensorValue(t: ITensorProto): Value {
  const shape = (t.dims ?? []).map((d) => num(d as LongLike))
  const dtype = t.dataType ?? 0
  const n = numel(shape)
  return n <= MAX_FOLD ? {shape, dtype, data: tensorData(t, n, dtype)} : {shape, dtype}
}

function tensorData(t: ITensorProto, n: number, dtype: number): number[] | undefined {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return undefined
  const raw = t.rawData
  if (raw && raw.length > 0) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
    const size = BYTES[dtype]
    if (!size || raw.byteLength < n * size) return undefined
    const read: ((i: number) => number) | undefined = {
      [DT.FLOAT]: (i: number) => dv.getFloat32(4 * i, true),
      [DT.DOUBLE]: (i: number) => dv.getFloat64(8 * i, true),
      [DT.INT64]: (i: number) => Number(dv.getBigInt64(8 * i, true)),
      [DT.UINT64]: (i: number) => Number(dv.getBigUint64(8 * i, true)),
      [DT.INT32]: (i: number) => dv.getInt32(4 * i, true),
      [DT.UINT32]: (i: number) => dv.getUint32(4 * i, true),
      [DT.INT16]: (i: number) => dv.getInt16(2 * i, true),
      [DT.UINT16]: (i: number) => dv.getUint16(2 * i, true),
      [DT.INT8]: (i: number) => dv.getInt8(i),
      [DT.UINT8]: (i: number) => dv.getUint8(i),
      [DT.BOOL]: (i: number) => dv.getUint8(i),
    }[dtype]
    return read ? Array.from({length: n}, (_, i) => read(i)) : undefined
  }
  // The typed field each data type is stored in (onnx.proto); half floats are bit patterns, not folded.
  const typed = {
    [DT.FLOAT]: t.floatData,
    [DT.DOUBLE]: t.doubleData,
    [DT.INT64]: t.int64Data,
    [DT.UINT64]: t.uint64Data,
    [DT.UINT32]: t.uint64Data,
    [DT.INT32]: t.int32Data,
    [DT.INT16]: t.int32Data,
    [DT.INT8]: t.int32Data,
    [DT.UINT16]: t.int32Data,
    [DT.UINT8]: t.int32Data,
    [DT.BOOL]: t.int32Data,
  }[dtype]
  if (!typed || typed.length !== n) return n === 0 ? [] : undefined
  return (typed as LongLike[]).map(num)
}

/** Typed access to a node's attributes, with ONNX defaults. */
export class Attrs {
  private readonly byName = new Map<string, IAttributeProto>()
  constructor(node: INodeProto) {
    for (const a of node.attribute ?? []) if (a.name) this.byName.set(a.name, a)
  }

  has(name: string): boolean {
    return this.byName.has(name)
  }

  int(name: string, dflt: number): number {
    const a = this.byName.get(name)
    return a ? num(a.i as LongLike) : dflt
  }

  float(name: string, dflt: number): number {
    return this.byName.get(name)?.f ?? dflt
  }

  ints(name: string): number[] | undefined {
    const a = this.byName.get(name)
    return a ? (a.ints ?? []).map((v) => num(v as LongLike)) : undefined
  }

  str(name: string, dflt: string): string {
    const s = this.byName.get(name)?.s
    return s ? new TextDecoder().decode(s) : dflt
  }

  tensor(name: string): ITensorProto | undefined {
    const a = this.byName.get(name)
    return a?.type === AttrType.TENSOR || a?.t ? (a.t ?? undefined) : undefined
  }

  /** A subgraph attribute (If's branches, Loop's and Scan's body). */
  graph(name: string): IGraphProto | undefined {
    return this.byName.get(name)?.g ?? undefined
  }

  floats(name: string): number[] | undefined {
    const a = this.byName.get(name)
    return a ? (a.floats ?? []) : undefined
  }
}
