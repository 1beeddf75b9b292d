/**
 * "What predicts your latency", from the user's own sweep: measured latency against MACs,
 * against activations and against the calibrated latency model (leave-one-out predictions,
 * so a point never predicts itself), R² in each panel's title; and predicted against measured
 * with the ±10% band.
 */
import type {TopLevelSpec} from 'vega-lite'
import type {Calibration, Sample} from '../../latency/model.js'
import {r2Linear, r2Predicted} from '../../latency/model.js'
import type {Chart, PlotRow} from '../chart.js'
import {frame, logAxis, round} from '../theme.js'

export interface CalibratedRun {
  run: string
  samples: Sample[]
  calibration: Calibration
}

const r3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—')

export function predictorRows(runs: readonly CalibratedRun[]): PlotRow[] {
  return runs.flatMap(({run, samples, calibration}, runIndex) => {
    const ms = samples.map((s) => s.ms)
    const macs = samples.map((s) => s.features.totalMacs * s.features.batch)
    const acts = samples.map((s) => s.features.activations * s.features.batch)
    const loo = calibration.residuals.map((r) => r.looMs)
    const panels: Array<[string, number[], number]> = [
      ['MACs per inference (millions)', macs.map((v) => v / 1e6), r2Linear(macs, ms)],
      ['activations per inference (millions)', acts.map((v) => v / 1e6), r2Linear(acts, ms)],
      ['latency model, leave-one-out (ms)', loo, r2Predicted(ms, loo)],
    ]
    return panels.flatMap(([predictor, xs, r2]) =>
      samples.map((s, i) => ({
        run, predictor, x: round(xs[i], 4), ms: round(s.ms, 4), model: s.label, batch: s.features.batch, r2: round(r2, 3),
        // One R² line per sweep, stacked from the panel's top edge (pixels).
        r2Label: i === 0 ? `${runs.length > 1 ? `${run}: ` : ''}R² = ${r3(r2)}` : null,
        r2Y: 6 + 16 * runIndex,
      })),
    )
  })
}

const PREDICTORS = ['MACs per inference (millions)', 'activations per inference (millions)', 'latency model, leave-one-out (ms)'] as const

export function predictorsChart(runs: readonly CalibratedRun[]): Chart {
  const title = 'What predicts your latency: MACs, activations or the latency model'
  const rows = predictorRows(runs)
  // One panel per predictor, each with its own log axis (labelled decades); latency shares one y.
  const y = {field: 'ms', type: 'quantitative', title: 'measured latency (ms)', ...logAxis(rows.map((r) => r.ms as number), 220, 'y')} as const
  const panel = (predictor: string) => ({
    width: 240,
    height: 220,
    transform: [{filter: {field: 'predictor', equal: predictor}}],
    layer: [
      {
        mark: {type: 'point', filled: true, size: 45},
        encoding: {
          x: {field: 'x', type: 'quantitative', title: predictor, ...logAxis(rows.filter((r) => r.predictor === predictor).map((r) => r.x as number), 240)},
          y,
          color: {field: 'batch', type: 'ordinal', title: 'batch'},
          ...(runs.length > 1 ? {shape: {field: 'run', type: 'nominal', title: 'sweep'}} : {}),
          tooltip: [{field: 'run'}, {field: 'model'}, {field: 'batch', type: 'ordinal'}, {field: 'x', type: 'quantitative', title: 'predictor value', format: '.4~g'}, {field: 'ms', type: 'quantitative', title: 'ms', format: '.3f'}, {field: 'r2', type: 'quantitative', title: 'R²'}],
        },
      },
      {
        transform: [{filter: 'datum.r2Label !== null'}],
        mark: {type: 'text', align: 'left', baseline: 'top', fontSize: 13, fontWeight: 'bold'},
        encoding: {x: {value: 6}, y: {field: 'r2Y', type: 'quantitative', scale: null}, text: {field: 'r2Label'}},
      },
    ],
  })
  const spec = {
    ...frame(title, [
      'Measured latency of each swept network against three predictors, log-log; R² of a straight-line fit (for the model: of its predictions).',
      'The model is fitted without the point it predicts (leave-one-out): effscale calibrate --sweep DIR.',
    ], rows),
    hconcat: PREDICTORS.map(panel),
  } as TopLevelSpec
  return {id: 'latency-predictors', title, rows, spec}
}

export function modelFitRows(runs: readonly CalibratedRun[]): PlotRow[] {
  const points = runs.flatMap(({run, calibration}) =>
    calibration.residuals.map((r) => ({
      run, kind: 'point', line: null, model: r.label, batch: r.batch,
      measured: round(r.measuredMs, 4), predicted: round(r.looMs, 4), errorPct: round((r.looMs / r.measuredMs - 1) * 100, 1),
    })),
  )
  const all = points.flatMap((p) => [p.measured, p.predicted])
  const lo = Math.min(...all) / 1.2
  const hi = Math.max(...all) * 1.2
  const band = (line: string, f: number) => [lo, hi].map((m) => ({run: null, kind: 'band', line, model: null, batch: null, measured: round(m, 4), predicted: round(m * f, 4), errorPct: null}))
  return [...points, ...band('predicted = measured', 1), ...band('+10%', 1.1), ...band('−10%', 0.9)]
}

export function modelFitChart(runs: readonly CalibratedRun[]): Chart {
  const title = 'Latency model: predicted vs measured, with the ±10% band'
  const rows = modelFitRows(runs)
  const within = runs.map(({run, calibration}) => `${run}: ${Math.round(100 * calibration.loo.within10)}% within ±10% (${calibration.featureSet})`)
  // One log axis for both: predicted and measured are the same quantity, on the same scale.
  const shared = logAxis(rows.flatMap((r) => [r.measured as number, r.predicted as number]), 380, 'y')
  const axis = (field: string, t: string) => ({field, type: 'quantitative', title: t, ...shared}) as const
  const spec: TopLevelSpec = {
    ...frame(title, ['Each swept network predicted by the model fitted without it (leave-one-out), log-log.', ...within], rows),
    width: 420,
    height: 380,
    layer: [
      {
        transform: [{filter: "datum.kind === 'band'"}],
        mark: {type: 'line', color: '#9e9e9e'},
        encoding: {x: axis('measured', 'measured latency (ms)'), y: axis('predicted', 'predicted latency (ms)'), detail: {field: 'line'}, strokeDash: {field: 'line', type: 'nominal', title: null, scale: {domain: ['predicted = measured', '+10%', '−10%'], range: [[1, 0], [4, 3], [4, 3]]}}},
      },
      {
        transform: [{filter: "datum.kind === 'point'"}],
        mark: {type: 'point', filled: true, size: 50},
        encoding: {
          x: axis('measured', 'measured latency (ms)'),
          y: axis('predicted', 'predicted latency (ms)'),
          color: {field: 'run', type: 'nominal', title: 'sweep'},
          tooltip: [{field: 'run'}, {field: 'model'}, {field: 'batch', type: 'ordinal'}, {field: 'measured', type: 'quantitative', format: '.3f'}, {field: 'predicted', type: 'quantitative', format: '.3f'}, {field: 'errorPct', type: 'quantitative', title: 'error (%)', format: '+.1f'}],
        },
      },
    ],
  }
  return {id: 'latency-model', title, rows, spec}
}
