import {Flags} from '@oclif/core'
import {parseBenchmarkCsv, type Benchmark} from '../accuracy/benchmark.js'
import {accuracySummary, parseAccuracyCsv, unknownModelsWarning, type AccuracySummary} from '../accuracy/csv.js'
import {resolveAccuracy} from '../accuracy/resolve.js'
import {EffscaleCommand} from '../cli/base-command.js'
import {human} from '../cli/numbers.js'
import {renderTable} from '../cli/table.js'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'
import {CONVENTION} from '../flops/index.js'
import {DWR_LAW} from '../search/fit-dwr.js'
import {
  dwrGroupName,
  fitFamilies,
  fitGroups,
  fitPoints,
  GROUPINGS,
  LAWS,
  parseGrouping,
  parseLaw,
  pathGroupName,
  resolveGrouping,
  type FamilyMapping,
  type FitGroup,
  type GroupedFits,
  type Law,
  type ResolvedGrouping,
} from '../search/fit-groups.js'
import {predictRequest, type PredictionResult} from '../search/fit-predict.js'
import {validateFamilies, validatePoints, type Validation} from '../search/fit-validate.js'
import {LAW} from '../search/fit.js'

export interface FitResult {
  convention: typeof CONVENTION
  /** The law fitted, in words. */
  law: string
  lawName: Law
  file: string
  /** The accuracy file read: rows placed, and rows naming models effscale cannot build. */
  accuracy: AccuracySummary
  /** The grouping used (auto resolved: family for timm files, path otherwise). */
  by: ResolvedGrouping
  benchmarks: Array<{file: string; rows: number; duplicates: number}>
  /** With --by family: how the timm rows found MACs and groups. */
  family: FamilyMapping | null
  groups: FitGroup[]
  predictions: PredictionResult[]
  /** With --validate: every point held out and predicted from the rest. */
  validation: Validation | null
}

export default class FitCommand extends EffscaleCommand<FitResult> {
  static override summary = 'Fit accuracy against MACs, one curve per scaling path (or per timm family and recipe), and predict with intervals'
  static override description = `${LAW}, fitted by Levenberg–Marquardt, one curve per scaling path of each base (depth only,
width only, resolution only, compound; the unscaled base joins each), or per architecture family and
training recipe of a timm results file (--by family; MACs from effscale, else from --benchmark files).
--law dwr fits ${DWR_LAW} per base instead: one law in the multipliers, a curve for every path.
--predict gives top-1 with a 95 % prediction interval from leave-one-out (LOO) errors — t × the larger of
the LOO RMS error and that of the comparable points — and refuses a point off every fitted path (--by all
applies one curve anyway, marked off-path). --validate holds each point out, refits without it and
counts how many fall inside their interval.
MACs = multiply-accumulates (the paper's "FLOPs"); FLOPs = 2 × MACs.`

  static override examples = [
    '<%= config.bin %> fit --accuracy fixtures/paper/b0-paths.csv --predict width=2',
    '<%= config.bin %> fit --accuracy fixtures/paper/b0-paths.csv --law dwr --validate',
    '<%= config.bin %> fit --accuracy fixtures/paper/b0-b7-accuracy.csv --predict model=efficientnet-b8',
    '<%= config.bin %> fit --accuracy results-imagenet.csv --benchmark benchmark-infer-amp-nchw-pt240-cu124-rtx4090.csv --by family',
  ]

  static override flags = {
    accuracy: Flags.string({description: 'CSV: model or base, depth, width, resolution|image_size, top1 — or a timm results CSV', required: true}),
    by: Flags.string({description: `curves per scaling path, per timm family · recipe, or one over all (${GROUPINGS.join(', ')}; auto: family for timm files, else path)`, default: 'auto'}),
    law: Flags.string({description: `macs: ${LAW} per curve; dwr: ${DWR_LAW} per base (${LAWS.join(', ')})`, default: 'macs'}),
    benchmark: Flags.string({description: "timm benchmark CSV (infer_gmacs): MACs for timm models effscale cannot build; repeatable", multiple: true}),
    predict: Flags.string({description: 'predict top-1 at a point: width=2.6, depth=2,resolution=1.3, model=efficientnet-b8, macs=2G,curve=compound', multiple: true}),
    validate: Flags.boolean({description: 'hold each point out, refit without it and check it against its predicted interval'}),
  }

