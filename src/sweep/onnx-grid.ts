/**
 * `sweep --onnx FILE...`: the user's own ONNX files as a grid, timed with the same rounds and
 * statistics as emitted networks. Each file is profiled first (src/onnx/profile.ts: MACs and
 * params, and the input shape, which `--input-shape` fills where the file has dynamic dims), so
 * a file that cannot be costed or shaped is refused (exit 2) before anything is timed.
 */
import {existsSync, statSync} from 'node:fs'
import path from 'node:path'
import {UserError} from '../errors.js'
import {profileOnnxFile} from '../onnx/profile.js'
import {gridId, type Grid, type GridPoint} from './grid.js'

export interface OnnxSource {
  /** Absolute path of the file. */
  file: string
  /** As the user wrote it (labels and messages). */
  given: string
  /** Shape the first input is fed with. */
  inputShape: number[]
  /** Profiled MACs and params of the whole graph at that shape. */
  macs: number
  params: number
}

/** Image side of an NCHW or NHWC input (the larger of the two middle dims), else its last dim. */
function imageSide(shape: readonly number[]): number {
  if (shape.length === 4) return shape[1] <= 4 ? shape[2] : shape[1]
  return shape[shape.length - 1]
}

export function onnxGrid(files: readonly string[], inputShape: number[] | undefined): Grid {
  const points: GridPoint[] = files.map((given) => {
    const file = path.resolve(given)
    if (!existsSync(file)) throw new UserError(`--onnx ${given}: no such file`)
    if (!statSync(file).isFile()) throw new UserError(`--onnx ${given}: not a file`)
    let p
    try {
      p = profileOnnxFile(file, inputShape ? {inputShape} : {})
    } catch (error) {
      throw new UserError(`--onnx ${given}: ${(error as Error).message.replace(`${file}: `, '')}`)
    }
    const shape = p.inputs[0]?.shape
    if (!shape) throw new UserError(`--onnx ${given}: the graph has no input`)
    const batch = shape[0]
    const source: OnnxSource = {file, given, inputShape: shape, macs: p.macs, params: p.params}
    return {
      grid: 'onnx',
      model: given,
      base: 'onnx',
      depth: 1,
      width: 1,
      resolution: 1,
      imageSize: imageSide(shape),
      phi: null,
      key: ['onnx', file, shape.join('x')].join('|'),
      batch,
      dtype: 'fp32',
      input: 'float32-nchw',
      onnx: source,
    }
  })
  const seen = new Set<string>()
  for (const p of points) {
    if (seen.has(p.key)) throw new UserError(`--onnx ${p.onnx!.given}: given twice`)
    seen.add(p.key)
  }
  return {id: gridId(points.map((p) => p.key)), points}
}
