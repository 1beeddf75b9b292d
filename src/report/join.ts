/**
 * Joins (arquero): accuracy points × sweep latency on the point key; several sweeps against the
 * first for the speed-up per point. Pure: rows in, rows out.
 */
import {from} from 'arquero'
import type {AccuracyData} from '../accuracy/csv.js'
import {pointForName, pointKey} from '../accuracy/models.js'
import {costPoint, resolveAccuracy, type CostedPoint} from '../accuracy/resolve.js'
import type {PlotRow} from './chart.js'
import type {PaperTables} from './paper.js'
import type {SweepRun} from './sweep.js'
import {billions, millions, round} from './theme.js'

/** A model of known accuracy, placed at effscale's computed cost. */
export interface AccuracyPoint extends PlotRow {
  accSource: string
  accName: string
  base: string
  depth: number
  width: number
  imageSize: number
  top1: number
  macsB: number
  paramsM: number
  key: string
}

type Cost = Pick<CostedPoint, 'base' | 'depth' | 'width' | 'imageSize' | 'macs' | 'params'>

function accuracyPoint(accSource: string, accName: string, top1: number, c: Cost): AccuracyPoint {
  return {
    accSource,
    accName,
    base: c.base,
    depth: round(c.depth, 4),
    width: round(c.width, 4),
    imageSize: c.imageSize,
    top1,
    macsB: billions(c.macs),
    paramsM: millions(c.params),
    key: pointKey(c.base, c.depth, c.width, c.imageSize),
  }
}

/** Every paper model effscale can build (Tables 2, 3, 7), at its computed MACs. */
export function paperAccuracy(t: PaperTables): AccuracyPoint[] {
  const t2 = t.table2.rows.flatMap((r) => {
    const p = r.variant ? pointForName(r.variant) : undefined
    return p ? [accuracyPoint('paper Table 2', r.model, r.top1, costPoint(p))] : []
  })
  const t7 = t.table7.rows.map((r) => accuracyPoint('paper Table 7', `B0 ${r.scaling}`, r.top1, costPoint(r)))
  const t3 = t.table3.rows.map((r) => accuracyPoint('paper Table 3', `${r.model} ${r.scaling}`, r.top1, costPoint(r)))
  return [...t2, ...t7, ...t3]
}

/** The placed rows of a user's accuracy file, labelled accSource (a bad row's error names data.source). */
export function userAccuracy(data: Pick<AccuracyData, 'source' | 'rows'>, accSource: string): AccuracyPoint[] {
  return resolveAccuracy(data).map((p) => accuracyPoint(accSource, p.name, p.top1, {...p.target.point, base: p.base, macs: p.macs, params: p.params}))
}

/** Successful sweep records as plot rows (failed points have no latency to plot). */
export function sweepRows(runs: SweepRun[]): PlotRow[] {
  return runs.flatMap((run) =>
    run.records
      .filter((r) => r.status === 'ok' && r.p50_ms !== null)
      .map((r) => ({
        run: run.label,
        grid: r.grid,
        model: r.model,
        base: r.base,
        depth: r.depth,
        width: r.width,
        imageSize: r.infer_img_size,
        batch: r.infer_batch_size,
        dtype: r.dtype,
        input: r.input ?? null,
        ep: r.ep ?? null,
        macsB: billions(r.macs),
        p50Ms: r.p50_ms,
        // From the median, as the charts say (infer_samples_per_sec is timm's: from the mean step time).
        throughput: round((r.infer_batch_size * 1000) / r.p50_ms!, 2),
        msPerGmac: round(r.p50_ms! / ((r.macs * r.infer_batch_size) / 1e9), 4),
        // Sweeps timed in rounds: the 95% interval of the median and whether it is within --max-ci.
        ciLoMs: typeof r.ci_lo_ms === 'number' ? r.ci_lo_ms : null,
        ciHiMs: typeof r.ci_hi_ms === 'number' ? r.ci_hi_ms : null,
        stability: r.stable === false ? 'unstable' : r.stable === true ? 'stable' : 'no interval',
        relRef: typeof r.rel_ref === 'number' ? r.rel_ref : null,
        relLo: typeof r.rel_ci_lo === 'number' ? r.rel_ci_lo : null,
        relHi: typeof r.rel_ci_hi === 'number' ? r.rel_ci_hi : null,
        key: pointKey(r.base, r.depth, r.width, r.infer_img_size),
      })),
  )
}

/** Accuracy points that were also measured: one row per (point, run, batch, dtype). */
export function joinAccuracyLatency(acc: AccuracyPoint[], sweep: PlotRow[]): PlotRow[] {
  if (acc.length === 0 || sweep.length === 0) return []
  const left = from(acc).select('key', 'accSource', 'accName', 'top1')
  const right = from(sweep).select('key', 'run', 'grid', 'model', 'batch', 'dtype', 'imageSize', 'macsB', 'p50Ms', 'throughput')
  return (left.join(right, 'key').orderby('run', 'batch', 'macsB', 'accSource').objects() as PlotRow[]).map(({key, ...r}) => ({...r, key}))
}

/**
 * Speed-up of every run against the first, per point. Points match on grid, base, multipliers,
 * image size and batch (not on the sweep's key, which names the dtype and input). Dtype and
 * input layout join the match only when some run holds more than one of them: an fp32 run and
 * an fp16 run still match point for point, but a run holding both compares fp16 with fp16
 * instead of pairing each of its records with the other run's one.
 */
export function compareRuns(sweep: PlotRow[], labels: string[]): PlotRow[] {
  if (labels.length < 2) return []
  const variesInARun = (f: string) => labels.some((l) => new Set(sweep.filter((r) => r.run === l).map((r) => r[f])).size > 1)
  const extra = ['dtype', 'input'].filter(variesInARun)
  const withMatch: PlotRow[] = sweep.map((r) => ({...r, match: [r.grid, r.key, `b${r.batch}`, ...extra.map((f) => r[f])].join('|')}))
  const base = from(withMatch.filter((r) => r.run === labels[0])).select('match', 'grid', 'model', 'batch', 'imageSize', 'macsB', 'p50Ms', 'run', 'dtype')
    .rename({p50Ms: 'baselineMs', run: 'baseline', dtype: 'baselineDtype'})
  return labels.slice(1).flatMap((label) => {
    const other = from(withMatch.filter((r) => r.run === label)).select('match', 'run', 'p50Ms', 'dtype').rename({p50Ms: 'runMs', dtype: 'runDtype'})
    return (base.join(other, 'match').orderby('batch', 'macsB').objects() as PlotRow[]).map((r) => ({
      ...r,
      speedup: round((r.baselineMs as number) / (r.runMs as number), 3),
    }))
  })
}
