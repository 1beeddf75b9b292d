import {Flags} from '@oclif/core'
import {PAPER_COEFFICIENTS} from '../arch/point.js'
import {FAST_ALPHA} from '../arch/strategies.js'
import {EffscaleCommand} from '../cli/base-command.js'
import {human, parseNumber, parsePositiveInt} from '../cli/numbers.js'
import {lower} from '../arch/lower.js'
import {predict, readLatencyModel} from '../latency/model-file.js'
import {renderTable} from '../cli/table.js'
import {CONVENTION} from '../flops/index.js'
import {scaledFamily, type Family} from '../search/family.js'
import {baseFromFlags, writeCsv} from '../search/io.js'

export interface FamilyResult extends Family {
  convention: typeof CONVENTION
  /** Per member, with --latency-model: predicted latency (never measured here). */
  latency: Array<{phi: number; batch: number; latencyMs: number; low: number; high: number; extrapolating: boolean; predicted: true}> | null
  latencyModel: string | null
}

export default class FamilyCommand extends EffscaleCommand<FamilyResult> {
  static override summary = 'The compound-scaled family of a base: per φ its depth, width, resolution, MACs and params'
  static override description = `d = α^φ, w = β^φ, r = γ^φ, costed with real (rounded) channels, repeats and image size.
Each step's MACs ratio is set against the ideal α·β²·γ²; for efficientnet-b0 the official B-table
(which is not exactly α^φ, β^φ, γ^φ) is shown beside it with the MACs deviation.
MACs = multiply-accumulates (the paper's "FLOPs"); FLOPs = 2 × MACs.`

  static override examples = [
    '<%= config.bin %> family --base efficientnet-b0 --alpha 1.2 --beta 1.1 --gamma 1.15 --max-phi 7',
    '<%= config.bin %> family --base mobilenet-v2 --max-phi 4 --csv family.csv',
  ]

  static override flags = {
    base: Flags.string({description: 'base network to scale (default efficientnet-b0)'}),
    spec: Flags.string({description: 'your own base network as a JSON file'}),
    alpha: Flags.string({description: 'depth coefficient α ≥ 1', default: String(PAPER_COEFFICIENTS.alpha)}),
    beta: Flags.string({description: 'width coefficient β ≥ 1', default: String(PAPER_COEFFICIENTS.beta)}),
    gamma: Flags.string({description: 'resolution coefficient γ ≥ 1', default: String(PAPER_COEFFICIENTS.gamma)}),
    'max-phi': Flags.string({description: 'largest φ (whole number)', default: '7'}),
    csv: Flags.string({description: 'also write the rows to this CSV file'}),
    strategy: Flags.string({
      description: 'compound: d = α^φ, w = β^φ, r = γ^φ; fast: the same MACs per φ spent as dWr(--fast-alpha) (Dollár et al. 2021)',
      options: ['compound', 'fast'],
      default: 'compound',
    }),
    'latency-model': Flags.string({description: 'latency model (effscale calibrate): adds each member\'s predicted latency, marked "predicted"'}),
    batch: Flags.string({description: 'batch size of the predicted latency', default: '1'}),
    'fast-alpha': Flags.string({description: 'α of fast scaling: 1 = width only, 1/3 = uniform', default: String(FAST_ALPHA)}),
  }

  async run(): Promise<FamilyResult> {
    const {flags} = await this.parse(FamilyCommand)
    const family = scaledFamily({
      base: baseFromFlags(flags.base, flags.spec),
      alpha: parseNumber('--alpha', flags.alpha)!,
      beta: parseNumber('--beta', flags.beta)!,
      gamma: parseNumber('--gamma', flags.gamma)!,
      maxPhi: parseNumber('--max-phi', flags['max-phi'])!,
      fastAlpha: flags.strategy === 'fast' ? parseNumber('--fast-alpha', flags['fast-alpha'])! : undefined,
    })
    const base = baseFromFlags(flags.base, flags.spec)
    const lmFile = flags['latency-model']
    let latency: FamilyResult['latency'] = null
    if (lmFile !== undefined) {
      const lm = readLatencyModel(lmFile)
      const batch = parsePositiveInt('--batch', flags.batch)!
      latency = family.members.map((m) => ({phi: m.phi, batch, ...predict(lm, lower(base, m.point), batch)}))
    }
    const result: FamilyResult = {convention: CONVENTION, ...family, latency, latencyModel: lmFile ?? null}
    if (flags.csv) writeCsv(flags.csv, csvRows(result))
    this.log(render(result))
    return result
  }
}

