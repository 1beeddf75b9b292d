import {existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {resolveTarget, type Target} from '../arch/target.js'
import type {BaseSpec} from '../arch/spec.js'
import {parseBaseSpec} from '../arch/user-spec.js'
import {UserError} from '../errors.js'
import type {Observation} from '../onnx/observe.js'
import {describeWhere, type BudgetEntry} from './entry.js'

export type ResolvedTarget =
  | {kind: 'analytic'; target: Target}
  | {kind: 'onnx'; file: string; label: string; inputShape?: number[]; inputValues?: Record<string, number[]>; shapes?: 'static' | 'ort'; observed?: Observation}

export interface ResolveContext {
  source: string
  /** Directory that `spec` and `onnx` paths are relative to (the budget file's). */
  dir: string
  /** Parsed user specs by absolute path, shared across entries. */
  specs?: Map<string, BaseSpec>
}

/** An entry's target → something to cost. Files are checked here, before anything is measured. */
export function resolveEntryTarget(entry: BudgetEntry, ctx: ResolveContext): ResolvedTarget {
  const t = entry.target
  const field = t.kind
  const fail = (message: string): never => {
    throw new UserError(`${describeWhere({source: ctx.source, index: entry.index, name: entry.name, line: entry.lines[field]}, field)} ${message}`)
  }
  if (t.kind === 'onnx') {
    const file = path.resolve(ctx.dir, t.onnx)
    if (!existsSync(file)) fail(`no such file ${t.onnx} (looked for ${file})`)
    if (!statSync(file).isFile()) fail(`${t.onnx} is not a file`)
    return {kind: 'onnx', file, label: t.onnx, ...(t.inputShape ? {inputShape: t.inputShape} : {}), ...(t.inputValues ? {inputValues: t.inputValues} : {}), ...(t.shapes ? {shapes: t.shapes} : {})}
  }
  try {
    if (t.kind === 'model') return {kind: 'analytic', target: resolveTarget({model: t.model})}
    if (t.kind === 'base') return {kind: 'analytic', target: resolveTarget({base: t.base, ...t.point})}
    return {kind: 'analytic', target: resolveTarget({spec: readSpec(t.spec, ctx), ...t.point})}
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return fail(asFields(error.message))
  }
}

function readSpec(file: string, ctx: ResolveContext): BaseSpec {
  const abs = path.resolve(ctx.dir, file)
  const cached = ctx.specs?.get(abs)
  if (cached) return cached
  let text: string
  try {
    text = readFileSync(abs, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UserError(code === 'ENOENT' ? `no such file ${file} (looked for ${abs})` : `${file}: ${(error as Error).message}`)
  }
  const spec = parseBaseSpec(text, file)
  ctx.specs?.set(abs, spec)
  return spec
}

/** The shared target code speaks in flags (`--image-size`); a budget file has fields (`imageSize`). */
function asFields(message: string): string {
  return message.replace(/--([a-z]+(?:-[a-z]+)*)/g, (_, f: string) => f.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()))
}
