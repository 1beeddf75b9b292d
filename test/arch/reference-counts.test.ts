import {test} from 'node:test'
import assert from 'node:assert/strict'
import {resolveTarget} from '../../src/arch/target.js'
import {costTarget} from '../../src/flops/index.js'
import {readFixture} from '../helpers/fixtures.js'

interface Row {
  model: string
  params?: number
  macs?: number
  paramsRounded?: number
  macsRounded?: number
}
const {rows} = readFixture<{rows: Row[]}>('reference-counts.json')

for (const row of rows) {
  const c = costTarget(resolveTarget({model: row.model}))
  if (row.params !== undefined) {
    test(`${row.model}: params exactly equal torchvision's ${row.params}`, () => assert.equal(c.params, row.params))
  }
  if (row.macs !== undefined) {
    test(`${row.model}: MACs within 0.5% of the PyTorch counter's ${row.macs}`, () => {
      assert.ok(Math.abs(c.macs / row.macs! - 1) < 0.005, `${c.macs} vs ${row.macs}`)
    })
  }
  if (row.paramsRounded !== undefined) {
    test(`${row.model}: params round to the published ${row.paramsRounded}`, () => {
      assert.equal(Math.round(c.params / 1e5) * 1e5, row.paramsRounded)
      assert.equal(Math.round(c.macs / 1e6) * 1e6, row.macsRounded)
    })
  }
}

test('FLOPs are exactly 2 × MACs', () => {
  const c = costTarget(resolveTarget({model: 'efficientnet-b3'}))
  assert.equal(c.flops, 2 * c.macs)
})
