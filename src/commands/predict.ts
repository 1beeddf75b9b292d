import {Flags} from '@oclif/core'
import {resolveTarget} from '../arch/target.js'
import {EffscaleCommand} from '../cli/base-command.js'
import {human, parsePositiveInt} from '../cli/numbers.js'
import {targetFlags, targetFromFlags} from '../cli/target-flags.js'
import {lowerTarget} from '../flops/index.js'
import {checkIdentity, predict, readLatencyModel, type Prediction} from '../latency/model-file.js'
import {networkFeatures} from '../latency/features.js'
import type {DType} from '../flops/memory.js'
import {EMIT_DTYPES, EMIT_INPUTS} from '../onnx/emit.js'

export interface PredictResult extends Prediction {
  model: string
  batch: number
  macs: number
  activations: number
  bytes: number
  latencyModel: {file: string; ep: string; device: string; dtype: string; input: string}
}

export default class Predict extends EffscaleCommand<PredictResult> {
  static override summary = 'Predict the latency of any scaled point on your device from a calibrated latency model'
  static override description = `The model comes from \`effscale calibrate --sweep DIR\`. The range low…high is the
prediction ∓ the 90th percentile of the calibration's leave-one-out error; a point outside the
MACs, bytes, kernel count or batch sizes calibrated on is marked as extrapolating.`

  static override examples = [
    '<%= config.bin %> predict --latency-model latency-model.json --model efficientnet-b3',
    '<%= config.bin %> predict --latency-model latency-model.json --base efficientnet-b0 --width 1.4 --depth 1.2 --image-size 160 --json',
  ]

  static override flags = {
    ...targetFlags,
    'latency-model': Flags.string({description: 'latency model file written by effscale calibrate', required: true}),
    batch: Flags.string({description: 'batch size', default: '1'}),
    ep: Flags.string({description: 'execution provider the prediction is for (refused if the model was calibrated on another)', options: ['cpu', 'cuda']}),
    dtype: Flags.string({description: 'dtype the prediction is for (refused if the model was calibrated on another)', options: [...EMIT_DTYPES]}),
    input: Flags.string({description: 'input kind the prediction is for (refused if the model was calibrated on another)', options: [...EMIT_INPUTS]}),
  }

  async run(): Promise<PredictResult> {
    const {flags} = await this.parse(Predict)
    const file = flags['latency-model']
    const lm = readLatencyModel(file)
    checkIdentity(lm, {ep: flags.ep, dtype: flags.dtype, input: flags.input}, `--latency-model ${file}`)
    const batch = parsePositiveInt('--batch', flags.batch)!
    const target = resolveTarget(targetFromFlags(flags))
    const net = lowerTarget(target)
    const f = networkFeatures(net, batch, lm.identity.dtype as DType)
    const p = predict(lm, net, batch)
    const result: PredictResult = {
      model: target.label,
      batch,
      macs: f.totalMacs,
      activations: f.activations,
      bytes: f.totalBytes,
      ...p,
      latencyModel: {file, ...lm.identity},
    }
    this.log(render(result))
    return result
  }
}

function render(r: PredictResult): string {
  const m = r.latencyModel
  const lines = [
    `${r.model}, batch ${r.batch}: predicted ${r.latencyMs.toFixed(2)} ms (${r.low.toFixed(2)}…${r.high.toFixed(2)})${r.extrapolating ? ', extrapolating' : ''}`,
    `  ${human(r.macs)} MACs, ${human(r.activations)} activations per sample; model ${m.file}: EP ${m.ep} on ${m.device}, ${m.dtype}, ${m.input}`,
  ]
  if (r.extrapolating) lines.push(`  extrapolates: ${r.outside.join('; ')}`)
  return lines.join('\n')
}
