import {BLOCKS, MAX_SPEC_CHANNELS} from './blocks.js'
import {ACTIVATIONS, type BlockKind} from './spec.js'

const positiveInt = {type: 'integer', minimum: 1}
const channels = {type: 'integer', minimum: 1, maximum: MAX_SPEC_CHANNELS}
const stride = {type: 'integer', enum: [1, 2, 3, 4]}
const kernel = {type: 'integer', minimum: 1, maximum: 15}

/** JSON Schema of a user's base network (`--spec`); mirrors BaseSpec in spec.ts. */
export const BASE_SPEC_SCHEMA = {
  $id: 'effscale/base-spec',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'imageSize', 'stem', 'stages'],
  properties: {
    $schema: {type: 'string'},
    name: {type: 'string', minLength: 1},
    description: {type: 'string'},
    imageSize: {type: 'integer', minimum: 8, maximum: 8192},
    inputChannels: channels,
    numClasses: {type: 'integer', minimum: 1, maximum: 1000000},
    activation: {enum: [...ACTIVATIONS]},
    stem: {
      type: 'object',
      additionalProperties: false,
      required: ['out', 'kernel', 'stride'],
      properties: {
        out: channels,
        kernel,
        stride,
        kind: {enum: ['conv', 'patchify']},
        maxpool: {
          type: 'object',
          additionalProperties: false,
          required: ['kernel', 'stride'],
          properties: {kernel, stride},
        },
      },
    },
    stages: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['block'],
        discriminator: {propertyName: 'block'},
        // One branch per entry of the block table (blocks.ts).
        oneOf: (Object.keys(BLOCKS) as BlockKind[]).map((kind) => ({
          additionalProperties: false,
          required: ['block', ...BLOCKS[kind].schema.required],
          properties: {block: {const: kind}, ...BLOCKS[kind].schema.properties},
        })),
      },
    },
    head: {
      type: 'object',
      additionalProperties: false,
      oneOf: [{required: ['out']}, {required: ['expand']}],
      properties: {out: channels, expand: {type: 'number', minimum: 0.0625, maximum: 64}},
    },
    classifier: {
      type: 'object',
      additionalProperties: false,
      properties: {hidden: channels, norm: {enum: ['layernorm']}},
    },
    dropout: {type: 'number', minimum: 0, maximum: 1},
    scaling: {
      type: 'object',
      additionalProperties: false,
      properties: {
        divisor: positiveInt,
        maxRoundDown: {type: 'number', minimum: 0, maximum: 1},
        depthRounding: {enum: ['ceil', 'round', 'floor']},
        scaleStem: {type: 'boolean'},
        head: {enum: ['scale', 'scale-up-only', 'fixed']},
      },
    },
  },
}
