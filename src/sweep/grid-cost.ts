import {resolveTarget} from '../arch/target.js'
import {checkEstimate, estimateCost, memoryLimit} from '../flops/estimate.js'
import type {Grid} from './grid.js'

/**
 * Every point's cost estimate before the first is emitted or run: a point whose weights and
 * activations would not fit in memory is refused up front, naming the grid's source and the
 * point. A point whose file would pass protobuf's 2 GiB is fine: the model cache writes its
 * weights as external data.
 */
export function checkGridCost(grid: Grid, source: string, maxMemory: number | undefined): void {
  const limit = memoryLimit(maxMemory)
  const from = source.startsWith('file:') ? `--grid ${source.slice(5)}` : source === 'flags' ? 'sweep' : 'the default grid'
  for (const p of grid.points) {
    // A user's ONNX file already exists: its size is known, and onnxruntime reads it as it is.
    if (p.onnx) continue
    const target = resolveTarget({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize})
    const estimate = estimateCost(target, {batch: p.batch, dtype: p.dtype})
    // No file-size limit: the model cache keeps the weights of a model over 2 GiB in external data.
    checkEstimate(estimate, limit, `${from}: point "${p.model}" at batch ${p.batch}`)
  }
}
