import {Flags} from '@oclif/core'
import {EffscaleCommand} from '../cli/base-command.js'
import {renderTable} from '../cli/table.js'
import {writeFileAtomic} from '../io/write.js'
import {calibrate} from '../latency/model.js'
import {buildModel, type LatencyModel} from '../latency/model-file.js'
import {sweepSamples} from '../latency/samples.js'
import {UserError} from '../errors.js'

/** Fewer networks than this leave leave-one-out nothing to judge. */
const MIN_SAMPLES = 4

export default class Calibrate extends EffscaleCommand<LatencyModel> {
  static override summary = 'Fit a latency model of your device from one sweep, to predict any scaled point without measuring it'
  static override description = `Per op class (1×1 conv, depthwise conv, dense k×k conv, SE/pool/element-wise, linear):
time = MACs / throughput + bytes / bandwidth + cost per kernel, plus a fixed cost per inference,
every coefficient ≥ 0 (non-negative least squares on relative error). Several feature sets are
fitted; the one with the lowest leave-one-out error is kept. When the sweep ran with --profile,
the fit is op by op: ONNX Runtime's kernel time of every op beside every network's latency
(kept: the per-op law that best predicts the kernels of a network left out). The model is valid
for the sweep's EP, device, dtype and input kind only; predict, search, family and check refuse it elsewhere.`

  static override examples = [
    '<%= config.bin %> calibrate --sweep runs/cpu',
    '<%= config.bin %> calibrate --sweep runs/cpu --out cpu-latency.json',
  ]

  static override flags = {
    sweep: Flags.string({description: 'sweep directory to calibrate on', required: true}),
    out: Flags.string({description: 'latency model file to write', default: 'latency-model.json'}),
  }

  async run(): Promise<LatencyModel> {
    const {flags} = await this.parse(Calibrate)
    const data = sweepSamples(flags.sweep)
    if (data.samples.length < MIN_SAMPLES) {
      throw new UserError(`--sweep ${flags.sweep}: ${data.samples.length} distinct measured network(s); a latency model needs at least ${MIN_SAMPLES}`)
    }
    for (const s of data.skipped) process.stderr.write(`effscale: warning: skipped ${s}\n`)
    const model = buildModel(flags.sweep, data, calibrate(data.samples))
    writeFileAtomic(flags.out, JSON.stringify(model, null, 2) + '\n', `--out ${flags.out}`)
    this.log(render(model, flags.out))
    return model
  }
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`
const abs = (x: number) => `${(100 * x).toFixed(1)}%`

export function render(m: LatencyModel, out: string): string {
  const id = m.identity
  const terms = m.columns
    .map((c, i) => [c, m.coefficients[i]] as const)
    .filter(([, v]) => v > 0)
    .map(([c, v]) => `${c} ${v.toExponential(3)} ms`)
  return [
    `latency model of ${id.device} (EP ${id.ep}, ${id.dtype}, ${id.input}; batch ${m.batches.join(', ')}) from ${m.source.samples} networks of ${m.source.sweep} (${m.source.latency})`,
    m.source.profiled ? `fitted op by op on the kernel times of ${m.source.profiled} profiled networks (sweep --profile) and every network's latency` : 'fitted to whole-network latencies (a sweep with --profile adds kernel times, fitted op by op)',
    `kept: ${m.featureSet}; terms ≥ 0 per unit: ${terms.join(', ') || 'none'}`,
    '',
    renderTable(
      ['network', 'batch', 'measured ms', 'model ms', 'residual', 'leave-one-out ms', 'LOO error'],
      m.residuals.map((r) => [r.label, r.batch, r.measuredMs.toFixed(2), r.predictedMs.toFixed(2), pct(r.predictedMs / r.measuredMs - 1), r.looMs.toFixed(2), pct(r.looMs / r.measuredMs - 1)]),
    ),
    '',
    renderTable(
      ['feature set', 'LOO rms', 'LOO median', 'LOO p90', 'within ±10%'],
      m.candidates.map((c) => [c.featureSet + (c.featureSet === m.featureSet ? ' (kept)' : ''), abs(c.loo.rmsRel), abs(c.loo.medianAbsRel), abs(c.loo.p90AbsRel), `${(100 * c.loo.within10).toFixed(0)}%`]),
    ),
    '',
    `R² of measured latency: against MACs ${m.r2.macs.toFixed(3)}, against activations ${m.r2.activations.toFixed(3)}, against the model ${m.r2.model.toFixed(3)}`,
    `fit rms error ${abs(m.fit.rmsRel)}; leave-one-out: median ${abs(m.loo.medianAbsRel)}, p90 ${abs(m.loo.p90AbsRel)} (predictions quote ±p90), ${(100 * m.loo.within10).toFixed(0)}% within ±10%`,
    `wrote ${out}`,
  ].join('\n')
}
