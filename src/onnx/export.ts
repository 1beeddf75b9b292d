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
import {buildModel, foldedBnParams, ONNX_OPSET, type EmitOptions} from './emit.js'
import {AUTO_EXTERNAL_BYTES, dataFileOf, needsExternal, writeModel, type WrittenModel} from './write-model.js'

export interface ExportOptions extends EmitOptions {
  out: string
  force: boolean
  /** Weights in OUT.data beside the model; automatic when they would pass protobuf's 2 GiB. */
  externalData?: boolean
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
  /** Bytes of the model file. */
  bytes: number
  /** The weights' file when they are external data (asked for, or over 2 GiB). */
  externalData: WrittenModel['externalData']
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
  const {out, force: _force, externalData: asked = false, ...emit} = opts
  const t = total(net.ops)
  const folded = foldedBnParams(net)
  // Known before a byte is emitted: the data file's name is checked like --out.
  const weightBytes = (t.params - folded) * (emit.dtype === 'fp16' ? 2 : 4)
  if (asked || weightBytes > AUTO_EXTERNAL_BYTES) checkOut(dataFileOf(out), opts.force, `--out ${out}: its data file ${dataFileOf(out)}`)
  const model = buildModel(net, emit)
  const written = writeModel(out, model, needsExternal(model, asked), `--out ${out}: cannot write`)
  return {
    out,
    model: target.label,
    base: target.base.name,
    point: target.point,
    ...emit,
    opset: ONNX_OPSET,
    ...written,
    params: t.params - folded,
    analyticParams: t.params,
    foldedBnParams: folded,
    macs: t.macs,
  }
}

function checkOut(out: string, force: boolean, what = `--out ${out}`): void {
  const existing = statOrNull(out)
  if (existing?.isDirectory()) throw new UserError(`${what}: is a directory`)
  if (existing && !force) throw new UserError(`${what}: exists; give --force to overwrite`)
  const dir = path.dirname(path.resolve(out))
  const d = statOrNull(dir)
  if (!d?.isDirectory()) throw new UserError(`${what}: cannot write (${d ? 'not a directory' : 'no such directory'}: ${dir})`)
  refusePseudoFs(dir, what)
  try {
    accessSync(existing ? out : dir, constants.W_OK)
  } catch (error) {
    throw ioError(`${what}: cannot write`, error)
  }
}

function statOrNull(p: string) {
  try {
    return statSync(p)
  } catch {
    return null
  }
}
