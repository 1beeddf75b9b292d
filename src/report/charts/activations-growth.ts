/**
 * Activations against MACs per scaling strategy (Dollár et al. 2021): B0 scaled to the same
 * MACs per step (the compound family's α·β²·γ² per φ) by compound, fast dWr(0.8) and single
 * dimensions, log-log; each legend entry quotes its measured slope. Fewer activations per MAC
 * means less memory traffic, and on memory-bound hardware, less latency.
 */
import type {TopLevelSpec} from 'vega-lite'
import {PAPER_COEFFICIENTS, resolvePoint} from '../../arch/point.js'
import {FAST_ALPHA, multipliersAt, type Strategy} from '../../arch/strategies.js'
import {baseByName} from '../../arch/target.js'
import {costTotals} from '../../flops/index.js'
import {logLogSlope} from '../../search/family.js'
import type {Chart, PlotRow} from '../chart.js'
import {billions, frame, logAxis, millions} from '../theme.js'

const STRATEGIES: Strategy[] = [
  {kind: 'compound', ...PAPER_COEFFICIENTS},
  {kind: 'fast', alpha: FAST_ALPHA},
  {kind: 'single', dim: 'width'},
  {kind: 'single', dim: 'depth'},
  {kind: 'single', dim: 'resolution'},
]

export function activationsRows(steps = 6): PlotRow[] {
  const base = baseByName('efficientnet-b0')
  const {alpha, beta, gamma} = PAPER_COEFFICIENTS
  const step = alpha * beta ** 2 * gamma ** 2
  return STRATEGIES.flatMap((s) => {
    const members = Array.from({length: steps + 1}, (_, phi) => {
      const point = resolvePoint(base, multipliersAt(s, step ** phi))
      return {phi, point, t: costTotals({base, point})}
    })
    const slope = logLogSlope(members.map((m) => m.t.macs), members.map((m) => m.t.activations))
    const name = `${shortName(s)}: slope ${slope.toFixed(2)}`
    return members.map(({phi, point, t}) => ({
      strategy: name,
      phi,
      depth: Number(point.depth.toFixed(3)),
      width: Number(point.width.toFixed(3)),
      imageSize: point.imageSize,
      macsB: billions(t.macs),
      activationsM: millions(t.activations),
    }))
  })
}

export function activationsGrowthChart(): Chart {
  const title = 'Activations vs MACs per scaling strategy (EfficientNet-B0 base)'
  const rows = activationsRows()
  const spec: TopLevelSpec = {
    ...frame(title, [
      'Each strategy scales B0 to the compound family\'s MACs per φ step (φ = 0…6), log-log; the slope is d log(activations) / d log(MACs).',
      'Fast scaling dWr (Dollár et al. 2021) spends most MACs on width: activations grow ≈ MACs^0.6 against ≈ MACs^0.85 for compound.',
    ], rows),
    width: 560,
    height: 360,
    mark: {type: 'line', point: true},
    encoding: {
      x: {field: 'macsB', type: 'quantitative', title: 'MACs per image (billions)', ...logAxis(rows.map((r) => r.macsB as number), 560)},
      y: {field: 'activationsM', type: 'quantitative', title: 'activations per image (millions of elements)', ...logAxis(rows.map((r) => r.activationsM as number), 360, 'y')},
      color: {field: 'strategy', type: 'nominal', title: 'strategy', sort: null, legend: {orient: 'right'}},
      order: {field: 'phi', type: 'quantitative'},
      tooltip: [
        {field: 'strategy'},
        {field: 'phi', type: 'quantitative', title: 'step φ'},
        {field: 'depth', type: 'quantitative', title: 'depth ×'},
        {field: 'width', type: 'quantitative', title: 'width ×'},
        {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
        {field: 'macsB', type: 'quantitative', title: 'MACs (B)', format: '.3f'},
        {field: 'activationsM', type: 'quantitative', title: 'activations (M)', format: '.2f'},
      ],
    },
  }
  return {id: 'activations-growth', title, rows, spec}
}

function shortName(s: Strategy): string {
  switch (s.kind) {
    case 'compound':
      return 'compound'
    case 'fast':
      return `fast dWr(${s.alpha})`
    case 'single':
      return `${s.dim} only`
  }
}
