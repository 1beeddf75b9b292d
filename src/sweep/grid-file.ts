/** A user grid file (--grid): JSON, validated with ajv; errors name the file and the field. */
import {ajvModule, lazy} from '../lazy.js'
import {describeAjvError} from '../schema-errors.js'
import {UserError} from '../errors.js'
import {DIMS, DTYPES, INPUTS, scaled, variant, type Dim, type Dtype, type InputLayout, type Shape0} from './grid.js'

export interface GridFile {
  base?: string
  dims?: Dim[]
  phiMax?: number
  models?: string[]
  points?: Array<{
    /** Group name for the points (record's `grid`); default "custom". */
    grid?: string
    base?: string
    depth?: number
    width?: number
    resolution?: number
    imageSize?: number
    phi?: number
  }>
  batch?: number[]
  dtype?: Dtype
  input?: InputLayout
}

const positive = {type: 'number', exclusiveMinimum: 0}
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    base: {type: 'string', minLength: 1},
    dims: {type: 'array', items: {enum: [...DIMS]}, uniqueItems: true},
    phiMax: {type: 'integer', minimum: 0, maximum: 20},
    models: {type: 'array', items: {type: 'string', minLength: 1}},
    points: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          grid: {type: 'string', minLength: 1, pattern: '^[^|]+$'},
          base: {type: 'string', minLength: 1},
          depth: positive,
          width: positive,
          resolution: positive,
          imageSize: {type: 'integer', minimum: 1},
          phi: {type: 'number', minimum: 0},
        },
      },
    },
    batch: {type: 'array', minItems: 1, items: {type: 'integer', minimum: 1}},
    dtype: {enum: [...DTYPES]},
    input: {enum: [...INPUTS]},
  },
} as const

const validator = lazy(() => new (ajvModule().Ajv)({allErrors: false}).compile<GridFile>(SCHEMA))

export function parseGridFile(text: string, source: string): GridFile {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new UserError(`--grid ${source}: not valid JSON (${(error as Error).message})`)
  }
  const validate = validator()
  if (!validate(raw)) throw new UserError(`--grid ${source}: ${describeAjvError(validate.errors?.[0], 'invalid grid')}`)
  const g = raw
  if (!g.dims?.length && !g.models?.length && !g.points?.length) {
    throw new UserError(`--grid ${source}: the grid is empty (give dims, models or points)`)
  }
  return g
}

/** Shapes of the file's explicit points and models (dims are expanded by buildGrid). */
export function fileShapes(g: GridFile, source: string): Shape0[] {
  const at = <T>(field: string, f: () => T): T => {
    try {
      return f()
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`--grid ${source}: ${field}: ${error.message}`)
      throw error
    }
  }
  return [
    ...(g.models ?? []).map((name, i) => at(`models.${i}`, () => variant(name))),
    ...(g.points ?? []).map(({grid = 'custom', base = g.base ?? 'efficientnet-b0', ...m}, i) => at(`points.${i}`, () => scaled(grid, base, m))),
  ]
}

