import {Flags} from '@oclif/core'
import {accuracySummary, parseAccuracyCsv, unknownModelsWarning, type AccuracySummary} from '../accuracy/csv.js'
import {resolveAccuracy} from '../accuracy/resolve.js'
import {EffscaleCommand} from '../cli/base-command.js'
import {human} from '../cli/numbers.js'
import {renderTable} from '../cli/table.js'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'
import {CONVENTION} from '../flops/index.js'
import {LAW} from '../search/fit.js'
import {fitGroups, GROUPINGS, predictRequest, type FitGroup, type Grouping, type PredictionResult} from '../search/fit-groups.js'

export interface FitResult {
  convention: typeof CONVENTION
  law: typeof LAW
  file: string
  /** The accuracy file read: rows placed, and rows naming models effscale cannot build (not fitted). */
  accuracy: AccuracySummary
  by: Grouping
  groups: FitGroup[]
  predictions: PredictionResult[]
}

export default class FitCommand extends EffscaleCommand<FitResult> {
  static override summary = 'Fit accuracy against MACs with a saturating law, per scaling dimension or overall'
  static override description = `${LAW}, fitted by Levenberg–Marquardt nonlinear least squares. Reports the
parameters, residuals and leave-one-out (LOO) error; --predict gives accuracy ± the LOO RMS error
(interior points' inside the fitted range, the end points' when extrapolating). Needs at least 3
distinct MACs values per curve (3 parameters), 4 for a LOO error.
MACs = multiply-accumulates (the paper's "FLOPs"); FLOPs = 2 × MACs.`

  static override examples = [
    '<%= config.bin %> fit --accuracy fixtures/paper/b0-b7-accuracy.csv --predict model=efficientnet-b8',
    '<%= config.bin %> fit --accuracy results.csv --by dimension --predict width=2.6',
  ]

  static override flags = {
    accuracy: Flags.string({description: 'CSV: model or base, depth, width, resolution|image_size, top1 — or a timm results CSV', required: true}),
    by: Flags.string({description: `one curve over all points, or one per scaling dimension (${GROUPINGS.join(', ')})`, default: 'all'}),
    predict: Flags.string({description: 'predict top-1 at a point: width=2.6, depth=2,resolution=1.3, model=efficientnet-b8, macs=2G', multiple: true}),
  }

  async run(): Promise<FitResult> {
    const {flags} = await this.parse(FitCommand)
    const by = flags.by as Grouping
    if (!GROUPINGS.includes(by)) throw new UserError(`--by must be one of ${GROUPINGS.join(', ')}, got "${flags.by}"`)
    const data = parseAccuracyCsv(readText(flags.accuracy, '--accuracy'), flags.accuracy)
    const points = resolveAccuracy(data)
    const grouped = fitGroups(points, by)
    const predictions = (flags.predict ?? []).map((p) => predictRequest(p, points, grouped, by))
    const accuracy = accuracySummary(data)
    const unknown = unknownModelsWarning(accuracy, 'not fitted', this.jsonEnabled())
    if (unknown) process.stderr.write(`effscale: ${unknown}\n`)
    const result: FitResult = {convention: CONVENTION, law: LAW, file: flags.accuracy, accuracy, by, groups: grouped.groups, predictions}
    this.log(render(result))
    return result
  }
}

const pp = (x: number | null) => (x === null ? '—' : x.toFixed(2))
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`

function render(r: FitResult): string {
  const lines = [`${r.law}, fitted to ${r.file} (top-1 in the file's units; LOO = leave-one-out)`, r.convention]
  for (const g of r.groups) {
    lines.push('', `[${g.group}] ${g.points.length} points`)
    if (!g.fit) {
      lines.push(`  not fitted: ${g.skipped}`)
      continue
    }
    const f = g.fit
    lines.push(
      `  a = ${f.a.toFixed(3)}  b = ${f.b.toFixed(4)}  c = ${f.c.toFixed(4)}   RMS residual ${pp(f.rmse)}; LOO RMS ${pp(f.looError)} (interior ${pp(f.looErrorInterior)}, ends ${pp(f.looErrorEnds)})`,
      renderTable(
        ['model', 'MACs', 'top-1', 'fitted', 'residual', 'LOO pred', 'LOO error'],
        g.points.map((p, i) => {
          const loo = f.loo?.[i]
          return [p.label, human(p.macs), p.top1.toFixed(2), (p.top1 - f.residuals[i]).toFixed(2), signed(f.residuals[i]), loo ? loo.predicted.toFixed(2) : '—', loo ? `${signed(loo.error)}${loo.interior ? '' : ' (end)'}` : '—']
        }),
      ).replace(/^/gm, '  '),
    )
  }
  if (r.predictions.length) {
    lines.push(
      '',
      renderTable(
        ['predict', 'model', 'curve', 'MACs', 'top-1', '±', 'note'],
        r.predictions.map((p) => [p.request, p.label, p.group, human(p.macs), p.top1.toFixed(2), pp(p.uncertainty), p.extrapolated ? 'extrapolated' : '']),
      ),
    )
  }
  return lines.join('\n')
}
