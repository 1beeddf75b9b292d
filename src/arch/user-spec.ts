import {ajvModule, lazy} from '../lazy.js'
import {describeAjvError} from '../schema-errors.js'
import {UserError} from '../errors.js'
import {REFERENCE_RULE} from './bases.js'
import type {BaseSpec} from './spec.js'
import {BASE_SPEC_SCHEMA} from './spec-schema.js'

// discriminator: errors name the stage kind's own fields, not every oneOf branch.
const validator = lazy(() => new (ajvModule().Ajv)({allErrors: false, discriminator: true}).compile(BASE_SPEC_SCHEMA))

/**
 * Parse and validate a user's base network (JSON text). Omitted fields take the reference
 * defaults (3 input channels, 1000 classes, swish, the reference scaling rule). Errors name
 * the source and the field.
 */
export function parseBaseSpec(text: string, source: string): BaseSpec {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new UserError(`${source}: not valid JSON (${(error as Error).message})`)
  }
  const validate = validator()
  if (!validate(raw)) throw new UserError(`${source}: ${describeAjvError(validate.errors?.[0], 'invalid base spec')}`)
  const spec = raw as Partial<BaseSpec> & Pick<BaseSpec, 'name' | 'imageSize' | 'stem' | 'stages'>
  return {
    inputChannels: 3,
    numClasses: 1000,
    activation: 'swish',
    dropout: 0,
    ...spec,
    stages: spec.stages.map((s) => (s.block === 'mbconv' ? {...s, se: s.se ?? 0} : s)),
    scaling: {...REFERENCE_RULE, ...spec.scaling},
  }
}

