/**
 * The user's accuracy results at effscale's computed MACs and params, like the paper's
 * Figures 1 and 5: top-1 vs MACs and vs params, one colour per base network.
 */
import type {TopLevelSpec} from 'vega-lite'
import type {Chart, Layers} from '../chart.js'
import type {AccuracyPoint} from '../join.js'
import {labelLayers} from '../labels.js'
import {frame, logAxis, SHARED_Y_PANELS, TITLE} from '../theme.js'

/** Beyond this many points, names go to tooltips only. */
const MAX_LABELS = 30

export function userAccuracyChart(points: AccuracyPoint[], source: string): Chart {
  const title = 'Your accuracy results vs computed MACs and params'
  const rows = points
  const y = {field: 'top1', type: 'quantitative', title: TITLE.top1, scale: {zero: false, padding: 10}} as const
  const panel = (field: 'macsB' | 'paramsM') => {
    const x = {field, type: 'quantitative', title: field === 'macsB' ? TITLE.macs : TITLE.params, ...logAxis(rows.map((r) => r[field]), 420)} as const
    const layer: Layers = [
        {
          mark: {type: 'point', filled: true, size: 55, opacity: 0.85},
          encoding: {
            x,
            y,
            color: {field: 'base', type: 'nominal', title: 'base network'},
            tooltip: [
              {field: 'accName', title: 'model'},
              {field: 'base'},
              {field: 'depth', type: 'quantitative', title: 'depth ×'},
              {field: 'width', type: 'quantitative', title: 'width ×'},
              {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
              {field: 'top1', type: 'quantitative', title: 'top-1 (%)'},
              {field: 'macsB', type: 'quantitative', title: 'MACs (B)', format: '.3f'},
              {field: 'paramsM', type: 'quantitative', title: 'params (M)', format: '.2f'},
            ],
          },
        },
    ]
    if (rows.length <= MAX_LABELS) layer.push(...labelLayers(x, y, 'accName', {fontSize: 9, field: field === 'macsB' ? 'labelMacs' : 'labelParams'}))
    return {width: 420, height: 320, layer}
  }
  const spec: TopLevelSpec = {
    ...frame(title, [`${points.length} rows of ${source} that effscale can build, at effscale's computed MACs and params (log scale).`, 'MACs = multiply-accumulates; FLOPs = 2 × MACs.'], rows),
    hconcat: [panel('macsB'), panel('paramsM')],
    resolve: SHARED_Y_PANELS,
  }
  return {id: 'user-accuracy', title, rows, spec}
}
