/**
 * Content-addressed cache of emitted ONNX models: file name = hash of the lowering, the emit
 * options and the emitter's own code, so a changed network or emitter never reuses a stale
 * model. Beside each model, `<name>.sha256` holds the hash of its bytes, checked on every read:
 * a model changed on disk (a bad sector, a user's edit, a copy cut short) is emitted again.
 * Files are written to a temporary name and renamed (a kill leaves no half model).
 */
import {createHash} from 'node:crypto'
import {closeSync, existsSync, openSync, readFileSync, readSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {Lowered} from '../arch/ops.js'
import {ioError} from '../errors.js'
import {ensureOutDir} from '../io/out-dir.js'
import {writeFileAtomic, writePiecesAtomic} from '../io/write.js'
import {dataFileOf} from '../onnx/data-file.js'
import type {EmitOptions} from '../onnx/emit.js'
import type {ModelFiles} from '../onnx/write-model.js'

/**
 * Bytes of a model, or its files: the model's bytes and, when its weights pass 2 GiB, the
 * pieces of its data file, which the model names `dataLocation` (the emitter decides; the cache
 * only writes).
 */
export type Emit = (net: Lowered, opts: EmitOptions, dataLocation?: string) => Uint8Array | ModelFiles

/** One line to stderr, like every other effscale note. */
const stderrNote = (line: string) => void process.stderr.write(`effscale: ${line}\n`)

export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME
  return path.join(xdg && xdg !== '' ? xdg : path.join(os.homedir(), '.cache'), 'effscale', 'models')
}

export function modelHash(net: Lowered, opts: EmitOptions, emitterId: string): string {
  return createHash('sha256').update(emitterId).update('\0').update(JSON.stringify(opts)).update('\0').update(JSON.stringify(net)).digest('hex').slice(0, 24)
}

/**
 * Path of the cached model, emitting it first when absent or when its bytes fail their hash.
 * A model emitted with external data keeps it in `<model>.onnx.data` beside it, which ONNX
 * Runtime finds from the model's path; its hash file then holds two hashes, the model's and
 * the data file's, both checked.
 */
export function cachedModel(dir: string, net: Lowered, opts: EmitOptions, emit: Emit, emitterId: string, note: (line: string) => void = stderrNote): string {
  const file = path.join(dir, `${modelHash(net, opts, emitterId)}.onnx`)
  const sums = `${file}.sha256`
  if (existsSync(file)) {
    // No hash: written by an effscale before hashes; emitted again without a word.
    const want = existsSync(sums) ? cacheRead(dir, sums, () => readFileSync(sums, 'utf8').trim()) : undefined
    if (want !== undefined && want === cacheRead(dir, file, () => currentSums(file, want))) return file
    if (want !== undefined) note(`model cache: ${file} does not match its content hash (changed on disk); emitting it again`)
  }
  ensureOutDir(dir, '--cache')
  const data = dataFileOf(file)
  const emitted = emit(net, opts, path.basename(data))
  const files = emitted instanceof Uint8Array ? {model: emitted, data: null} : emitted
  const hashes = [sha256Pieces([files.model]), ...(files.data ? [sha256Pieces(files.data)] : [])]
  // The hash first: a model that exists always has one (a kill between the two leaves only a hash).
  writeFileAtomic(sums, `${hashes.join(' ')}\n`, `--cache ${dir}: cannot write ${sums}`)
  if (files.data) writePiecesAtomic(data, files.data, `--cache ${dir}: cannot write ${data}`)
  writeFileAtomic(file, files.model, `--cache ${dir}: cannot write ${file}`)
  return file
}

/** The hashes as written for `file` now: the model's, and its data file's when `want` lists two. */
function currentSums(file: string, want: string): string {
  const model = sha256File(file)
  if (!want.includes(' ')) return model
  const data = dataFileOf(file)
  return existsSync(data) ? `${model} ${sha256File(data)}` : `${model} (no ${path.basename(data)})`
}

function sha256Pieces(pieces: Uint8Array[]): string {
  const hash = createHash('sha256')
  for (const p of pieces) hash.update(p)
  return hash.digest('hex')
}

/** A cache file that cannot be read fails every point alike: one IoError stops the sweep instead. */
function cacheRead<T>(dir: string, file: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    throw ioError(`--cache ${dir}: cannot read ${file}`, error)
  }
}

/** SHA-256 of a file, read in 1 MiB pieces (models can be larger than a Buffer). */
export function sha256File(file: string): string {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(1 << 20)
  const fd = openSync(file, 'r')
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n))
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}

/** Identity of an emitter's code: hash of its compiled module file (changes on every edit). */
export function fileId(url: URL): string {
  try {
    return createHash('sha256').update(readFileSync(url)).digest('hex').slice(0, 16)
  } catch {
    return 'unknown'
  }
}
