/**
 * Content-addressed cache of emitted ONNX models: file name = hash of the lowering, the emit
 * options and the emitter's own code, so a changed network or emitter never reuses a stale
 * model. Files are written to a temporary name and renamed (a kill leaves no half model).
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {Lowered} from '../arch/ops.js'
import type {EmitOptions} from '../onnx/emit.js'

export type Emit = (net: Lowered, opts: EmitOptions) => Uint8Array

export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME
  return path.join(xdg && xdg !== '' ? xdg : path.join(os.homedir(), '.cache'), 'effscale', 'models')
}

export function modelHash(net: Lowered, opts: EmitOptions, emitterId: string): string {
  return createHash('sha256').update(emitterId).update('\0').update(JSON.stringify(opts)).update('\0').update(JSON.stringify(net)).digest('hex').slice(0, 24)
}

/** Path of the cached model, emitting it first when absent. */
export function cachedModel(dir: string, net: Lowered, opts: EmitOptions, emit: Emit, emitterId: string): string {
  const file = path.join(dir, `${modelHash(net, opts, emitterId)}.onnx`)
  if (existsSync(file)) return file
  mkdirSync(dir, {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, emit(net, opts))
  renameSync(tmp, file)
  return file
}

/** Identity of an emitter's code: hash of its compiled module file (changes on every edit). */
export function fileId(url: URL): string {
  try {
    return createHash('sha256').update(readFileSync(url)).digest('hex').slice(0, 16)
  } catch {
    return 'unknown'
  }
}
