import {DTYPES, FIGURES, FIGURE_NAMES, LATENCY_STATS} from './figures.js'

/** Keys that say what to cost: exactly one per entry. */
export const TARGET_KEYS = ['model', 'base', 'spec', 'onnx'] as const
export type TargetKey = (typeof TARGET_KEYS)[number]

/** Keys of a scaling point (with `base` or `spec` only). */
export const POINT_KEYS = ['depth', 'width', 'resolution', 'imageSize', 'phi', 'alpha', 'beta', 'gamma'] as const

const limit = {type: ['number', 'string']} as const
const multiplier = {type: 'number', exclusiveMinimum: 0} as const

/** JSON Schema of one budget entry. Limits stay strings here; units.ts parses them. */
export const ENTRY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: {type: 'string', minLength: 1},
    description: {type: 'string'},
    model: {type: 'string', minLength: 1},
    base: {type: 'string', minLength: 1},
    spec: {type: 'string', minLength: 1},
    onnx: {type: 'string', minLength: 1},
    depth: multiplier,
    width: multiplier,
    resolution: multiplier,
    imageSize: {type: 'integer', minimum: 1},
    phi: {type: 'number', minimum: 0},
    alpha: multiplier,
    beta: multiplier,
    gamma: multiplier,
    inputShape: {type: 'array', minItems: 1, items: {type: 'integer', minimum: 1}},
    shapes: {enum: ['static', 'ort']},
    inputValues: {type: 'object', additionalProperties: {type: 'array', minItems: 1, items: {type: 'number'}}},
    batch: {type: 'integer', minimum: 1},
    dtype: {enum: [...DTYPES]},
    latencyStat: {enum: [...LATENCY_STATS]},
    sweepModel: {type: 'string', minLength: 1},
    ...Object.fromEntries(FIGURE_NAMES.map((f) => [FIGURES[f].limitKey, limit])),
  },
} as const

/** JSON Schema of a budget file (JSON or YAML). */
export const BUDGET_FILE_SCHEMA = {
  $id: 'effscale/budget-file',
  type: 'object',
  additionalProperties: false,
  required: ['budgets'],
  properties: {
    $schema: {type: 'string'},
    budgets: {type: 'array', minItems: 1, items: ENTRY_SCHEMA},
  },
} as const

export const ENTRY_KEYS = Object.keys(ENTRY_SCHEMA.properties)
