import {Flags} from '@oclif/core'
import {accuracySummary, parseAccuracyCsv, unknownModelsWarning, type AccuracySummary} from '../accuracy/csv.js'
import {resolveAccuracy} from '../accuracy/resolve.js'
import {EffscaleCommand} from '../cli/base-command.js'
import {human, parseHuman, parseNumber, parsePositiveInt} from '../cli/numbers.js'
import {renderTable} from '../cli/table.js'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'
import {CONVENTION} from '../flops/index.js'
import {baseFromFlags, writeCsv} from '../search/io.js'
import {joinMeasurements, readSweepRecords} from '../search/measured.js'
import {readLatencyModel} from '../latency/model-file.js'
import {predictUnmeasured} from '../latency/predicted.js'
import {DTYPES} from '../sweep/grid.js'
import type {SweepRecord} from '../sweep/record.js'
import {
  costCandidates,
  enumerateGrid,
  MNAS,
  OBJECTIVES,
  rankCandidates,
  type Objective,
  type RankedCandidate,
} from '../search/search.js'

export interface SearchResult {
  convention: typeof CONVENTION
  base: string
  targetRatio: number
  step: number
  tolerance: number
  objective: Objective
  /** 'plan' when nothing could be scored: the list is what to train next. */
  mode: 'ranked' | 'plan'
  mnas: {target: number; w: number}
  latencyBudgetMs: number | null
  baseMacs: number
  scored: number
  /** The --accuracy file: rows placed, and rows naming models effscale cannot build (not used). */
  accuracy: AccuracySummary | null
  unmatchedTrials: number
  unmatchedRecords: number
  candidates: RankedCandidate[]
}

export default class SearchCommand extends EffscaleCommand<SearchResult> {
  static override summary = 'Grid-search compound coefficients α, β, γ with α·β²·γ² ≈ target, costed with real MACs'
  static override description = `Step 1 of the paper's method: candidates α, β, γ ≥ 1 on a grid, α·β²·γ² within --tolerance
(relative) of --target-ratio, each costed at φ = 1 with its real rounded MACs. Ranked by the MnasNet
objective ACC·(MACs/T)^w, by accuracy, or by measured latency under a budget; without accuracy data the
list is a training plan (nearest real MACs ratio first), the paper's (1.2, 1.1, 1.15) marked.
MACs = multiply-accumulates (the paper's "FLOPs"); FLOPs = 2 × MACs.`

  static override examples = [
    '<%= config.bin %> search --base efficientnet-b0 --target-ratio 2 --step 0.05',
    '<%= config.bin %> search --accuracy trials.csv --objective mnas',
    '<%= config.bin %> search --sweep runs/x --objective latency --latency-budget-ms 5',
  ]

  static override flags = {
    base: Flags.string({description: 'base network (default efficientnet-b0)'}),
    spec: Flags.string({description: 'your own base network as a JSON file'}),
    'target-ratio': Flags.string({description: 'wanted α·β²·γ² (MACs growth per φ step), > 1', default: '2'}),
    step: Flags.string({description: 'grid step of α, β and γ', default: '0.05'}),
    tolerance: Flags.string({description: 'allowed relative distance of α·β²·γ² from the target', default: '0.1'}),
    objective: Flags.string({description: `ranking objective: ${OBJECTIVES.join(', ')}`, default: 'mnas'}),
    accuracy: Flags.string({description: 'CSV of trained trials: model or base, depth, width, resolution|image_size, top1 — or a timm results CSV'}),
    sweep: Flags.string({description: 'sweep folder whose results.jsonl holds measured latencies'}),
    'latency-budget-ms': Flags.string({description: 'with --objective latency: drop candidates slower than this'}),
    'latency-model': Flags.string({description: 'latency model (effscale calibrate) predicting the candidates the sweep did not measure, marked "predicted"'}),
    batch: Flags.string({description: 'batch size of the sweep records to use', default: '1'}),
    dtype: Flags.string({description: 'dtype of the sweep records to use (fp32, fp16; default any, fastest wins)'}),
    'mnas-target': Flags.string({description: 'MnasNet objective T, in MACs', default: '400M'}),
    'mnas-w': Flags.string({description: 'MnasNet objective exponent w', default: String(MNAS.w)}),
    limit: Flags.string({description: 'rows shown in the table (JSON and CSV hold all)', default: '20'}),
    csv: Flags.string({description: 'write every candidate to this CSV file (the training plan)'}),
  }

