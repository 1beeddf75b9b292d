import {ajvModule, lazy} from '../lazy.js'
import {describeAjvError} from '../schema-errors.js'
import {UserError} from '../errors.js'
import {REFERENCE_RULE} from './bases.js'
import {BLOCKS, withDefaults} from './blocks.js'
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
  if (!validate(raw)) {
    const e = validate.errors?.[0]
    if (e?.keyword === 'discriminator') {
      const {tag, tagValue} = e.params as {tag: string; tagValue: unknown}
      const at = e.instancePath.slice(1).replaceAll('/', '.')
      throw new UserError(`${source}: ${at}.${tag} ${JSON.stringify(tagValue)} is not a block kind; one of ${Object.keys(BLOCKS).join(', ')}`)
    }
    throw new UserError(`${source}: ${describeAjvError(e, 'invalid base spec')}`)
  }
  const spec = raw as Partial<BaseSpec> & Pick<BaseSpec, 'name' | 'imageSize' | 'stem' | 'stages'>
  return {
    inputChannels: 3,
    numClasses: 1000,
    activation: 'swish',
    dropout: 0,
    ...spec,
    stages: spec.stages.map(withDefaults),
    scaling: {...REFERENCE_RULE, ...spec.scaling},
  }
}

