/**
 * Which curves a set of trained points gives, chosen from the data's own columns:
 * - path: one curve per scaling path of each base — depth only, width only, resolution only,
 *   compound (the unscaled base joins each) — because accuracy per MAC differs by path (the
 *   paper's Table 7: 79.0, 78.9, 79.1 one way vs 81.1 compound at ≈ 1.8B MACs);
 * - family: one curve per architecture family and training recipe of a timm results file
 *   (tf_efficientnet · ns_jft_in1k), at effscale's MACs where effscale builds the model and at
 *   timm's benchmark MACs otherwise;
 * - all: one curve over everything (what a user asks for explicitly).
 * `auto` is family for timm files and path for points files. Law "dwr" (fit-dwr.ts) fits one
 * law in d, w, r per base instead, which gives a curve for every path at once.
 * Pure apart from costing.
 */
import type {AccuracyFormat, TimmRow} from '../accuracy/csv.js'
import type {Benchmark} from '../accuracy/benchmark.js'
import {costPoint, type AccuracyPoint} from '../accuracy/resolve.js'
import {familyGroup} from '../accuracy/timm.js'
import type {Target} from '../arch/target.js'
import {UserError} from '../errors.js'
import {fitDwr, type DwrFit} from './fit-dwr.js'
import {fitScalingLaw, fitSummary, type ScalingLawFit} from './fit.js'

export const GROUPINGS = ['auto', 'path', 'all', 'family'] as const
export type Grouping = (typeof GROUPINGS)[number]
export type ResolvedGrouping = Exclude<Grouping, 'auto'>
export const LAWS = ['macs', 'dwr'] as const
export type Law = (typeof LAWS)[number]
export type Dimension = 'baseline' | 'depth' | 'width' | 'resolution' | 'compound'
export const PATHS = ['depth', 'width', 'resolution', 'compound'] as const

/** --by as given; "dimension" is the earlier name of "path". */
export function parseGrouping(text: string): Grouping {
  const by = text === 'dimension' ? 'path' : text
  if (!(GROUPINGS as readonly string[]).includes(by)) throw new UserError(`--by must be one of ${GROUPINGS.join(', ')}, got "${text}"`)
  return by as Grouping
}

export function parseLaw(text: string): Law {
  if (!(LAWS as readonly string[]).includes(text)) throw new UserError(`--law must be one of ${LAWS.join(', ')}, got "${text}"`)
  return text as Law
}

export function resolveGrouping(by: Grouping, format: AccuracyFormat): ResolvedGrouping {
  if (by !== 'auto') return by
  return format === 'timm' ? 'family' : 'path'
}

export interface FitPoint {
  label: string
  line: number
  macs: number
  top1: number
  /** The point's base, and its path from that base (null for timm rows effscale cannot build). */
  base: string | null
  path: Dimension | null
  /** Multipliers of the base (null for timm rows effscale cannot build). */
  multipliers: {depth: number; width: number; resolution: number} | null
  macsFrom: 'effscale' | 'timm benchmark'
}

export interface FitGroup {
  group: string
  law: Law
  points: FitPoint[]
  /** The MACs law's fit (law macs), when fitted. */
  fit: Omit<ScalingLawFit, 'predict'> | null
  /** The d, w, r law's fit (law dwr), when fitted. */
  dwr: DwrFit | null
  /** Why no fit (too few points), when neither is set. */
  skipped: string | null
}

/** How the rows of a timm file found their MACs and their group. */
export interface FamilyMapping {
  rows: number
  /** Rows with MACs: from effscale's own count, or from a timm benchmark file. */
  mapped: {effscale: number; benchmark: number}
  /** Rows in groups that were fitted. */
  grouped: number
  /** Rows left out, by reason. */
  skipped: Array<{reason: string; rows: number; examples: string[]}>
}

/**
 * The compound points of a base as a line through the base in (ln d, ln w, ln r): their mean
 * direction, and how far off that line the farthest of them lies (rounding moves the official
 * B1…B7 off an exact α^φ, β^φ, γ^φ line).
 */
export interface CompoundPath {
  direction: [number, number, number]
  /** Largest distance (in ln units) of a fitted compound point from the line. */
  offset: number
}
export interface GroupedFits {
  by: ResolvedGrouping
  law: Law
  groups: FitGroup[]
  /** Live fits of the MACs law by group name, for predictions. */
  fits: Map<string, ScalingLawFit>
  /** Compound paths per base, for whether a compound point lies on the fitted one. */
  compound: Map<string, CompoundPath>
  /** The bases of the points, in order of first appearance. */
  bases: string[]
  family: FamilyMapping | null
}

