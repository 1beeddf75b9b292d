/**
 * `fit --validate`: hold each point out, refit everything without it (curves, LOO errors and
 * intervals included) and predict it as `--predict` would: refused when it is off every path
 * left, else a prediction ± its 95 % interval. Counts how many held-out points fall inside their
 * interval — the check that the intervals mean what they say. Pure apart from costing.
 */
import {UserError} from '../errors.js'
import {fitGroups, type FitPoint, type GroupedFits, type Law} from './fit-groups.js'
import {predictPoint} from './fit-predict.js'
import {fitScalingLaw, predictWithUncertainty, rms} from './fit.js'

export interface HoldOut {
  label: string
  line: number
  /** The fitted group the point belongs to (its path, family · recipe, or base for dwr). */
  group: string
  top1: number
  predicted: number | null
  /** Half-width of the 95 % interval stated without the point. */
  uncertainty: number | null
  /** top1 − predicted. */
  error: number | null
  /** Whether top1 lies inside predicted ± uncertainty (null when refused or without interval). */
  covered: boolean | null
  /** Why no prediction, when refused. */
  refused: string | null
}

export interface Validation {
  points: HoldOut[]
  predicted: number
  /** Of the predicted points, those with an interval; and of those, the ones inside it. */
  withInterval: number
  covered: number
  /** RMS of the held-out errors of the predicted points (one wild extrapolation dominates it). */
  rmsError: number | null
  /** Median absolute held-out error (robust to that). */
  medianError: number | null
}

/** Hold out each effscale point in turn (--by path or all, either law). */
export function validatePoints(points: readonly FitPoint[], by: 'path' | 'all', law: Law, groupOf: (p: FitPoint) => string): Validation {
  return summarise(
    points.map((p, i) => {
      const rest = points.filter((_, j) => j !== i)
      const base = {label: p.label, line: p.line, group: groupOf(p), top1: p.top1}
      try {
        const g = fitGroups(rest, by, law)
        const r = predictPoint(g, {label: p.label, macs: p.macs, base: p.base!, path: p.path!, multipliers: p.multipliers!})
        return held(base, r.top1, r.uncertainty)
      } catch (e) {
        if (!(e instanceof UserError)) throw e
        return {...base, predicted: null, uncertainty: null, error: null, covered: null, refused: e.message}
      }
    }),
  )
}

/** Hold out each point of each fitted family · recipe group, refitting that group alone. */
export function validateFamilies(g: GroupedFits): Validation {
  const out: HoldOut[] = []
  for (const group of g.groups) {
    if (!group.fit) continue
    for (const [i, p] of group.points.entries()) {
      const base = {label: p.label, line: p.line, group: group.group, top1: p.top1}
      try {
        const r = predictWithUncertainty(fitScalingLaw(group.points.filter((_, j) => j !== i)), p.macs)
        out.push(held(base, r.top1, r.uncertainty))
      } catch (e) {
        if (!(e instanceof UserError)) throw e
        out.push({...base, predicted: null, uncertainty: null, error: null, covered: null, refused: e.message})
      }
    }
  }
  return summarise(out)
}

function held(base: Pick<HoldOut, 'label' | 'line' | 'group' | 'top1'>, predicted: number, uncertainty: number | null): HoldOut {
  const error = base.top1 - predicted
  return {...base, predicted, uncertainty, error, covered: uncertainty === null ? null : Math.abs(error) <= uncertainty, refused: null}
}

function summarise(points: HoldOut[]): Validation {
  const predicted = points.filter((p) => p.error !== null)
  const withInterval = predicted.filter((p) => p.covered !== null)
  return {
    points,
    predicted: predicted.length,
    withInterval: withInterval.length,
    covered: withInterval.filter((p) => p.covered).length,
    rmsError: predicted.length ? rms(predicted.map((p) => p.error!)) : null,
    medianError: predicted.length ? median(predicted.map((p) => Math.abs(p.error!))) : null,
  }
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
