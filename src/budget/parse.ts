import {Ajv, type ErrorObject} from 'ajv'
import {parse as parseYaml} from 'yaml'
import {closest, UserError} from '../errors.js'
import type {PointInput} from '../arch/point.js'
import {describeWhere, type BudgetEntry, type TargetRef, type Where} from './entry.js'
import {FIGURES, FIGURE_NAMES, LIMIT_KEYS, type BudgetDType, type Figure, type LatencyStat} from './figures.js'
import {locator, type Locator} from './locate.js'
import {BUDGET_FILE_SCHEMA, ENTRY_KEYS, POINT_KEYS, TARGET_KEYS} from './schema.js'
import {parseLimit} from './units.js'

const validate = new Ajv({allErrors: false, allowUnionTypes: true}).compile(BUDGET_FILE_SCHEMA)

type RawEntry = Record<string, unknown>

export type BudgetFormat = 'json' | 'yaml'

export function formatOf(file: string): BudgetFormat {
  return /\.ya?ml$/i.test(file) ? 'yaml' : 'json'
}

/**
 * Budget file text → validated entries (pure: no file system). Every error is a UserError of
 * one line naming the file, line, entry and field.
 */
export function parseBudgetFile(text: string, source: string, format: BudgetFormat = formatOf(source)): BudgetEntry[] {
  const raw = decode(text, source, format)
  const at = locator(text)
  if (!validate(raw)) throw schemaError(validate.errors![0], raw, source, at)
  const entries = (raw as {budgets: RawEntry[]}).budgets
  const seen = new Map<string, number>()
  return entries.map((e, index) => {
    const entry = toEntry(e, index, source, at)
    if (entry.name === undefined) return entry
    const first = seen.get(entry.name)
    if (first !== undefined) fieldError(source, at, index, e, 'name', `duplicate of budgets[${first}]`)
    seen.set(entry.name, index)
    return entry
  })
}

function decode(text: string, source: string, format: BudgetFormat): unknown {
  try {
    return format === 'yaml' ? parseYaml(text, {prettyErrors: false}) : JSON.parse(text)
  } catch (error) {
    const why = (error as Error).message.split('\n')[0]
    throw new UserError(`${source}: not valid ${format === 'yaml' ? 'YAML' : 'JSON'} (${why})`)
  }
}

function toEntry(e: RawEntry, index: number, source: string, at: Locator): BudgetEntry {
  const fail = (field: string | undefined, message: string) => fieldError(source, at, index, e, field, message)
  const targets = TARGET_KEYS.filter((k) => e[k] !== undefined)
  if (targets.length === 0) fail(undefined, `no target: give one of ${TARGET_KEYS.join(', ')}`)
  if (targets.length > 1) fail(targets[1], `conflicts with ${targets[0]}: give one target per entry`)
  const kind = targets[0]

  const pointKeys = POINT_KEYS.filter((k) => e[k] !== undefined)
  if (pointKeys.length > 0 && (kind === 'model' || kind === 'onnx')) {
    fail(pointKeys[0], kind === 'model'
      ? `model "${String(e.model)}" is a fixed point; to scale it give its base instead of model`
      : 'not valid with onnx (an ONNX file is costed as it is; give inputShape for dynamic dimensions)')
  }
  if (e.inputShape !== undefined && kind !== 'onnx') fail('inputShape', 'only valid with onnx')
  if (e.inputValues !== undefined && kind !== 'onnx') fail('inputValues', 'only valid with onnx')
  if (e.shapes !== undefined && kind !== 'onnx') fail('shapes', 'only valid with onnx')

  const limits: Partial<Record<Figure, number>> = {}
  for (const f of FIGURE_NAMES) {
    const key = FIGURES[f].limitKey
    if (e[key] === undefined) continue
    try {
      limits[f] = parseLimit(FIGURES[f].unit, e[key] as number | string)
    } catch (error) {
      fail(key, (error as Error).message)
    }
  }
  if (Object.keys(limits).length === 0) fail(undefined, `no limits: give at least one of ${LIMIT_KEYS.join(', ')}`)
  // The ONNX profiler reports MACs, FLOPs and params; activations and memory need the lowering.
  for (const f of ['activations', 'memory'] as const) {
    if (kind === 'onnx' && limits[f] !== undefined) fail(FIGURES[f].limitKey, 'not available for onnx targets (give model, base or spec)')
  }

  const point = Object.fromEntries(pointKeys.map((k) => [k, e[k]])) as PointInput
  const target: TargetRef =
    kind === 'model' ? {kind, model: e.model as string}
    : kind === 'base' ? {kind, base: e.base as string, point}
    : kind === 'spec' ? {kind, spec: e.spec as string, point}
    : {kind, onnx: e.onnx as string, ...(e.inputShape ? {inputShape: e.inputShape as number[]} : {}), ...(e.inputValues ? {inputValues: e.inputValues as Record<string, number[]>} : {}), ...(e.shapes ? {shapes: e.shapes as 'static' | 'ort'} : {})}

  const lines: BudgetEntry['lines'] = {entry: at(index)}
  for (const k of Object.keys(e)) lines[k] = at(index, k)
  return {
    index,
    ...(typeof e.name === 'string' ? {name: e.name} : {}),
    target,
    batch: (e.batch as number | undefined) ?? 1,
    dtype: (e.dtype as BudgetDType | undefined) ?? 'fp32',
    latencyStat: (e.latencyStat as LatencyStat | undefined) ?? 'p50',
    ...(e.sweepModel === undefined ? {} : {sweepModel: e.sweepModel as string}),
    limits,
    lines,
  }
}

