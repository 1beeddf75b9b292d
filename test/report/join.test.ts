import assert from 'node:assert/strict'
import {test} from 'node:test'
import type {PlotRow} from '../../src/report/chart.js'
import {compareRuns} from '../../src/report/join.js'

const row = (run: string, dtype: string, p50Ms: number): PlotRow => ({
  run, grid: 'width', model: 'efficientnet-b0 w=1.4', key: 'efficientnet-b0|d1|w1.4|224px', batch: 1,
  imageSize: 224, macsB: 0.7, dtype, input: 'float32-nchw', p50Ms,
})

test('speed-up: runs of one dtype each match point for point', () => {
  const rows = compareRuns([row('fp32', 'fp32', 4), row('fp16', 'fp16', 2)], ['fp32', 'fp16'])
  assert.deepEqual(rows.map((r) => [r.baselineDtype, r.runDtype, r.speedup]), [['fp32', 'fp16', 2]])
})

test('speed-up: a run holding two dtypes compares like with like, never fp32 with fp16', () => {
  const sweep = [row('a', 'fp32', 4), row('a', 'fp16', 3), row('b', 'fp16', 2)]
  const rows = compareRuns(sweep, ['a', 'b'])
  assert.deepEqual(rows.map((r) => [r.baselineDtype, r.runDtype, r.speedup]), [['fp16', 'fp16', 1.5]])
  // The same when the run holding both is not the baseline.
  const back = compareRuns([row('b', 'fp16', 2), row('a', 'fp32', 4), row('a', 'fp16', 3)], ['b', 'a'])
  assert.deepEqual(back.map((r) => [r.baselineDtype, r.runDtype]), [['fp16', 'fp16']])
})
