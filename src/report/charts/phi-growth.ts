/**
 * MACs growth vs the compound coefficient φ: effscale's exact count of B0 scaled by
 * d = α^φ, w = β^φ, r = γ^φ against the ideal 2^φ and (α·β²·γ²)^φ — the gap is rounding
 * (channels to multiples of 8, layers up, pixels to whole numbers).
 */
import type {TopLevelSpec} from 'vega-lite'
import {PAPER_COEFFICIENTS} from '../../arch/point.js'
import type {Chart, PlotRow} from '../chart.js'
import {costPoint} from '../../accuracy/resolve.js'
import {billions, frame, logAxis, round} from '../theme.js'

const {alpha, beta, gamma} = PAPER_COEFFICIENTS
const PRODUCT = alpha * beta ** 2 * gamma ** 2
const SERIES = ['effscale (exact, rounded)', 'ideal 2^φ', `(α·β²·γ²)^φ = ${PRODUCT.toFixed(4)}^φ`]

export function phiRows(maxPhi = 8, step = 0.25): PlotRow[] {
  const base = costPoint({base: 'efficientnet-b0', depth: 1, width: 1, resolution: 1}).macs
  const rows: PlotRow[] = []
  for (let i = 0; i * step <= maxPhi + 1e-9; i++) {
    const phi = i * step
    const c = costPoint({base: 'efficientnet-b0', depth: alpha ** phi, width: beta ** phi, resolution: gamma ** phi})
    rows.push({
      phi,
      depth: round(c.depth, 4),
      width: round(c.width, 4),
      imageSize: c.imageSize,
      macsB: billions(c.macs),
      effscale: round(c.macs / base, 4),
      ideal: round(2 ** phi, 4),
      coefficients: round(PRODUCT ** phi, 4),
      vsIdealPct: round((c.macs / base / 2 ** phi - 1) * 100, 1),
    })
  }
  return rows
}

export function phiGrowthChart(): Chart {
  const title = 'MACs growth with the compound coefficient φ (EfficientNet-B0 base)'
  const rows = phiRows()
  const spec: TopLevelSpec = {
    ...frame(title, [`d = ${alpha}^φ, w = ${beta}^φ, r = ${gamma}^φ. MACs relative to B0 (log scale); the paper notes FLOPs differ from 2^φ because of rounding.`], rows),
    width: 560,
    height: 360,
    transform: [
      {fold: ['effscale', 'ideal', 'coefficients'], as: ['key', 'ratio']},
      {calculate: `datum.key === 'effscale' ? '${SERIES[0]}' : datum.key === 'ideal' ? '${SERIES[1]}' : '${SERIES[2]}'`, as: 'series'},
    ],
    mark: {type: 'line', point: true},
    encoding: {
      x: {field: 'phi', type: 'quantitative', title: 'compound coefficient φ (dimensionless)', axis: {format: '~g'}},
      y: {field: 'ratio', type: 'quantitative', title: 'MACs relative to B0 (×)', ...logAxis(rows.flatMap((r) => [r.effscale, r.ideal, r.coefficients] as number[]), 360, 'y')},
      color: {field: 'series', type: 'nominal', title: null, scale: {domain: SERIES, range: ['#d62728', '#4c78a8', '#9e9e9e']}},
      strokeDash: {field: 'series', type: 'nominal', scale: {domain: SERIES, range: [[1, 0], [6, 3], [2, 2]]}},
      tooltip: [
        {field: 'series'},
        {field: 'phi', type: 'quantitative', title: 'φ'},
        {field: 'ratio', type: 'quantitative', title: '× B0', format: '.3f'},
        {field: 'macsB', type: 'quantitative', title: 'effscale MACs (B)', format: '.3f'},
        {field: 'vsIdealPct', type: 'quantitative', title: 'effscale vs 2^φ (%)', format: '+.1f'},
        {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
        {field: 'depth', type: 'quantitative', title: 'depth ×'},
        {field: 'width', type: 'quantitative', title: 'width ×'},
      ],
    },
  }
  return {id: 'phi-growth', title, rows, spec}
}
