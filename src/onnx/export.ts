/**
 * Export a target as an ONNX file: check --out first (cheap, before minutes of work on a big
 * model), emit, write. Returns the figures the command prints.
 */
import {accessSync, constants, statSync} from 'node:fs'
import path from 'node:path'
import type {Point} from '../arch/spec.js'
import type {Target} from '../arch/target.js'
import {ioError, UserError} from '../errors.js'
import {lowerTarget} from '../flops/index.js'
import {total} from '../flops/count.js'
import {refusePseudoFs} from '../io/out-dir.js'
import {writeFileAtomic} from '../io/write.js'
import {emitModel, foldedBnParams, ONNX_OPSET, type EmitOptions} from './emit.js'

export interface ExportOptions extends EmitOptions {
  out: string
  force: boolean
}

export interface ExportResult {
  out: string
  model: string
  base: string
  point: Point
  batch: number | 'dynamic'
  dtype: EmitOptions['dtype']
  input: EmitOptions['input']
  seed: number
  opset: number
  bytes: number
  /** Initializer elements in the file = analyticParams − foldedBnParams. */
  params: number
  analyticParams: number
  /** BN's γ, β folded into one conv bias per channel (see emit.ts). */
  foldedBnParams: number
  /** Per image; the file computes batch × this. */
  macs: number
}

export function exportTarget(target: Target, opts: ExportOptions): ExportResult {
  checkOut(opts.out, opts.force)
  const net = lowerTarget(target)
  const {out, force: _force, ...emit} = opts
  const bytes = emitModel(net, emit)
  writeFileAtomic(out, bytes, `--out ${out}: cannot write`)
  const t = total(net.ops)
  const folded = foldedBnParams(net)
  return {
    out,
    model: target.label,
    base: target.base.name,
    point: target.point,
    ...emit,
    opset: ONNX_OPSET,
    bytes: bytes.length,
    params: t.params - folded,
    analyticParams: t.params,
    foldedBnParams: folded,
    macs: t.macs,
  }
}

function checkOut(out: string, force: boolean): void {
  const existing = statOrNull(out)
  if (existing?.isDirectory()) throw new UserError(`--out ${out}: is a directory`)
  if (existing && !force) throw new UserError(`--out ${out}: exists; give --force to overwrite`)
  const dir = path.dirname(path.resolve(out))
  const d = statOrNull(dir)
  if (!d?.isDirectory()) throw new UserError(`--out ${out}: cannot write (${d ? 'not a directory' : 'no such directory'}: ${dir})`)
  refusePseudoFs(dir, `--out ${out}`)
  try {
    accessSync(existing ? out : dir, constants.W_OK)
  } catch (error) {
    throw ioError(`--out ${out}: cannot write`, error)
  }
}

function statOrNull(p: string) {
  try {
    return statSync(p)
  } catch {
    return null
  }
}
