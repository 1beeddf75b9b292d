/**
 * `fit --predict`: "width=2.6", "depth=2,resolution=1.3", "model=efficientnet-b4", "macs=2G,curve=compound",
 * "model=tf_efficientnet_b4.ns_jft_in1k" → a prediction from the curve fitted to the point's own
 * path (or family · recipe), with a 95 % prediction interval. A point off every fitted path is
 * refused, naming the paths that were fitted; with --by all it is predicted but marked off-path,
 * with no interval (the data say nothing about that path's error). Pure apart from costing.
 */
import type {Benchmark} from '../accuracy/benchmark.js'
import {pointForName} from '../accuracy/models.js'
import {costPoint} from '../accuracy/resolve.js'
import {familyGroup, parseTimmName} from '../accuracy/timm.js'
import {resolveTarget} from '../arch/target.js'
import {human, parseHuman, parseNumber} from '../cli/numbers.js'
import {UserError} from '../errors.js'
import {costTotals} from '../flops/index.js'
import {dwrPredict, type Dim} from './fit-dwr.js'
import {
  dimensionOf,
  dwrGroupName,
  COMPOUND_SLACK,
  compoundOffset,
  onCompoundPath,
  pathGroupName,
  pathOf,
  PATHS,
  type Dimension,
  type FitPoint,
  type GroupedFits,
} from './fit-groups.js'
import {predictionHalfWidth, predictWithUncertainty, rms, withInterval, type Prediction} from './fit.js'

export interface PredictionResult extends Prediction {
  request: string
  /** The fitted curve used. */
  group: string
  label: string
  /** The point's scaling path (null for a bare MACs value or a timm model). */
  path: Dimension | null
  /** False when no fitted curve covers the point's path (only with --by all; else refused). */
  onPath: boolean
  /** Why the prediction deserves caution, in words (empty when none). */
  notes: string[]
}

const KEYS = ['model', 'base', 'depth', 'width', 'resolution', 'image_size', 'macs', 'curve'] as const
type Key = (typeof KEYS)[number]

function parseRequest(request: string): Partial<Record<Key, string>> {
  const kv: Partial<Record<Key, string>> = {}
  for (const part of request.split(',')) {
    const [k, v, ...extra] = part.split('=').map((s) => s.trim())
    const key = k.toLowerCase().replace('-', '_') as Key
    if (!KEYS.includes(key) || v === undefined || v === '' || extra.length) {
      throw new UserError(`--predict "${request}": expected key=value pairs with keys ${KEYS.join(', ')}`)
    }
    kv[key] = v
  }
  return kv
}

function parseMacs(request: string, text: string): number {
  const macs = parseHuman(`--predict "${request}": macs`, text)
  if (!Number.isFinite(macs) || !(macs > 0)) throw new UserError(`--predict "${request}": macs must be a finite number > 0, got ${text}`)
  return macs
}

export function predictRequest(request: string, g: GroupedFits, benchmarks: readonly Benchmark[] = []): PredictionResult {
  const kv = parseRequest(request)
  if (g.by === 'family') return predictFamily(request, kv, g, benchmarks)
  const wantsPoint = (['model', 'depth', 'width', 'resolution', 'image_size'] as const).some((k) => kv[k] !== undefined)
  if (kv.macs !== undefined) {
    if (wantsPoint) throw new UserError(`--predict "${request}": give macs or a point, not both`)
    return predictAtMacs(request, kv, g)
  }
  if (kv.curve !== undefined) throw new UserError(`--predict "${request}": curve= goes with macs=; a point (depth, width, resolution, model) finds its own curve`)
  if (!kv.model && !kv.base && g.bases.length > 1) throw new UserError(`--predict "${request}": the data hold several bases (${g.bases.join(', ')}); add base=NAME`)
  const num = (k: 'depth' | 'width' | 'resolution' | 'image_size') => parseNumber(`--predict "${request}": ${k}`, kv[k])
  const target = resolveTarget({
    ...(kv.model ? {model: kv.model} : {base: kv.base ?? g.bases[0]}),
    depth: num('depth'),
    width: num('width'),
    resolution: num('resolution'),
    imageSize: num('image_size'),
  })
  const base = target.base.name
  if (!g.bases.includes(base)) throw new UserError(`--predict "${request}": the data hold no point of base ${base} (bases: ${g.bases.join(', ')})`)
  const m = {depth: target.point.depth, width: target.point.width, resolution: target.point.imageSize / target.base.imageSize}
  const point = {label: target.label, base, path: dimensionOf(target), multipliers: m, macs: costTotals(target).macs}
  try {
    return {request, ...predictPoint(g, point)}
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`--predict "${request}": ${e.message}`)
    throw e
  }
}

