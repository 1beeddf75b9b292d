/**
 * Shared by the single-dimension vs compound charts (Table 7, Table 3): top-1 against MACs,
 * effscale's computed MACs beside the paper's published FLOPs for the same point.
 */
import {costPoint} from '../../accuracy/resolve.js'
import type {ScalingRow} from '../paper.js'
import type {Layers, PlotRow} from '../chart.js'
import {labelLayers} from '../labels.js'
import {billions, millions, round, SCALINGS, TITLE} from '../theme.js'

export function scalingRows(rows: ScalingRow[]): PlotRow[] {
  return rows.map((r) => {
    const c = costPoint({base: r.base, depth: r.depth, width: r.width, resolution: r.resolution})
    return {
      model: r.model,
      base: r.base,
      scaling: r.scaling,
      label: scalingLabel(r),
      depth: r.depth,
      width: r.width,
      resolution: r.resolution,
      imageSize: c.imageSize,
      top1: r.top1,
      macsB: billions(c.macs),
      paperMacsB: billions(r.macs),
      macsDeltaPct: round(((c.macs - r.macs) / r.macs) * 100, 1),
      paramsM: millions(c.params),
    }
  })
}

function scalingLabel(r: ScalingRow): string {
  switch (r.scaling) {
    case 'baseline':
      return 'baseline'
    case 'depth':
      return `d=${r.depth}`
    case 'width':
      return `w=${r.width}`
    case 'resolution':
      return `r=${r.resolution}`
    case 'compound':
      return `d=${r.depth} w=${r.width} r=${r.resolution}`
  }
}

const FROM = ['effscale (computed)', 'paper (published)']

/** Dashed rule from published to computed MACs, a point for each, a label beside the computed one. */
export function scalingLayers(): {layer: Layers} {
  const y = {field: 'top1', type: 'quantitative', title: TITLE.top1, scale: {zero: false, padding: 12}} as const
  return {
    layer: [
      {
        mark: {type: 'rule', color: '#999', strokeDash: [3, 3]},
        encoding: {x: {field: 'paperMacsB', type: 'quantitative'}, x2: {field: 'macsB'}, y},
      },
      {
        transform: [
          {fold: ['macsB', 'paperMacsB'], as: ['from', 'x']},
          {calculate: `datum.from === 'macsB' ? '${FROM[0]}' : '${FROM[1]}'`, as: 'MACs from'},
        ],
        mark: {type: 'point', filled: true, size: 90, opacity: 0.85},
        encoding: {
          x: {field: 'x', type: 'quantitative', title: TITLE.macs, scale: {zero: false, padding: 16}},
          y,
          color: {field: 'scaling', type: 'nominal', title: 'Scaling', scale: {domain: [...SCALINGS]}},
          shape: {field: 'MACs from', type: 'nominal', title: 'MACs from', scale: {domain: FROM, range: ['circle', 'diamond']}},
          tooltip: [
            {field: 'model', title: 'model'},
            {field: 'label', title: 'scaling'},
            {field: 'imageSize', type: 'quantitative', title: 'image (px)'},
            {field: 'top1', type: 'quantitative', title: 'top-1 (%)'},
            {field: 'macsB', type: 'quantitative', title: 'effscale MACs (B)', format: '.3f'},
            {field: 'paperMacsB', type: 'quantitative', title: 'paper FLOPs (B MACs)', format: '.2f'},
            {field: 'macsDeltaPct', type: 'quantitative', title: 'effscale vs paper (%)', format: '+.1f'},
            {field: 'paramsM', type: 'quantitative', title: 'params (M)', format: '.2f'},
          ],
        },
      },
      ...labelLayers({field: 'macsB', type: 'quantitative'}, y, 'label'),
    ],
  }
}
