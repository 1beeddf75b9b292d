/**
 * Write an ONNX model to disk, its weights inline or as external data in one file beside it.
 * Protobuf cannot hold a message over 2 GiB, so models whose weights come near that always use
 * external data; `--external-data` asks for it at any size. Tensors under 1 KiB stay inline
 * (as onnx's own converter does), so the profiler still folds small constants from the model.
 * The data file is written before the model and both go through a temp file and a rename:
 * a model on disk always has its complete data beside it.
 */
import {closeSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import path from 'node:path'
import {ioError} from '../errors.js'
import {tempName, writeFileAtomic} from '../io/write.js'
import {onnx, type IModelProto, type ITensorProto} from './proto.js'

/** Largest protobuf message (2 GiB − 1). */
export const PROTOBUF_LIMIT = 2 ** 31 - 1
/** Weights over this many bytes go to external data whatever the flag: the graph itself needs headroom under the limit. */
export const AUTO_EXTERNAL_BYTES = PROTOBUF_LIMIT - 64 * 2 ** 20
/** Tensors smaller than this stay inline. */
export const INLINE_MAX_BYTES = 1024
/** Each external tensor starts on a page boundary, so ONNX Runtime can map it rather than copy. */
const ALIGN = 4096

/** The data file of a model written with external data: `b0.onnx` → `b0.onnx.data`, beside it. */
export const dataFileOf = (out: string) => `${out}.data`

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
export const needsExternal = (model: IModelProto, asked: boolean) => asked || rawBytes(model) > AUTO_EXTERNAL_BYTES

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
  let externalData: WrittenModel['externalData'] = null
  if (external) {
    const file = dataFileOf(out)
    const pieces = moveToExternal(model, path.basename(file))
    writePiecesAtomic(file, pieces, `${what} ${file}`)
    externalData = {file, bytes: pieces.reduce((s, p) => s + p.length, 0)}
  }
  const bytes = onnx.ModelProto.encode(model).finish()
  writeFileAtomic(out, bytes, what)
  return {bytes: bytes.length, externalData}
}

/** Pieces written one after another to a temp file, renamed over `file`; no piece is copied. */
function writePiecesAtomic(file: string, pieces: Uint8Array[], what: string): void {
  const tmp = tempName(file)
  let fd: number | undefined
  try {
    fd = openSync(tmp, 'w')
    for (const p of pieces) {
      for (let off = 0; off < p.length; ) {
        const n = writeSync(fd, p, off, Math.min(p.length - off, 1 << 30))
        if (!(n > 0)) throw Object.assign(new Error(`wrote ${n} bytes`), {code: 'EIO'})
        off += n
      }
    }
    closeSync(fd)
    fd = undefined
    renameSync(tmp, file)
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd)
      } catch {
        // The write error is the one to report.
      }
    }
    rmSync(tmp, {force: true})
    throw ioError(what, error)
  }
}