export type PointQuery = Pick<FitPoint, 'label' | 'macs'> & {base: string; path: Dimension; multipliers: Record<Dim, number>}

/**
 * The prediction at an effscale point from the curve of its own path (or the d, w, r law of its
 * base). Throws a UserError saying why when the point is off every fitted path.
 */
export function predictPoint(g: GroupedFits, q: PointQuery): Omit<PredictionResult, 'request'> {
  const at = {label: q.label, path: q.path, macs: q.macs}
  if (g.law === 'dwr') return predictDwr(at, q.multipliers, g, q.base)
  // The curve of the point's own path; the baseline lies on every path (compound first).
  const curveOf = (p: Dimension) => pathGroupName(q.base, p, g.bases.length)
  const group = g.by === 'all' ? 'all' : q.path === 'baseline' ? ([...PATHS].reverse().map(curveOf).find((k) => g.fits.has(k)) ?? curveOf('compound')) : curveOf(q.path)
  const fit = g.fits.get(group)
  const why = offPathReason(g, q.base, q.path, q.multipliers)
  if (g.by === 'all') {
    const p = predictWithUncertainty(g.fits.get('all')!, q.macs)
    if (!why) return {...at, group, ...p, onPath: true, notes: p.extrapolated ? ['extrapolated beyond the fitted MACs'] : []}
    return {...at, group, ...p, uncertainty: null, interval: null, onPath: false, notes: [`OFF PATH: ${why}; the curve is applied anyway (--by all), with no interval`]}
  }
  if (why || !fit) {
    const reason = why ?? `the ${group} curve was not fitted (${g.groups.find((x) => x.group === group)?.skipped ?? 'no points on that path'})`
    throw new UserError(`${q.label} is on the ${q.path} path, off every fitted one: ${reason}. Fitted: ${fittedList(g)}. Train points along that path, or use --by all to apply one curve to everything (marked off-path)`)
  }
  const p = predictWithUncertainty(fit, q.macs)
  return {...at, group, ...p, onPath: true, notes: p.extrapolated ? ['extrapolated beyond the fitted MACs'] : []}
}

const fittedList = (g: GroupedFits) =>
  g.groups
    .filter((x) => x.fit || x.dwr)
    .map((x) => `${x.group} (${x.points.length} points)`)
    .join(', ') || 'none'

/** Why a point is off the data's paths (undefined when on one). */
function offPathReason(g: GroupedFits, base: string, path: Dimension, m: {depth: number; width: number; resolution: number}): string | undefined {
  if (path === 'baseline') return undefined
  const points = g.groups.flatMap((x) => x.points).filter((p) => p.base === base)
  if (!points.some((p) => p.path === path)) {
    const have = [...new Set(points.map((p) => p.path).filter((x) => x !== 'baseline'))]
    return `the data hold no ${path} point of ${base} (only ${have.join(', ') || 'the baseline'})`
  }
  if (path === 'compound') {
    const c = g.compound.get(base)
    if (c && !onCompoundPath(c, m)) {
      const limit = Math.exp(c.offset + COMPOUND_SLACK)
      return `its mix of depth, width and resolution lies off the line of the fitted compound points by a factor ${compoundOffset(c, m).toFixed(2)} in the multipliers (on-path limit ${limit.toFixed(2)})`
    }
  }
  return undefined
}

function predictAtMacs(request: string, kv: Partial<Record<Key, string>>, g: GroupedFits): PredictionResult {
  const macs = parseMacs(request, kv.macs!)
  if (g.law === 'dwr') throw new UserError(`--predict "${request}": the d, w, r law predicts points (depth, width, resolution, model), not bare MACs`)
  const fitted = [...g.fits.keys()]
  const group = kv.curve ?? (fitted.length === 1 ? fitted[0] : undefined)
  if (group === undefined) throw new UserError(`--predict "${request}": several curves are fitted (${fitted.join(', ')}); say which with curve=NAME, or give a point`)
  const fit = g.fits.get(group)
  if (!fit) throw new UserError(`--predict "${request}": no fitted curve "${group}" (fitted: ${fitted.join(', ')})`)
  const p = predictWithUncertainty(fit, macs)
  return {request, group, label: `${human(macs)} MACs`, path: null, ...p, onPath: true, notes: p.extrapolated ? ['extrapolated beyond the fitted MACs'] : []}
}

/**
 * The d, w, r law at a point. Refused when the point scales a dimension the data never scale
 * (no term), or when the data have no point of its kind (one-way or compound) whose LOO error
 * shows how well the law predicts such points. The interval's error scale is the larger of the
 * LOO RMS errors over points of the same kind and over points of the same path.
 */