const f3 = (x: number) => x.toFixed(3)
const ratio = (x: number | null) => (x === null ? '—' : `${x.toFixed(3)}×`)
const pct = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`)

function render(r: FamilyResult): string {
  const hasOfficial = r.members.some((m) => m.official)
  const headers = ['φ', 'depth', 'width', 'res', 'image', 'MACs', 'params', 'activations', 'step ratio', 'ideal']
  if (r.latency) headers.push('ms (predicted)')
  if (hasOfficial) headers.push('official', 'd', 'w', 'image', 'MACs', 'Δ MACs')
  const rows = r.members.map((m) => {
    const row: Array<string | number> = [
      m.phi,
      f3(m.point.depth),
      f3(m.point.width),
      f3(m.point.resolution),
      m.point.imageSize,
      human(m.macs),
      human(m.params),
      human(m.activations),
      ratio(m.stepRatio),
      m.phi === 0 ? '—' : ratio(r.idealRatio),
    ]
    const l = r.latency?.[m.phi]
    if (l) row.push(`${l.latencyMs.toFixed(2)}${l.extrapolating ? ' (extrapolating)' : ''}`)
    if (hasOfficial) {
      const o = m.official
      row.push(o?.model ?? '—', o ? o.depth.toFixed(1) : '—', o ? o.width.toFixed(1) : '—', o?.imageSize ?? '—')
      row.push(o ? human(o.macs) : '—', pct(m.macsDeviation))
    }
    return row
  })
  const lines = [
    `${r.base} scaled by ${r.strategyLabel}: ideal MACs ratio per φ step α·β²·γ² = ${r.idealRatio.toFixed(4)} (α=${r.alpha}, β=${r.beta}, γ=${r.gamma})`,
    r.convention,
    '',
    renderTable(headers, rows),
    '',
    `activations grow as MACs^${r.activationsSlope.toFixed(3)} (least-squares slope of log activations on log MACs)`,
    `mean step ratio (MACs(φ=${r.members.length - 1}) / MACs(0))^(1/${r.members.length - 1}) = ${ratio(r.meanStepRatio)}; single steps differ where depth (ceil), channels (÷8) or pixels round.`,
  ]
  if (r.latency) lines.push(`ms (predicted): batch ${r.latency[0].batch}, by the latency model ${r.latencyModel}, not measured; ± its leave-one-out p90 error, see --json`)
  if (hasOfficial) lines.push('Δ MACs: this family against the official model of the same index (reference-code table, not α^φ, β^φ, γ^φ).')
  return lines.join('\n')
}

function csvRows(r: FamilyResult) {
  return r.members.map((m) => ({
    phi: m.phi,
    depth: m.point.depth,
    width: m.point.width,
    resolution: m.point.resolution,
    image_size: m.point.imageSize,
    macs: m.macs,
    params: m.params,
    activations: m.activations,
    step_ratio: m.stepRatio,
    ideal_ratio: m.phi === 0 ? null : r.idealRatio,
    official_model: m.official?.model ?? null,
    official_depth: m.official?.depth ?? null,
    official_width: m.official?.width ?? null,
    official_image_size: m.official?.imageSize ?? null,
    official_macs: m.official?.macs ?? null,
    macs_deviation: m.macsDeviation,
    predicted_latency_ms: r.latency?.[m.phi].latencyMs ?? null,
  }))
}
