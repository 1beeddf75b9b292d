/** Which charts a report holds, in order: the paper's first, then the user's, then the sweeps'. */
import path from 'node:path'
import type {Benchmark} from '../../accuracy/benchmark.js'
import type {AccuracyData} from '../../accuracy/csv.js'
import type {Chart} from '../chart.js'
import {compareRuns, joinAccuracyLatency, paperAccuracy, sweepRows, userAccuracy} from '../join.js'
import type {PaperTables} from '../paper.js'
import {runContext, withSubtitle} from '../run-context.js'
import type {SweepRun} from '../sweep.js'
import {accuracyLatencyChart} from './accuracy-latency.js'
import {activationsGrowthChart} from './activations-growth.js'
import {modelFitChart, predictorsChart, type CalibratedRun} from './latency-model.js'
import {calibrate} from '../../latency/model.js'
import {samplesOf} from '../../latency/samples.js'
import {UserError} from '../../errors.js'
import {accuracyPathsChart, paperPathPoints, userPathPoints} from './accuracy-paths.js'
import {b0ScalingChart} from './b0-scaling.js'
import {familyChart} from './family.js'
import {otherScalingChart} from './other-scaling.js'
import {paretoChart} from './pareto.js'
import {phiGrowthChart} from './phi-growth.js'
import {scalingPathBase, scalingPathRows, scalingPathsChart} from './scaling-paths.js'
import {speedupChart} from './sweep-speedup.js'
import {sweepChart} from './sweep-latency.js'
import {transferChart} from './transfer.js'
import {userAccuracyChart} from './user-accuracy.js'

export interface ChartInputs {
  paper: PaperTables
  runs: SweepRun[]
  accuracy?: AccuracyData
  /** A timm results file for the landscape (else --accuracy when it is one). */
  timm?: AccuracyData
  /** timm benchmark files: throughput and MACs of the landscape's models. */
  benchmarks?: Benchmark[]
}

export interface ChartSet {
  charts: Chart[]
  /** Why a chart the inputs asked for was left out (e.g. no sweep point of known accuracy). */
  notes: string[]
}

export function buildCharts({paper, runs, accuracy, timm, benchmarks = []}: ChartInputs): ChartSet {
  const notes: string[] = []
  const charts: Chart[] = [
    b0ScalingChart(paper.table7),
    otherScalingChart(paper.table3),
    familyChart(paper.table2, 'macs'),
    familyChart(paper.table2, 'params'),
    transferChart(paper.table5),
    phiGrowthChart(),
    activationsGrowthChart(),
  ]
  // One-way and compound curves: the user's trials, else the paper's points marked published.
  const trials = accuracy ? userPathPoints(accuracy) : null
  charts.push(accuracyPathsChart(trials ?? paperPathPoints(paper), trials === null))
  const user = accuracy ? userAccuracy(accuracy, path.basename(accuracy.source)) : []
  if (accuracy) {
    if (user.length) charts.push(userAccuracyChart(user, accuracy.source))
    else notes.push(`user-accuracy: no row of ${accuracy.source} names a model effscale can build`)
  }
  const landscape = timm ?? (accuracy?.format === 'timm' ? accuracy : undefined)
  if (landscape) {
    const mine = accuracy && accuracy !== landscape && accuracy.format === 'points' ? user.map((u) => ({name: u.accName, macs: u.macsB * 1e9, top1: u.top1})) : []
    charts.push(paretoChart(landscape.timm, benchmarks, mine, landscape.source))
  }
  if (runs.length === 0) return {charts, notes}

  const labels = runs.map((r) => r.label)
  const sweep = sweepRows(runs)
  if (sweep.length === 0) {
    notes.push('sweep charts: every sweep point failed; nothing to plot')
    return {charts, notes}
  }
  // Every latency chart says where it was measured: device, EP, threads, dtype per run.
  const measured = (c: Chart) => withSubtitle(c, runs.map(runContext))
  charts.push(measured(sweepChart(sweep, labels, 'latency')), measured(sweepChart(sweep, labels, 'throughput')))
  // Sweeps timed in rounds: latency relative to the reference of the same round.
  if (sweep.some((r) => typeof r.relRef === 'number')) charts.push(measured(sweepChart(sweep, labels, 'relative')))
  // Figure 8 for a base other than B0, when a sweep holds its compound and single-dimension paths.
  const pathBase = scalingPathBase(sweep)
  const pathRows = pathBase === undefined ? null : scalingPathRows(sweep, pathBase)
  if (pathBase !== undefined && pathRows) charts.push(measured(scalingPathsChart(pathRows, pathBase)))
  const joined = joinAccuracyLatency([...paperAccuracy(paper), ...user], sweep)
  if (joined.length) charts.push(measured(accuracyLatencyChart(joined, labels)))
  else notes.push('accuracy-latency: no swept point has a known accuracy (paper tables or --accuracy)')
  if (runs.length > 1) {
    const speed = compareRuns(sweep, labels)
    if (speed.length) charts.push(measured(speedupChart(speed, labels)))
    else notes.push(`sweep-speedup: no point of ${labels.slice(1).join(', ')} matches one of ${labels[0]}`)
  }
  const calibrated = runs.flatMap((r) => calibrated1(r, notes))
  if (calibrated.length) charts.push(measured(predictorsChart(calibrated)), measured(modelFitChart(calibrated)))
  return {charts, notes}
}

/** Fewer networks than this leave the latency model charts nothing to say. */
const MIN_CALIBRATION = 6

/** A run's latency model (as effscale calibrate fits it), or a note why it has none. */
function calibrated1(r: SweepRun, notes: string[]): CalibratedRun[] {
  try {
    const data = samplesOf(r.records, r.meta, `--sweep ${r.dir}`)
    if (data.samples.length < MIN_CALIBRATION) {
      notes.push(`latency-model: ${r.label} has ${data.samples.length} distinct networks, fewer than ${MIN_CALIBRATION} to calibrate on`)
      return []
    }
    return [{run: r.label, samples: data.samples, calibration: calibrate(data.samples)}]
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    notes.push(`latency-model: ${r.label}: ${error.message}`)
    return []
  }
}
