/**
 * ONNX external data: tensors whose bytes live in a file beside the model (protobuf cannot hold
 * more than 2 GiB). Reading: every location must resolve inside the model's folder — no
 * absolute path, no `..`, no symlink that leads out (onnx's CVE-2022-25882 followed such
 * locations). All locations are checked on the text alone before any file is touched; symlinks
 * are then followed one link at a time without ever stat'ing a path outside the folder.
 */
import {lstatSync, readlinkSync, realpathSync, statSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../errors.js'
import {num, onnx, type IGraphProto, type ITensorProto, type LongLike} from './proto.js'
import {bytesPerElement, numel} from './values.js'

/** Where one tensor's bytes are: a location relative to the model's folder, offset, length. */
export interface ExternalRef {
  tensor: string
  location: string
  offset: number
  /** Bytes the tensor takes: the `length` entry, else its dims × element size. */
  length: number
}

const isExternal = (t: ITensorProto) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL

/** Initializers and sparse initializers' tensors: the tensors a profile can be asked to read. */
function graphTensors(graph: IGraphProto): ITensorProto[] {
  const sparse = (graph.sparseInitializer ?? []).flatMap((s) => [s.values, s.indices].filter((t): t is ITensorProto => !!t))
  return [...(graph.initializer ?? []), ...sparse]
}

/**
 * The external references of a graph, each location checked on its text: a path relative to
 * the model's folder that stays inside it. Touches no file.
 */
export function externalRefs(graph: IGraphProto, file: string): ExternalRef[] {
  const refs: ExternalRef[] = []
  for (const t of graphTensors(graph)) {
    if (!isExternal(t)) continue
    const name = t.name ?? ''
    const fail = (why: string) => new UserError(`${file}: tensor "${name}": ${why}`)
    const kv = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']))
    const location = kv.get('location')
    if (!location) throw fail('external data without a location')
    const why = unsafeLocation(location)
    if (why) throw fail(`external data location "${location}" ${why}; it must be a file inside the model's folder`)
    const offset = wholeNumber(kv.get('offset') ?? '0')
    if (offset === undefined) throw fail(`external data offset "${kv.get('offset')}" is not a whole number of bytes`)
    const length = kv.has('length') ? wholeNumber(kv.get('length')!) : expectedBytes(t)
    if (length === undefined) throw fail(`external data length "${kv.get('length')}" is not a whole number of bytes`)
    refs.push({tensor: name, location, offset, length})
  }
  return refs
}

/** Why a location is not a plain relative path inside the folder, or undefined when it is. */
export function unsafeLocation(location: string): string | undefined {
  if (location.includes('\0')) return 'holds a NUL byte'
  if (path.posix.isAbsolute(location) || path.win32.isAbsolute(location) || /^[A-Za-z]:/.test(location)) return 'is an absolute path'
  // Both separators: a model written on Windows says "data\\w.bin".
  if (location.split(/[/\\]/).includes('..')) return 'climbs out with ".."'
  return undefined
}

const wholeNumber = (s: string): number | undefined => (/^\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined)

function expectedBytes(t: ITensorProto): number {
  return numel((t.dims ?? []).map((d) => num(d as LongLike))) * (bytesPerElement(t.dataType ?? 0) ?? 0)
}

/**
 * Check every external reference of a graph: locations first (text only, all of them), then
 * each file, reached without leaving the folder, must hold offset + length bytes.
 */
export function checkExternalData(graph: IGraphProto, file: string, baseDir: string | undefined): void {
  const refs = externalRefs(graph, file)
  if (refs.length === 0) return
  if (baseDir === undefined) throw new UserError(`${file}: tensor "${refs[0].tensor}" has external data; profile the file from disk`)
  const root = realpathSync(baseDir)
  for (const r of refs) {
    const where = resolveInside(root, r.location)
    if (where === 'escapes') {
      throw new UserError(`${file}: tensor "${r.tensor}": external data location "${r.location}" leads out of the model's folder through a symlink`)
    }
    let size: number
    try {
      const s = statSync(where)
      if (!s.isFile()) throw new Error('not a file')
      size = s.size
    } catch {
      throw new UserError(`${file}: external data file "${r.location}" of tensor "${r.tensor}" not found in ${baseDir}`)
    }
    const need = r.offset + r.length
    if (size < need) throw new UserError(`${file}: external data file "${r.location}" is too short for tensor "${r.tensor}" (${size} < ${need} bytes)`)
  }
}

/** Symlinks followed before giving up (Linux's own limit). */
const MAX_LINKS = 40

/**
 * `location` resolved under `root` (a real path), following symlinks one at a time with lstat
 * and readlink so no path outside `root` is ever stat'ed; 'escapes' when a link leads out.
 * A missing component ends the walk: the caller's stat reports the file as not found.
 */
export function resolveInside(root: string, location: string): string | 'escapes' {
  const parts = location.split(/[/\\]/)
  let cur = root
  let links = 0
  while (parts.length > 0) {
    const part = parts.shift()!
    if (part === '' || part === '.') continue
    if (part === '..') {
      // Only a link's target can say "..": it may climb back up, never above the root.
      if (cur === root) return 'escapes'
      cur = path.dirname(cur)
      continue
    }
    const next = path.join(cur, part)
    let isLink: boolean
    try {
      isLink = lstatSync(next).isSymbolicLink()
    } catch {
      return path.join(next, ...parts)
    }
    if (!isLink) {
      cur = next
      continue
    }
    if (++links > MAX_LINKS) return 'escapes'
    const target = readlinkSync(next)
    if (path.isAbsolute(target)) {
      const rel = path.relative(root, path.resolve(target))
      if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return 'escapes'
      cur = root
      parts.unshift(...rel.split(path.sep))
    } else {
      parts.unshift(...target.split(/[/\\]/))
    }
  }
  return cur
}