  async run(): Promise<FitResult> {
    const {flags} = await this.parse(FitCommand)
    const law = parseLaw(flags.law)
    const data = parseAccuracyCsv(readText(flags.accuracy, '--accuracy'), flags.accuracy)
    const by = resolveGrouping(parseGrouping(flags.by), data.format)
    const benchmarks: Benchmark[] = (flags.benchmark ?? []).map((f) => parseBenchmarkCsv(readText(f, '--benchmark'), f))
    if (by === 'family' && data.format !== 'timm') throw new UserError(`--by family groups a timm results file by family and recipe; ${flags.accuracy} is a points CSV (use --by path)`)
    if (by === 'family' && law === 'dwr') throw new UserError('--law dwr needs effscale points (depth, width, resolution); it does not apply to --by family')
    if (benchmarks.length && by !== 'family') throw new UserError('--benchmark gives MACs to timm rows; it goes with --by family')

    let grouped: GroupedFits
    let validation: Validation | null = null
    if (by === 'family') {
      grouped = fitFamilies(data.timm, benchmarks)
      if (flags.validate) validation = validateFamilies(grouped)
    } else {
      const points = fitPoints(resolveAccuracy(data))
      grouped = fitGroups(points, by, law)
      const bases = grouped.bases.length
      if (flags.validate) {
        validation = validatePoints(points, by, law, (p) => (law === 'dwr' ? dwrGroupName(p.base!) : by === 'all' ? 'all' : pathGroupName(p.base!, p.path!, bases)))
      }
    }
    const predictions = (flags.predict ?? []).map((p) => predictRequest(p, grouped, benchmarks))
    const accuracy = accuracySummary(data)
    const unknown = by === 'family' ? undefined : unknownModelsWarning(accuracy, 'not fitted', this.jsonEnabled())
    if (unknown) process.stderr.write(`effscale: ${unknown}\n`)
    for (const n of data.notes) process.stderr.write(`effscale: ${n}\n`)
    const result: FitResult = {
      convention: CONVENTION,
      law: law === 'dwr' ? DWR_LAW : LAW,
      lawName: law,
      file: flags.accuracy,
      accuracy,
      by,
      benchmarks: benchmarks.map((b) => ({file: b.source, rows: b.rows.length, duplicates: b.duplicates})),
      family: grouped.family,
      groups: grouped.groups,
      predictions,
      validation,
    }
    this.log(render(result))
    return result
  }
}

