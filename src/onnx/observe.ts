/**
 * `--shapes ort`: where static inference cannot know a shape (NonZero, NMS, TopK with a computed
 * k), run the graph once in onnxruntime-node on the CPU with a seeded input, every intermediate
 * value of the main graph added as a graph output, and read each tensor's real shape. The
 * profiler then uses an observed shape only where its own inference stops (walk.ts).
 */
import type * as Ort from 'onnxruntime-node'
import {lazyRequire} from '../lazy.js'
import {UserError} from '../errors.js'
import path from 'node:path'
import {profileOnnxBytes, readOnnxFile, type OnnxProfile, type ProfileOptions} from './profile.js'
import {DT, onnx} from './proto.js'
import {numel, type Value} from './values.js'

// Loaded at the first observation: a command that never runs a model never loads ORT's native binding.
const ort = lazyRequire<typeof Ort>('onnxruntime-node')

export interface ObservedInput {
  name: string
  shape: number[]
  dtype: string
  values?: number[]
}

export interface Observation {
  /** Shapes by value name. */
  shapes: Map<string, Value>
  seed: number
  /** What was fed: the seeded values are uniform in [−1, 1) for floats, 0 for integers unless --input-value gave them. */
  inputs: ObservedInput[]
}

/** mulberry32: small, seedable, the same stream on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function feed(i: ObservedInput, rand: () => number): Ort.Tensor {
  const n = numel(i.shape)
  const v = (k: number) => (i.values ? i.values[k] : undefined)
  switch (i.dtype) {
    case 'float32':
      return new (ort().Tensor)('float32', Float32Array.from({length: n}, (_, k) => v(k) ?? rand() * 2 - 1), i.shape)
    case 'float64':
      return new (ort().Tensor)('float64', Float64Array.from({length: n}, (_, k) => v(k) ?? rand() * 2 - 1), i.shape)
    case 'int64':
      return new (ort().Tensor)('int64', BigInt64Array.from({length: n}, (_, k) => BigInt(v(k) ?? 0)), i.shape)
    case 'int32':
      return new (ort().Tensor)('int32', Int32Array.from({length: n}, (_, k) => v(k) ?? 0), i.shape)
    case 'uint8':
      return new (ort().Tensor)('uint8', Uint8Array.from({length: n}, (_, k) => v(k) ?? Math.floor(rand() * 256)), i.shape)
    case 'int8':
      return new (ort().Tensor)('int8', Int8Array.from({length: n}, (_, k) => v(k) ?? 0), i.shape)
    case 'bool':
      return new (ort().Tensor)('bool', Uint8Array.from({length: n}, (_, k) => v(k) ?? 0), i.shape)
    case 'float16':
      return new (ort().Tensor)('float16', new Uint16Array(n), i.shape)
    default:
      throw new UserError(`--shapes ort: input "${i.name}" has type ${i.dtype}, which effscale cannot feed`)
  }
}

const DTYPE_CODES: Record<string, number> = {
  float32: DT.FLOAT, float64: DT.DOUBLE, float16: DT.FLOAT16, int64: DT.INT64, int32: DT.INT32, int8: DT.INT8, uint8: DT.UINT8, bool: DT.BOOL,
}

export async function observeShapes(bytes: Uint8Array, file: string, inputs: ObservedInput[], seed = 0): Promise<Observation> {
  const model = onnx.ModelProto.decode(bytes)
  const graph = model.graph!
  // The session is built from bytes (outputs added), so weights in external files cannot be found.
  if ((graph.initializer ?? []).some((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)) {
    throw new UserError(`--shapes ort: ${file} keeps weights in external data files, which --shapes ort cannot load yet; give --input-value for the data-dependent inputs instead`)
  }
  const have = new Set((graph.output ?? []).map((o) => o.name))
  for (const node of graph.node ?? []) {
    for (const o of node.output ?? []) {
      if (o && !have.has(o)) {
        graph.output!.push({name: o})
        have.add(o)
      }
    }
  }
  const rand = prng(seed)
  let results: Ort.InferenceSession.OnnxValueMapType
  try {
    const session = await ort().InferenceSession.create(onnx.ModelProto.encode(model).finish(), {logSeverityLevel: 3, executionProviders: ['cpu']})
    results = await session.run(Object.fromEntries(inputs.map((i) => [i.name, feed(i, rand)])))
    await session.release()
  } catch (error) {
    if (error instanceof UserError) throw error
    const why = (error as Error).message.split('\n')[0]
    throw new UserError(`--shapes ort: onnxruntime could not run ${file} (${why}); weight-stripped files cannot be observed`)
  }
  const shapes = new Map<string, Value>()
  for (const [name, t] of Object.entries(results)) {
    const tensor = t as Ort.Tensor
    if (tensor?.dims) shapes.set(name, {shape: [...tensor.dims], dtype: DTYPE_CODES[tensor.type] ?? 0})
  }
  return {shapes, seed, inputs}
}

/** One seeded run of the file at the inputs static profiling resolves (checking the file first). */
export async function observeFile(file: string, opts: ProfileOptions = {}, seed = 0): Promise<Observation> {
  const bytes = readOnnxFile(file)
  const first = profileOnnxBytes(bytes, {...opts, file, baseDir: path.dirname(file)})
  return observeShapes(bytes, file, first.inputs, seed)
}

/** Profile with shapes observed in one seeded ONNX Runtime run (the file is checked statically first). */
export async function profileOnnxFileObserved(file: string, opts: ProfileOptions = {}, seed = 0): Promise<OnnxProfile> {
  const bytes = readOnnxFile(file)
  const where = {...opts, file, baseDir: path.dirname(file)}
  const first = profileOnnxBytes(bytes, where)
  const observed = await observeShapes(bytes, file, first.inputs, seed)
  return profileOnnxBytes(bytes, {...where, observed})
}
