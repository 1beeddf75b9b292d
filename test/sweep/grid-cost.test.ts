import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {BASES} from '../../src/arch/bases.js'
import {UserError} from '../../src/errors.js'
import {buildGrid} from '../../src/sweep/grid.js'
import {checkGridCost} from '../../src/sweep/grid-cost.js'

describe('sweep --base works on every base', () => {
  for (const base of Object.keys(BASES)) {
    it(`${base}: the four scaling paths build and pass the cost estimate`, () => {
      const grid = buildGrid({base, dims: ['width', 'depth', 'resolution', 'compound'], phiMax: 3, batches: [1], dtype: 'fp32', input: 'float32-nchw'})
      assert.equal(new Set(grid.points.map((p) => p.grid)).size, 4)
      assert.ok(grid.points.every((p) => p.base === base))
      checkGridCost(grid, 'flags', 64 * 2 ** 30)
    })
  }
})

it('a grid point over --max-memory is refused before anything runs, naming the grid file and the point', () => {
  const grid = buildGrid({points: [{grid: 'mine', model: 'efficientnet-b0 w=2', base: 'efficientnet-b0', depth: 1, width: 2, resolution: 1, imageSize: 224, phi: null}], batches: [8], dtype: 'fp16', input: 'float32-nchw'})
  assert.throws(
    () => checkGridCost(grid, 'file:g.json', 2 ** 20),
    (e: Error) => e instanceof UserError && /^--grid g\.json: point "efficientnet-b0 w=2" at batch 8: needs ~\d+\.\d MiB .* over the limit of 1\.0 MiB \(--max-memory\)$/.test(e.message),
  )
})
