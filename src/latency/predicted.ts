/**
 * Filling in what a sweep did not measure: search candidates, family members and budget
 * entries without a measured latency get one from a latency model, flagged `predicted` so no
 * reader mistakes it for a measurement. Measured values always win.
 */
import type {BaseSpec, Point} from '../arch/spec.js'
import {lower} from '../arch/lower.js'
import type {Measured} from '../search/search.js'
import {checkIdentity, predict, type LatencyModel} from './model-file.js'
import type {DeviceIdentity} from './samples.js'

export function predictUnmeasured(
  model: LatencyModel,
  at: string,
  base: BaseSpec,
  candidates: ReadonlyArray<{point: Point}>,
  measured: readonly Measured[],
  batch: number,
  want: Partial<Record<keyof DeviceIdentity, string | undefined>>,
): Measured[] {
  checkIdentity(model, want, at)
  return candidates.map((c, i) => {
    const m = measured[i] ?? {top1: null, latencyMs: null}
    if (m.latencyMs !== null) return m
    return {...m, latencyMs: predict(model, lower(base, c.point), batch).latencyMs, latencyPredicted: true}
  })
}
