import type {Point} from './spec.js'

/**
 * The one identity of a scaled network: base, depth, width (4 decimals) and image size. Accuracy
 * tables, sweeps, searches and reports join on it; the format is fixed (keys already written
 * in users' files and reports use it): "efficientnet-b0|d1.2|w1.1|260px".
 */
export function pointId(base: string, p: Pick<Point, 'depth' | 'width' | 'imageSize'>): string {
  return `${base}|d${round4(p.depth)}|w${round4(p.width)}|${p.imageSize}px`
}

const round4 = (x: number) => Number(x.toFixed(4))
