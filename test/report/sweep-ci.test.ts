/** Sweeps timed in rounds: the latency chart draws the 95% intervals and unstable points hollow, and says so. */
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {sweepChart} from '../../src/report/charts/sweep-latency.js'
import {sweepRows} from '../../src/report/join.js'
import type {SweepRecord} from '../../src/sweep/record.js'
import {schemaErrors} from '../../src/report/render.js'

const rec = (width: number, p50: number, stable: boolean): SweepRecord =>
  ({
    key: `width|w=${width}`, grid: 'width', model: `efficientnet-b0 w=${width}`, base: 'efficientnet-b0', depth: 1, width,
    infer_img_size: 128, infer_batch_size: 1, dtype: 'fp32', input: 'float32-nchw', macs: width * width * 1e8, status: 'ok', ep: 'cpu',
    p50_ms: p50, ci_lo_ms: p50 * (stable ? 0.98 : 0.8), ci_hi_ms: p50 * (stable ? 1.02 : 1.3), stable, rel_ref: p50 / 10, infer_samples_per_sec: 1000 / p50,
  }) as unknown as SweepRecord

test('error bars from the intervals, unstable points hollow, the subtitle counts them', () => {
  const rows = sweepRows([{dir: 'r', label: 'r', meta: null, records: [rec(1, 10, true), rec(1.4, 14, false), rec(1.8, 19, true)]}])
  assert.deepEqual(rows.map((r) => r.stability), ['stable', 'unstable', 'stable'])
  const c = sweepChart(rows, ['r'], 'latency')
  assert.deepEqual(schemaErrors(c.spec), [])
  const text = JSON.stringify(c.spec)
  const layers = (c.spec as unknown as {spec: {layer: Array<{mark: {type: string; filled?: boolean}}>}}).spec.layer
  assert.deepEqual(layers.map((l) => `${l.mark.type}${l.mark.filled === false ? ' hollow' : ''}`), ['rule', 'line', 'point', 'point hollow'])
  assert.match(text, /Bars: 95% interval\. Hollow: unstable .*: 1 of 3 points/)
  const rel = sweepChart(rows, ['r'], 'relative')
  assert.deepEqual(schemaErrors(rel.spec), [])
  assert.equal(rel.id, 'sweep-relative')
  assert.match(JSON.stringify(rel.spec), /÷ the reference's in the same round/)
  assert.deepEqual(rel.rows.map((r) => r.relRef), [1, 1.4, 1.9])
  // A sweep from before rounds: no bars, no hollow layer, no note.
  const old = sweepRows([{dir: 'o', label: 'o', meta: null, records: [{...rec(1, 10, true), ci_lo_ms: undefined, ci_hi_ms: undefined, stable: undefined} as unknown as SweepRecord]}])
  const plain = sweepChart(old, ['o'], 'latency')
  assert.deepEqual((plain.spec as unknown as {spec: {layer: unknown[]}}).spec.layer.length, 2)
  assert.doesNotMatch(JSON.stringify(plain.spec), /Hollow/)
})