function predictDwr(at: {label: string; path: Dimension; macs: number}, m: Record<Dim, number>, g: GroupedFits, base: string): Omit<PredictionResult, 'request'> {
  const group = dwrGroupName(base)
  const entry = g.groups.find((x) => x.group === group)
  const fit = entry?.dwr
  if (!entry || !fit) throw new UserError(`no d, w, r fit for ${base} (${entry?.skipped ?? 'no points'})`)
  const scaled = (['depth', 'width', 'resolution'] as const).filter((d) => Math.abs(m[d] - 1) > 1e-9)
  const missing = scaled.filter((d) => !fit.terms.includes(d))
  if (missing.length) throw new UserError(`${at.label} scales ${missing.join(' and ')}, which no point of the data scales; the law has no term for it`)
  const top1 = dwrPredict(fit, m)
  const extrapolated = scaled.some((d) => m[d] < fit.ranges[d].min - 1e-9 || m[d] > fit.ranges[d].max + 1e-9)
  if (!fit.loo) return {...at, group, top1, uncertainty: null, interval: null, extrapolated, onPath: true, notes: ['no interval: too few points to leave one out']}
  const kind = (p: Dimension | null) => (p === 'compound' ? 'compound' : p === 'baseline' ? 'baseline' : 'one-way')
  const errs = (keep: (p: FitPoint) => boolean) => entry.points.flatMap((p, i) => (keep(p) ? [fit.loo![i].error] : []))
  const sameKind = errs((p) => kind(p.path) === kind(at.path))
  if (at.path !== 'baseline' && sameKind.length === 0) {
    throw new UserError(`the data hold no ${kind(at.path)} point of ${base}, so nothing measures how well the d, w, r law predicts one; train one ${kind(at.path)} point first`)
  }
  const samePath = errs((p) => p.path === at.path)
  // Comparable points: those of the same kind (one-way or compound) and path; the baseline
  // compares with everything.
  const scales = at.path === 'baseline' ? [fit.looError] : [rms(sameKind), samePath.length ? rms(samePath) : null]
  const uncertainty = predictionHalfWidth(fit.n, fit.parameters, scales)
  const notes = [
    ...(extrapolated ? ['extrapolated beyond the fitted multipliers'] : []),
    ...(at.path !== 'baseline' && samePath.length === 0 ? [`no ${at.path} point in the data: the ${at.path} term comes from the other paths`] : []),
  ]
  return {...at, group, ...withInterval({top1, uncertainty}), extrapolated, onPath: true, notes}
}

/** A timm name (family · recipe from the name, MACs from effscale or the benchmark) or curve= with macs=. */
function predictFamily(request: string, kv: Partial<Record<Key, string>>, g: GroupedFits, benchmarks: readonly Benchmark[]): PredictionResult {
  if (kv.macs !== undefined) {
    if (kv.model !== undefined) throw new UserError(`--predict "${request}": give macs with curve=, or a model, not both`)
    return predictAtMacs(request, kv, g)
  }
  if (!kv.model) throw new UserError(`--predict "${request}": with --by family give model=<timm name with its recipe tag> or curve=<group>,macs=<MACs>`)
  const n = parseTimmName(kv.model)
  const group = familyGroup(n)
  const fit = g.fits.get(group)
  if (!fit) {
    const entry = g.groups.find((x) => x.group === group)
    throw new UserError(`--predict "${request}": no fitted curve for ${group} (${entry ? entry.skipped : 'no row of the data is of that family and recipe'})`)
  }
  const imageSize = parseNumber(`--predict "${request}": image_size`, kv.image_size)
  const point = pointForName(n.name)
  let macs: number | undefined
  if (point) macs = costPoint({...point, imageSize: imageSize ?? point.imageSize}).macs
  else {
    const rows = benchmarks.flatMap((b) => b.rows.filter((r) => r.arch === n.arch && (imageSize === undefined || r.imageSize === imageSize)))
    const sizes = [...new Set(rows.map((r) => r.imageSize))]
    if (sizes.length > 1) throw new UserError(`--predict "${request}": the benchmark has ${n.arch} at ${sizes.join(', ')} px; add image_size=`)
    macs = rows[0]?.macs
  }
  if (macs === undefined) throw new UserError(`--predict "${request}": no MACs for ${n.arch}${imageSize ? ` at ${imageSize} px` : ''}: effscale cannot build it and no --benchmark row names it`)
  const p = predictWithUncertainty(fit, macs)
  const d = point ? costPoint({...point, imageSize: imageSize ?? point.imageSize}) : null
  return {request, group, label: n.name, path: d ? pathOf(d.depth, d.width, d.resolution) : null, ...p, onPath: true, notes: p.extrapolated ? ['extrapolated beyond the fitted MACs'] : []}
}
