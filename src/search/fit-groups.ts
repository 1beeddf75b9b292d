/**
 * Which scaling-law fits a set of trained points gives: one over all points, or one per scaling
 * dimension (width-only, depth-only, resolution-only, compound; the unscaled base joins each),
 * and what a --predict request like "width=2.6" resolves to. Pure apart from costing.
 */
import type {AccuracyPoint} from '../accuracy/resolve.js'
import {resolveTarget, type Target} from '../arch/target.js'
import {human, parseHuman, parseNumber} from '../cli/numbers.js'
import {UserError} from '../errors.js'
import {costTotals} from '../flops/index.js'
import {fitScalingLaw, fitSummary, predictWithUncertainty, type Prediction, type ScalingLawFit} from './fit.js'

export const GROUPINGS = ['all', 'dimension'] as const
export type Grouping = (typeof GROUPINGS)[number]
export type Dimension = 'baseline' | 'depth' | 'width' | 'resolution' | 'compound'

export interface FitGroup {
  /** "all", or a dimension ("width"), prefixed by the base when there are several bases. */
  group: string
  points: Array<{label: string; line: number; macs: number; top1: number}>
  fit: Omit<ScalingLawFit, 'predict'> | null
  /** Why no fit (too few points), when fit is null. */
  skipped: string | null
}

export interface GroupedFits {
  groups: FitGroup[]
  /** Live fits by group name, for predictions. */
  fits: Map<string, ScalingLawFit>
}

/** Which single dimension a point scales, 'compound' if more than one, 'baseline' if none. */
export function dimensionOf(t: Target): Dimension {
  const p = t.point
  const scaled = [
    p.depth !== 1 && 'depth',
    p.width !== 1 && 'width',
    p.imageSize !== t.base.imageSize && 'resolution',
  ].filter((x): x is Dimension => Boolean(x))
  return scaled.length === 0 ? 'baseline' : scaled.length === 1 ? scaled[0] : 'compound'
}

const groupName = (base: string, dim: string, bases: number) => (bases > 1 ? `${base} ${dim}` : dim)

export function fitGroups(points: readonly AccuracyPoint[], by: Grouping): GroupedFits {
  const members = new Map<string, AccuracyPoint[]>()
  const add = (g: string, p: AccuracyPoint) => members.set(g, [...(members.get(g) ?? []), p])
  if (by === 'all') for (const p of points) add('all', p)
  else {
    const bases = new Set(points.map((p) => p.target.base.name)).size
    const dims: Dimension[] = ['depth', 'width', 'resolution', 'compound']
    for (const p of points) {
      const d = dimensionOf(p.target)
      const b = p.target.base.name
      // The unscaled base is the common first point of every one-way curve.
      if (d === 'baseline') for (const dim of dims) add(groupName(b, dim, bases), p)
      else add(groupName(b, d, bases), p)
    }
    // A group holding only baseline points scales nothing.
    for (const [g, ps] of members) if (ps.every((p) => dimensionOf(p.target) === 'baseline')) members.delete(g)
  }
  const groups: FitGroup[] = []
  const fits = new Map<string, ScalingLawFit>()
  for (const [group, ps] of members) {
    const pts = ps.map((p) => ({label: p.label, line: p.line, macs: p.macs, top1: p.top1}))
    try {
      const fit = fitScalingLaw(pts)
      fits.set(group, fit)
      groups.push({group, points: pts, fit: fitSummary(fit), skipped: null})
    } catch (e) {
      if (!(e instanceof UserError)) throw e
      groups.push({group, points: pts, fit: null, skipped: e.message})
    }
  }
  if (fits.size === 0) {
    const first = groups[0]
    throw new UserError(groups.length === 1 ? first.skipped! : `no group can be fitted: ${groups.map((g) => `${g.group}: ${g.skipped}`).join('; ')}`)
  }
  return {groups, fits}
}

export interface PredictionResult extends Prediction {
  request: string
  group: string
  label: string
}

const PREDICT_KEYS = ['model', 'base', 'depth', 'width', 'resolution', 'image_size', 'macs'] as const

/** "width=2.6", "depth=2,resolution=1.3", "model=efficientnet-b4", "macs=2G" → a prediction. */
export function predictRequest(request: string, points: readonly AccuracyPoint[], g: GroupedFits, by: Grouping): PredictionResult {
  const kv: Partial<Record<(typeof PREDICT_KEYS)[number], string>> = {}
  for (const part of request.split(',')) {
    const [k, v, ...extra] = part.split('=').map((s) => s.trim())
    const key = k.toLowerCase().replace('-', '_') as (typeof PREDICT_KEYS)[number]
    if (!PREDICT_KEYS.includes(key) || v === undefined || v === '' || extra.length) {
      throw new UserError(`--predict "${request}": expected key=value pairs with keys ${PREDICT_KEYS.join(', ')}`)
    }
    kv[key] = v
  }
  const num = (k: 'depth' | 'width' | 'resolution' | 'image_size') => parseNumber(`--predict "${request}": ${k}`, kv[k])
  const wantsPoint = ['model', 'depth', 'width', 'resolution', 'image_size'].some((k) => kv[k as keyof typeof kv] !== undefined)
  let macs: number
  let label: string
  let group = 'all'
  if (kv.macs !== undefined && !wantsPoint) {
    macs = parseHuman(`--predict "${request}": macs`, kv.macs)
    label = `${human(macs)} MACs`
    if (by === 'dimension') throw new UserError(`--predict "${request}": with --by dimension say which point (depth, width, resolution or model), not only macs`)
  } else {
    if (kv.macs !== undefined) throw new UserError(`--predict "${request}": give macs or a point, not both`)
    const bases = [...new Set(points.map((p) => p.target.base.name))]
    if (!kv.model && !kv.base && bases.length > 1) throw new UserError(`--predict "${request}": the data hold several bases (${bases.join(', ')}); add base=NAME`)
    const target = resolveTarget({
      ...(kv.model ? {model: kv.model} : {base: kv.base ?? bases[0]}),
      depth: num('depth'),
      width: num('width'),
      resolution: num('resolution'),
      imageSize: num('image_size'),
    })
    macs = costTotals(target).macs
    label = target.label
    if (by === 'dimension') group = groupName(target.base.name, dimensionOf(target), bases.length)
  }
  const fit = g.fits.get(group)
  if (!fit) throw new UserError(`--predict "${request}": no fitted curve for "${group}" (fitted: ${[...g.fits.keys()].join(', ')})`)
  return {request, group, label, ...predictWithUncertainty(fit, macs)}
}