  async run(): Promise<SearchResult> {
    const {flags} = await this.parse(SearchCommand)
    const objective = flags.objective as Objective
    if (!OBJECTIVES.includes(objective)) throw new UserError(`--objective must be one of ${OBJECTIVES.join(', ')}, got "${flags.objective}"`)
    const budget = parseNumber('--latency-budget-ms', flags['latency-budget-ms'])
    if (objective === 'accuracy' && !flags.accuracy) throw new UserError('--objective accuracy needs --accuracy FILE (a CSV of trained trials)')
    if (objective === 'latency' && !flags.sweep && !flags['latency-model']) {
      throw new UserError('--objective latency needs --sweep DIR (a sweep with results.jsonl) or --latency-model FILE (effscale calibrate)')
    }
    if (budget !== undefined && objective !== 'latency') throw new UserError('--latency-budget-ms applies only to --objective latency')
    if (budget !== undefined && !(budget > 0)) throw new UserError(`--latency-budget-ms must be > 0, got ${budget}`)
    const mnas = {target: parseHuman('--mnas-target', flags['mnas-target']), w: parseNumber('--mnas-w', flags['mnas-w'])!}
    if (!(mnas.target > 0)) throw new UserError(`--mnas-target must be > 0, got ${flags['mnas-target']}`)
    const limit = parsePositiveInt('--limit', flags.limit)!

    const base = baseFromFlags(flags.base, flags.spec)
    const grid = {
      targetRatio: parseNumber('--target-ratio', flags['target-ratio'])!,
      step: parseNumber('--step', flags.step)!,
      tolerance: parseNumber('--tolerance', flags.tolerance)!,
    }
    const costed = costCandidates(base, enumerateGrid(grid))
    const data = flags.accuracy === undefined ? undefined : parseAccuracyCsv(readText(flags.accuracy, '--accuracy'), flags.accuracy)
    const trials = data ? resolveAccuracy(data) : []
    if (flags.dtype !== undefined && !DTYPES.includes(flags.dtype as SweepRecord['dtype'])) {
      throw new UserError(`--dtype must be one of ${DTYPES.join(', ')}, got "${flags.dtype}"`)
    }
    const batch = parsePositiveInt('--batch', flags.batch)!
    const records = flags.sweep ? readSweepRecords(flags.sweep, batch, flags.dtype as SweepRecord['dtype'] | undefined) : []
    const join = joinMeasurements(base.name, costed, trials, records)
    if (flags['latency-model']) {
      const lm = flags['latency-model']
      const want = records[0] ?? {dtype: flags.dtype, ep: undefined, input: undefined}
      join.measured = predictUnmeasured(readLatencyModel(lm), `--latency-model ${lm}`, base, costed, join.measured, batch, want)
    }
    if (data && objective !== 'latency' && !join.measured.some((m) => m.top1 !== null)) throw new UserError(noTrialOnGrid(flags.accuracy!, trials.length, data.unknown.length, base.name, grid.step))
    const candidates = rankCandidates(costed, join.measured, {objective, targetRatio: grid.targetRatio, mnas, latencyBudgetMs: budget})
    const scored = candidates.filter((c) => c.score !== null).length
    const result: SearchResult = {
      convention: CONVENTION,
      base: base.name,
      ...grid,
      objective,
      mode: scored > 0 ? 'ranked' : 'plan',
      mnas,
      latencyBudgetMs: budget ?? null,
      baseMacs: costed.length ? costed[0].macs / costed[0].realRatio : 0,
      scored,
      accuracy: data ? accuracySummary(data) : null,
      unmatchedTrials: join.unmatchedTrials,
      unmatchedRecords: join.unmatchedRecords,
      candidates,
    }
    const unknown = result.accuracy && unknownModelsWarning(result.accuracy, 'not used', this.jsonEnabled())
    if (unknown) process.stderr.write(`effscale: ${unknown}\n`)
    for (const n of data?.notes ?? []) process.stderr.write(`effscale: ${n}\n`)
    if (flags.csv) writeCsv(flags.csv, candidates.map(csvRow))
    this.log(render(result, limit))
    return result
  }
}

