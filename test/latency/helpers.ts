/** A made-up device and a sweep directory measured on it, for the latency model's tests. */
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {resolveTarget} from '../../src/arch/target.js'
import {lowerTarget} from '../../src/flops/index.js'
import {networkFeatures, type Features} from '../../src/latency/features.js'
import type {Sample} from '../../src/latency/model.js'
import {FIXTURES} from '../../src/paths.js'
import {runCli} from '../helpers/cli.js'

/** A made-up device: 1×1 convs at 5 GMAC/s, depthwise and element-wise at 2 GB/s, 20 µs a kernel, 0.3 ms fixed. */
export const law = (f: Features) => 0.3 + f.macs.pointwise / 5e6 + (f.bytes.depthwise + f.bytes.elementwise) / 2e6 + 0.02 * Object.values(f.ops).reduce((a, b) => a + b, 0)
export const point = (depth: number, width: number, imageSize: number, batch = 1): Sample => {
  const net = lowerTarget(resolveTarget({base: 'efficientnet-b0', depth, width, imageSize}))
  const features = networkFeatures(net, batch, 'fp32')
  return {label: `d${depth} w${width} ${imageSize}`, features, ms: law(features)}
}

/** A copy of the recorded CPU sweep whose latencies follow `law`; rel_ref marks interleaved timing. */
export function lawSweep(mutate?: (r: Record<string, unknown>, ms: number) => void): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'effscale-cal-')), 'sweep')
  cpSync(path.join(FIXTURES, 'sweeps', 'sample-cpu'), dir, {recursive: true})
  const file = path.join(dir, 'results.jsonl')
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => {
    const r = JSON.parse(l) as Record<string, unknown>
    const net = lowerTarget(resolveTarget({base: r.base as string, depth: r.depth as number, width: r.width as number, imageSize: r.infer_img_size as number}))
    const ms = law(networkFeatures(net, r.infer_batch_size as number, 'fp32'))
    r.p50_ms = ms
    mutate?.(r, ms)
    return JSON.stringify(r)
  })
  writeFileSync(file, lines.join('\n') + '\n')
  return dir
}


/** A latency model calibrated on lawSweep(), and its file. */
export function lawModel(): string {
  const dir = lawSweep()
  const out = path.join(path.dirname(dir), 'model.json')
  const r = runCli(['calibrate', '--sweep', dir, '--out', out])
  if (r.status !== 0) throw new Error(r.stderr)
  return out
}