/** Which single dimension a point scales, 'compound' if more than one, 'baseline' if none. */
export function dimensionOf(t: Target): Dimension {
  return pathOf(t.point.depth, t.point.width, t.point.imageSize / t.base.imageSize)
}

const EPS = 1e-9

export function pathOf(depth: number, width: number, resolution: number): Dimension {
  const scaled = [
    Math.abs(depth - 1) > EPS && 'depth',
    Math.abs(width - 1) > EPS && 'width',
    Math.abs(resolution - 1) > EPS && 'resolution',
  ].filter((x): x is Dimension => Boolean(x))
  return scaled.length === 0 ? 'baseline' : scaled.length === 1 ? scaled[0] : 'compound'
}

export const pathGroupName = (base: string, path: string, bases: number): string => (bases > 1 ? `${base} ${path}` : path)
export const dwrGroupName = (base: string): string => `${base} (d, w, r)`

/** The fit points of placed accuracy rows (effscale's MACs). */
export function fitPoints(points: readonly AccuracyPoint[]): FitPoint[] {
  return points.map((p) => ({
    label: p.label,
    line: p.line,
    macs: p.macs,
    top1: p.top1,
    base: p.target.base.name,
    path: dimensionOf(p.target),
    multipliers: {depth: p.target.point.depth, width: p.target.point.width, resolution: p.target.point.imageSize / p.target.base.imageSize},
    macsFrom: 'effscale',
  }))
}

/** Curves over effscale points: per path (or one over all) with the MACs law, per base with dwr. */
export function fitGroups(all: readonly FitPoint[], by: 'path' | 'all', law: Law = 'macs'): GroupedFits {
  const bases = [...new Set(all.map((p) => p.base!))]
  const members = new Map<string, FitPoint[]>()
  const add = (g: string, p: FitPoint) => members.set(g, [...(members.get(g) ?? []), p])
  if (law === 'dwr') for (const p of all) add(dwrGroupName(p.base!), p)
  else if (by === 'all') for (const p of all) add('all', p)
  else {
    for (const p of all) {
      // The unscaled base is the common first point of every path.
      if (p.path === 'baseline') for (const path of PATHS) add(pathGroupName(p.base!, path, bases.length), p)
      else add(pathGroupName(p.base!, p.path!, bases.length), p)
    }
    // A group holding only baseline points scales nothing.
    for (const [g, ps] of members) if (ps.every((p) => p.path === 'baseline')) members.delete(g)
  }
  const grouped = fitMembers(members, law)
  return {by, law, ...grouped, compound: compoundPaths(all), bases, family: null}
}

function fitMembers(members: Map<string, FitPoint[]>, law: Law): Pick<GroupedFits, 'groups' | 'fits'> {
  const groups: FitGroup[] = []
  const fits = new Map<string, ScalingLawFit>()
  for (const [group, points] of members) {
    try {
      if (law === 'dwr') {
        groups.push({group, law, points, fit: null, dwr: fitDwr(points.map((p) => ({...p.multipliers!, top1: p.top1}))), skipped: null})
      } else {
        const fit = fitScalingLaw(points)
        fits.set(group, fit)
        groups.push({group, law, points, fit: fitSummary(fit), dwr: null, skipped: null})
      }
    } catch (e) {
      if (!(e instanceof UserError)) throw e
      groups.push({group, law, points, fit: null, dwr: null, skipped: e.message})
    }
  }
  if (!groups.some((g) => g.skipped === null)) {
    throw new UserError(groups.length === 1 ? groups[0].skipped! : `no group can be fitted: ${groups.map((g) => `${g.group}: ${g.skipped}`).join('; ')}`)
  }
  return {groups, fits}
}

const logVector = (m: {depth: number; width: number; resolution: number}): [number, number, number] => [Math.log(m.depth), Math.log(m.width), Math.log(m.resolution)]
const norm = (v: readonly number[]) => Math.hypot(...v)

/** Distance of a log-multiplier vector from the line through the origin along `direction`. */
function offLine(v: readonly number[], direction: readonly number[]): number {
  const along = v.reduce((s, x, i) => s + x * direction[i], 0)
  return norm(v.map((x, i) => x - along * direction[i]))
}

function compoundPaths(points: readonly FitPoint[]): Map<string, CompoundPath> {
  const out = new Map<string, CompoundPath>()
  const byBase = new Map<string, Array<[number, number, number]>>()
  for (const p of points) {
    if (p.path !== 'compound' || !p.multipliers) continue
    byBase.set(p.base!, [...(byBase.get(p.base!) ?? []), logVector(p.multipliers)])
  }
  for (const [base, vs] of byBase) {
    const units = vs.map((v) => v.map((x) => x / norm(v)))
    const mean = [0, 1, 2].map((i) => units.reduce((s, u) => s + u[i], 0))
    const direction = mean.map((x) => x / norm(mean)) as [number, number, number]
    out.set(base, {direction, offset: Math.max(...vs.map((v) => offLine(v, direction)))})
  }
  return out
}

