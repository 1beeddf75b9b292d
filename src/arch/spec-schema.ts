import {ACTIVATIONS} from './spec.js'

const positiveInt = {type: 'integer', minimum: 1} as const
const stride = {type: 'integer', enum: [1, 2, 3, 4]} as const
const kernel = {type: 'integer', minimum: 1, maximum: 15} as const

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
    inputChannels: positiveInt,
    numClasses: positiveInt,
    activation: {enum: [...ACTIVATIONS]},
    stem: {
      type: 'object',
      additionalProperties: false,
      required: ['out', 'kernel', 'stride'],
      properties: {
        out: positiveInt,
        kernel,
        stride,
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
      items: {
        type: 'object',
        required: ['block'],
        discriminator: {propertyName: 'block'},
        oneOf: [
          {
            additionalProperties: false,
            required: ['block', 'repeats', 'kernel', 'stride', 'expand', 'out'],
            properties: {
              block: {const: 'mbconv'},
              repeats: positiveInt,
              kernel,
              stride,
              expand: {type: 'number', minimum: 1, maximum: 64},
              se: {type: 'number', minimum: 0, maximum: 1},
              out: positiveInt,
            },
          },
          {
            additionalProperties: false,
            required: ['block', 'repeats', 'kernel', 'stride', 'out'],
            properties: {block: {const: 'dwsep'}, repeats: positiveInt, kernel, stride, out: positiveInt},
          },
          {
            additionalProperties: false,
            required: ['block', 'repeats', 'stride', 'mid', 'out'],
            properties: {block: {const: 'bottleneck'}, repeats: positiveInt, stride, mid: positiveInt, out: positiveInt},
          },
        ],
      },
    },
    head: {type: 'object', additionalProperties: false, required: ['out'], properties: {out: positiveInt}},
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
} as const
