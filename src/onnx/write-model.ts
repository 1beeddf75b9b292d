/**
 * Write an ONNX model to disk, its weights inline or as external data in one file beside it.
 * Protobuf cannot hold a message over 2 GiB, so models whose weights come near that always use
 * external data; `--external-data` asks for it at any size. Tensors under 1 KiB stay inline
 * (as onnx's own converter does), so the profiler still folds small constants from the model.
 * The data file is written before the model and both go through a temp file and a rename:
 * a model on disk always has its complete data beside it.
 */
import path from 'node:path'
import {writeFileAtomic, writePiecesAtomic} from '../io/write.js'
import {dataFileOf} from './data-file.js'
import {onnx, type IModelProto, type ITensorProto} from './proto.js'

export {dataFileOf} from './data-file.js'

/** Largest protobuf message (2 GiB − 1). */
export const PROTOBUF_LIMIT = 2 ** 31 - 1
/** Weights over this many bytes go to external data whatever the flag: the graph itself needs headroom under the limit. */
export const AUTO_EXTERNAL_BYTES = PROTOBUF_LIMIT - 64 * 2 ** 20
/** Tensors smaller than this stay inline. */
export const INLINE_MAX_BYTES = 1024
/** Each external tensor starts on a page boundary, so ONNX Runtime can map it rather than copy. */
const ALIGN = 4096


export interface WrittenModel {
  /** Bytes of the model file. */
  bytes: number
  /** The data file and its bytes, when the weights are external. */
  externalData: {file: string; bytes: number} | null
}

/** Bytes of weights stored inline (raw_data) in a model. */
export function rawBytes(model: IModelProto): number {
  let n = 0
  for (const t of model.graph?.initializer ?? []) n += t.rawData?.length ?? 0
  return n
}

/** Whether a model must (or was asked to) keep its weights outside the protobuf. */
export const needsExternal = (model: IModelProto, asked: boolean, over = AUTO_EXTERNAL_BYTES) => asked || rawBytes(model) > over

/** What goes on disk for a model: the model file's bytes, and the data file's pieces when its weights are external. */
export interface ModelFiles {
  model: Uint8Array
  data: Uint8Array[] | null
}

/** Encode `model`, first moving its weights to `location` (the data file's name) when `external`. Mutates `model`. */
export function modelFiles(model: IModelProto, location: string, external: boolean): ModelFiles {
  const data = external ? moveToExternal(model, location) : null
  return {model: onnx.ModelProto.encode(model).finish(), data}
}

/**
 * Move the raw data of every initializer of at least INLINE_MAX_BYTES into `location` (a file
 * name beside the model): each tensor gets location/offset/length entries. Returns the pieces
 * of the data file in order, padding included. Mutates `model`.
 */
export function moveToExternal(model: IModelProto, location: string): Uint8Array[] {
  const pieces: Uint8Array[] = []
  let offset = 0
  for (const t of model.graph?.initializer ?? []) {
    const raw = t.rawData
    if (!raw || raw.length < INLINE_MAX_BYTES) continue
    const pad = (ALIGN - (offset % ALIGN)) % ALIGN
    if (pad) pieces.push(new Uint8Array(pad))
    offset += pad
    pieces.push(raw)
    markExternal(t, location, offset, raw.length)
    offset += raw.length
  }
  return pieces
}

function markExternal(t: ITensorProto, location: string, offset: number, length: number): void {
  t.rawData = new Uint8Array(0)
  t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL
  t.externalData = [
    {key: 'location', value: location},
    {key: 'offset', value: String(offset)},
    {key: 'length', value: String(length)},
  ]
}

/**
 * Write `model` to `out`: with external data when `external`, to dataFileOf(out) first. `what`
 * ("--out b0.onnx: cannot write") starts any error line.
 */
export function writeModel(out: string, model: IModelProto, external: boolean, what: string): WrittenModel {
  const file = dataFileOf(out)
  const files = modelFiles(model, path.basename(file), external)
  if (files.data) writePiecesAtomic(file, files.data, `${what} ${file}`)
  writeFileAtomic(out, files.model, what)
  return {bytes: files.model.length, externalData: files.data ? {file, bytes: files.data.reduce((s, p) => s + p.length, 0)} : null}
}
