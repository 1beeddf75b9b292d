import {Flags} from '@oclif/core'
import {resolveTarget} from '../arch/target.js'
import {EffscaleCommand} from '../cli/base-command.js'
import {bytes, human, parseNumber, parsePositiveInt} from '../cli/numbers.js'
import {givenTargetFlags, maxMemoryFlag, parseMaxMemory, targetFlags, targetFromFlags} from '../cli/target-flags.js'
import {checkEstimate, estimateCost, memoryLimit} from '../flops/estimate.js'
import {UserError} from '../errors.js'
import {EMIT_DTYPES, EMIT_INPUTS, type EmitOptions} from '../onnx/emit.js'
import {exportTarget, type ExportResult} from '../onnx/export.js'

export default class Export extends EffscaleCommand<ExportResult> {
  static override summary = 'Write a runnable ONNX model (opset 17, seeded random weights) of any scaling of a network'
  static override description = `The graph is emitted from the same op list the FLOPs counter reads, so "effscale flops --onnx" on it
gives the analytic MACs exactly. BN is folded into each conv's bias, so the file holds
(analytic params − one per BN channel) parameters.`

  static override examples = [
    '<%= config.bin %> export --model efficientnet-b0 --out b0.onnx',
    '<%= config.bin %> export --base efficientnet-b0 --depth 1.4 --width 1.2 --resolution 1.3 --out b0-compound.onnx',
    '<%= config.bin %> export --model efficientnet-b7 --batch 64 --dtype fp16 --out b7.onnx',
    '<%= config.bin %> export --model mobilenet-v2 --dynamic-batch --input uint8-nhwc --out mnv2.onnx --force',
    '<%= config.bin %> export --model efficientnet-b7 --external-data --out b7.onnx',
  ]

  static override flags = {
    ...targetFlags,
    out: Flags.string({description: 'ONNX file to write', required: true}),
    force: Flags.boolean({description: 'overwrite --out if it exists', default: false}),
    batch: Flags.string({description: 'static batch size (default 1)'}),
    'dynamic-batch': Flags.boolean({description: 'leave the batch dimension dynamic', default: false}),
    dtype: Flags.string({description: 'weights and arithmetic', options: [...EMIT_DTYPES], default: 'fp32'}),
    input: Flags.string({description: 'input layout; uint8-nhwc normalises inside the graph', options: [...EMIT_INPUTS], default: 'float32-nchw'}),
    seed: Flags.string({description: 'seed of the random weights', default: '0'}),
    'external-data': Flags.boolean({
      description: 'write the weights to OUT.data beside the model (automatic when they pass 2 GiB, which protobuf cannot hold)',
      default: false,
    }),
    'max-memory': maxMemoryFlag,
  }

  async run(): Promise<ExportResult> {
    const {flags} = await this.parse(Export)
    if (flags['dynamic-batch'] && flags.batch !== undefined) throw new UserError('--batch conflicts with --dynamic-batch: give one of them')
    const seed = parseNumber('--seed', flags.seed)!
    if (!Number.isInteger(seed)) throw new UserError(`--seed must be a whole number, got "${flags.seed}"`)
    const target = resolveTarget(targetFromFlags(flags))
    const batch = flags['dynamic-batch'] ? 'dynamic' : (parsePositiveInt('--batch', flags.batch) ?? 1)
    const dtype = flags.dtype as EmitOptions['dtype']
    // Before any work: the emitter allocates every weight; refuse what would not fit in memory
    // (a file over 2 GiB is fine: its weights go to external data).
    const estimate = estimateCost(target, {batch: batch === 'dynamic' ? 1 : batch, dtype})
    checkEstimate(estimate, memoryLimit(parseMaxMemory(flags['max-memory'])), givenTargetFlags(flags, {batch: flags.batch}))
    const result = exportTarget(target, {
      out: flags.out,
      force: flags.force,
      batch,
      dtype,
      input: flags.input as EmitOptions['input'],
      seed,
      externalData: flags['external-data'],
    })
    this.log(render(result))
    return result
  }
}

function render(r: ExportResult): string {
  return [
    `wrote ${r.out} (${bytes(r.bytes)})${r.externalData ? ` + external data ${r.externalData.file} (${bytes(r.externalData.bytes)})` : ''}: ${r.model}, batch ${r.batch}, ${r.dtype}, input ${r.input}, seed ${r.seed}, ONNX opset ${r.opset}`,
    `params ${human(r.params)} = analytic ${human(r.analyticParams)} − ${human(r.foldedBnParams)} (BN folded into conv bias); ` +
      `MACs ${human(r.macs)} per image (FLOPs = 2 × MACs)`,
  ].join('\n')
}