function fieldError(source: string, at: Locator, index: number, e: RawEntry, field: string | undefined, message: string): never {
  const w: Where = {source, index, name: typeof e.name === 'string' ? e.name : undefined, line: at(index, field)}
  throw new UserError(`${describeWhere(w, field)} ${message}`)
}

/** Ajv's first error → one line naming the entry and the field. */
function schemaError(err: ErrorObject, raw: unknown, source: string, at: Locator): UserError {
  const path = err.instancePath.split('/').slice(1)
  if (path[0] !== 'budgets' || path.length < 2) {
    const field = err.keyword === 'required' ? (err.params as {missingProperty: string}).missingProperty : path[0]
    const what =
      err.keyword === 'required' ? `${field} is required: {"budgets": [{"name": …, "model": …, "maxMacs": "400M"}]}`
      : err.keyword === 'minItems' ? 'budgets: the list is empty; give at least one budget'
      : err.keyword === 'additionalProperties' ? `unknown top-level field "${(err.params as {additionalProperty: string}).additionalProperty}" (expected "budgets")`
      : `${field ?? 'the file'} ${err.message}`
    return new UserError(`${source}: ${what}`)
  }
  const index = Number(path[1])
  const e = ((raw as {budgets: unknown[]}).budgets[index] ?? {}) as RawEntry
  const name = typeof e === 'object' && e !== null && typeof e.name === 'string' ? e.name : undefined
  if (err.keyword === 'additionalProperties') {
    const key = (err.params as {additionalProperty: string}).additionalProperty
    const hint = closest(key, ENTRY_KEYS)
    const w: Where = {source, index, name, line: at(index, key)}
    return new UserError(`${describeWhere(w, key)} unknown field${hint ? ` — did you mean "${hint}"?` : ''} (known: ${ENTRY_KEYS.join(', ')})`)
  }
  const field = path.slice(2).join('.') || undefined
  const w: Where = {source, index, name, line: at(index, path[2])}
  const message =
    err.keyword === 'enum' ? `must be one of ${(err.params as {allowedValues: unknown[]}).allowedValues.join(', ')}`
    : err.keyword === 'type' && field && LIMIT_KEYS.includes(field as never) ? `must be a number or a number with a unit, e.g. "400M"`
    : err.message ?? 'invalid'
  return new UserError(`${describeWhere(w, field)} ${message}`)
}