const pp = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2))
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`

function render(r: FitResult): string {
  const lines = [`${r.law}, fitted to ${r.file} by ${r.by} (top-1 in percent; LOO = leave-one-out)`, r.convention]
  if (r.family) lines.push(...renderFamily(r.family, r.groups))
  else for (const g of r.groups) lines.push('', ...renderGroup(g))
  if (r.predictions.length) {
    lines.push(
      '',
      renderTable(
        ['predict', 'model', 'curve', 'MACs', 'top-1', '± (95 %)', 'note'],
        r.predictions.map((p) => [p.request, p.label, p.group, human(p.macs), p.top1.toFixed(2), pp(p.uncertainty), p.notes.join('; ')]),
      ),
    )
  }
  if (r.validation) lines.push('', ...renderValidation(r.validation, r.by === 'family'))
  return lines.join('\n')
}

function renderGroup(g: FitGroup): string[] {
  const head = `[${g.group}] ${g.points.length} points`
  if (g.fit) {
    const f = g.fit
    return [
      head,
      `  a = ${f.a.toFixed(3)}  b = ${f.b.toFixed(4)}  c = ${f.c.toFixed(4)}   RMS residual ${pp(f.rmse)}; LOO RMS ${pp(f.looError)} (interior ${pp(f.looErrorInterior)}, ends ${pp(f.looErrorEnds)})`,
      renderTable(
        ['model', 'MACs', 'top-1', 'fitted', 'residual', 'LOO pred', 'LOO error'],
        g.points.map((p, i) => {
          const loo = f.loo?.[i]
          return [p.label, human(p.macs), p.top1.toFixed(2), (p.top1 - f.residuals[i]).toFixed(2), signed(f.residuals[i]), loo ? loo.predicted.toFixed(2) : '—', loo ? `${signed(loo.error)}${loo.interior ? '' : ' (end)'}` : '—']
        }),
      ).replace(/^/gm, '  '),
    ]
  }
  if (g.dwr) {
    const f = g.dwr
    return [
      head,
      `  a = ${f.a.toFixed(3)}  b_d = ${f.b.depth.toFixed(3)}  b_w = ${f.b.width.toFixed(3)}  b_r = ${f.b.resolution.toFixed(3)}  c = ${f.c.toFixed(4)}   RMS residual ${pp(f.rmse)}; LOO RMS ${pp(f.looError)}`,
      renderTable(
        ['model', 'path', 'MACs', 'top-1', 'fitted', 'residual', 'LOO pred', 'LOO error'],
        g.points.map((p, i) => {
          const loo = f.loo?.[i]
          return [p.label, p.path ?? '—', human(p.macs), p.top1.toFixed(2), (p.top1 - f.residuals[i]).toFixed(2), signed(f.residuals[i]), loo ? loo.predicted.toFixed(2) : '—', loo ? signed(loo.error) : '—']
        }),
      ).replace(/^/gm, '  '),
    ]
  }
  return [head, `  not fitted: ${g.skipped}`]
}

function renderFamily(m: FamilyMapping, groups: FitGroup[]): string[] {
  const fitted = groups.filter((g) => g.fit)
  const lines = [
    '',
    `${m.rows} rows: ${m.mapped.effscale + m.mapped.benchmark} with MACs (${m.mapped.effscale} effscale's own count, ${m.mapped.benchmark} timm's benchmark), ${m.grouped} in ${fitted.length} fitted family · recipe groups`,
    ...m.skipped.map((s) => `skipped ${s.rows}: ${s.reason} (e.g. ${s.examples.join(', ')})`),
    '',
    renderTable(
      ['family · recipe', 'rows', 'MACs from', 'a', 'b', 'c', 'RMS', 'LOO RMS'],
      fitted.map((g) => {
        const f = g.fit!
        const from = [...new Set(g.points.map((p) => p.macsFrom))].join(' + ')
        return [g.group, g.points.length, from, f.a.toFixed(2), f.b.toFixed(3), f.c.toFixed(3), pp(f.rmse), pp(f.looError)]
      }),
    ),
  ]
  return lines
}

function renderValidation(v: Validation, perGroup: boolean): string[] {
  const refused = v.points.filter((p) => p.refused)
  const summary = `held out one at a time: ${v.covered} of ${v.withInterval} predicted points inside their 95 % interval; ${v.predicted} predicted, ${refused.length} refused (too few points left, or off every path); held-out error: median ${pp(v.medianError)}, RMS ${pp(v.rmsError)}`
  if (perGroup) {
    const groups = [...new Set(v.points.filter((p) => p.error !== null).map((p) => p.group))]
    return [
      summary,
      renderTable(
        ['family · recipe', 'held out', 'inside 95 %', 'held-out RMS'],
        groups.map((g) => {
          const ps = v.points.filter((p) => p.group === g && p.error !== null)
          const w = ps.filter((p) => p.covered !== null)
          return [g, ps.length, `${w.filter((p) => p.covered).length} of ${w.length}`, pp(Math.sqrt(ps.reduce((s, p) => s + p.error! ** 2, 0) / Math.max(1, ps.length)))]
        }),
      ),
    ]
  }
  return [
    summary,
    renderTable(
      ['held out', 'curve', 'top-1', 'predicted', '± (95 %)', 'error', 'inside'],
      v.points.map((p) => [p.label, p.group, p.top1.toFixed(2), pp(p.predicted), pp(p.uncertainty), p.error === null ? '—' : signed(p.error), p.refused ? `refused: ${p.refused.split('. Fitted:')[0]}` : p.covered === null ? '—' : p.covered ? 'yes' : 'NO']),
    ),
  ]
}