/** Slack beyond the fitted compound points' own offset: 10 % in the multipliers. */
export const COMPOUND_SLACK = Math.log(1.1)

/** How far (as a factor on the multipliers) a point lies off a base's compound line. */
export const compoundOffset = (path: CompoundPath, m: {depth: number; width: number; resolution: number}): number => Math.exp(offLine(logVector(m), path.direction))

/** Whether a compound point lies along a base's fitted compound points. */
export function onCompoundPath(path: CompoundPath, m: {depth: number; width: number; resolution: number}): boolean {
  return Math.log(compoundOffset(path, m)) <= path.offset + COMPOUND_SLACK
}

/**
 * Curves per architecture family and training recipe of a timm results file. MACs are
 * effscale's where it builds the model, else the first benchmark's row of the same
 * architecture and image size; rows with neither are skipped and counted.
 */
export function fitFamilies(rows: readonly TimmRow[], benchmarks: readonly Benchmark[]): GroupedFits {
  const bench = new Map<string, number>()
  const benchSizes = new Map<string, number[]>()
  for (const b of benchmarks) {
    for (const r of b.rows) {
      const k = `${r.arch}@${r.imageSize}`
      if (!bench.has(k)) bench.set(k, r.macs)
      benchSizes.set(r.arch, [...new Set([...(benchSizes.get(r.arch) ?? []), r.imageSize])])
    }
  }
  const skipped = new Map<string, string[]>()
  const skip = (reason: string, name: string) => skipped.set(reason, [...(skipped.get(reason) ?? []), name])
  const members = new Map<string, FitPoint[]>()
  const mapped = {effscale: 0, benchmark: 0}
  for (const r of rows) {
    let macs: number | undefined
    let from: FitPoint['macsFrom'] = 'effscale'
    let multipliers: FitPoint['multipliers'] = null
    let base: string | null = null
    if (r.point) {
      const c = costPoint({...r.point, imageSize: r.imageSize})
      macs = c.macs
      multipliers = {depth: c.depth, width: c.width, resolution: c.resolution}
      base = r.point.base
      mapped.effscale++
    } else {
      macs = bench.get(`${r.arch}@${r.imageSize}`)
      from = 'timm benchmark'
      if (macs === undefined) {
        const sizes = benchSizes.get(r.arch)
        if (benchmarks.length === 0) skip('no MACs: effscale cannot build the model (give --benchmark for timm\'s MACs)', r.name)
        else if (sizes) skip(`no MACs: the benchmark has the architecture at other image sizes only`, `${r.name}@${r.imageSize}`)
        else skip('no MACs: effscale cannot build the model and no benchmark row names its architecture', r.name)
        continue
      }
      mapped.benchmark++
    }
    const group = familyGroup(r)
    const p: FitPoint = {label: r.name, line: r.line, macs, top1: r.top1, base, path: base && multipliers ? pathOf(multipliers.depth, multipliers.width, multipliers.resolution) : null, multipliers, macsFrom: from}
    members.set(group, [...(members.get(group) ?? []), p])
  }
  const groups: FitGroup[] = []
  const fits = new Map<string, ScalingLawFit>()
  let grouped = 0
  const small: string[] = []
  for (const [group, points] of members) {
    try {
      const fit = fitScalingLaw(points)
      fits.set(group, fit)
      groups.push({group, law: 'macs', points, fit: fitSummary(fit), dwr: null, skipped: null})
      grouped += points.length
    } catch (e) {
      if (!(e instanceof UserError)) throw e
      groups.push({group, law: 'macs', points, fit: null, dwr: null, skipped: e.message})
      small.push(...points.map((p) => p.label))
    }
  }
  if (small.length) skipped.set('group too small: fewer than 3 distinct MACs in its family · recipe', small)
  if (fits.size === 0) throw new UserError(`no family · recipe group has 3 distinct MACs values to fit (${rows.length} rows, ${mapped.effscale + mapped.benchmark} with MACs)`)
  // Fitted groups first, largest first; then the rest by name.
  groups.sort((a, b) => Number(a.fit === null) - Number(b.fit === null) || b.points.length - a.points.length || a.group.localeCompare(b.group))
  return {
    by: 'family',
    law: 'macs',
    groups,
    fits,
    compound: new Map(),
    bases: [],
    family: {
      rows: rows.length,
      mapped,
      grouped,
      skipped: [...skipped].map(([reason, names]) => ({reason, rows: names.length, examples: names.slice(0, 5)})),
    },
  }
}