/**
 * --accuracy was given but none of its rows is a candidate of the grid: ranking by accuracy is
 * impossible, and a training plan is not what was asked for.
 */
function noTrialOnGrid(file: string, placed: number, unknown: number, base: string, step: number): string {
  return `--accuracy ${file}: none of its ${placed} placed rows${unknown ? ` (and ${unknown} rows effscale cannot build)` : ''} is a candidate of this grid (${base} at φ = 1, α, β, γ on steps of ${step}), so nothing can be ranked by accuracy. Trials must be grid points (base, depth = α, width = β, image size = γ × base size); fixed models such as timm's efficientnet_b3 are not. To fit a curve to them use \`effscale fit --accuracy ${file}\`; leave out --accuracy for a training plan`
}

const f = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d))

function render(r: SearchResult, limit: number): string {
  const shown = r.candidates.slice(0, limit)
  const paperAt = r.candidates.findIndex((c) => c.paper)
  if (paperAt >= limit) shown.push(r.candidates[paperAt])
  const rows = shown.map((c) => [
    r.candidates.indexOf(c) + 1,
    f(c.alpha),
    f(c.beta),
    f(c.gamma),
    f(c.idealRatio, 3),
    c.point.imageSize,
    human(c.macs),
    `${c.realRatio.toFixed(3)}×`,
    human(c.params),
    f(c.top1, 1),
    f(c.latencyMs, 2),
    f(c.score, 3),
    [c.paper && '← paper', c.latencyPredicted && 'predicted', overBudget(r, c) && 'over budget'].filter(Boolean).join(', '),
  ])
  const what =
    r.mode === 'plan'
      ? `training plan: no candidate has ${r.objective === 'latency' ? 'a measured or predicted latency within budget' : 'a trained accuracy'}; nearest real MACs ratio to ${r.targetRatio} first`
      : `ranked by ${objectiveText(r)}; ${r.scored} of ${r.candidates.length} scored`
  const lines = [
    `${r.candidates.length} candidates α, β, γ ≥ 1 on steps of ${r.step} with α·β²·γ² within ${r.tolerance * 100}% of ${r.targetRatio}, ${r.base} at φ = 1 (base ${human(r.baseMacs)} MACs)`,
    what,
    r.convention,
    '',
    renderTable(['#', 'α', 'β', 'γ', 'α·β²·γ²', 'image', 'MACs', 'real ratio', 'params', 'top-1', 'ms', 'score', 'note'], rows),
  ]
  if (r.candidates.length > shown.length) lines.push(`… ${r.candidates.length - shown.length} more (--limit, --json or --csv for all)`)
  if (r.unmatchedTrials || r.unmatchedRecords) {
    lines.push(`not on this grid: ${r.unmatchedTrials} trial(s), ${r.unmatchedRecords} sweep point(s)`)
  }
  return lines.join('\n')
}

const overBudget = (r: SearchResult, c: RankedCandidate) =>
  r.latencyBudgetMs !== null && c.latencyMs !== null && c.latencyMs > r.latencyBudgetMs

function objectiveText(r: SearchResult): string {
  if (r.objective === 'mnas') return `MnasNet objective top-1 · (MACs / ${human(r.mnas.target)})^${r.mnas.w}`
  if (r.objective === 'accuracy') return 'trained top-1'
  const budget = r.latencyBudgetMs === null ? '' : ` ≤ ${r.latencyBudgetMs} ms`
  return `measured (or "predicted") latency${budget} (most accurate first when trials exist, else fastest; score = top-1 or −ms)`
}

function csvRow(c: RankedCandidate) {
  return {
    rank: c.rank,
    alpha: c.alpha,
    beta: c.beta,
    gamma: c.gamma,
    ideal_ratio: c.idealRatio,
    depth: c.point.depth,
    width: c.point.width,
    resolution: c.point.resolution,
    image_size: c.point.imageSize,
    macs: c.macs,
    params: c.params,
    real_ratio: c.realRatio,
    top1: c.top1,
    latency_ms: c.latencyMs,
    latency_source: c.latencyMs === null ? null : c.latencyPredicted ? 'predicted' : 'measured',
    score: c.score,
    paper: c.paper,
  }
}
