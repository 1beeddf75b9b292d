import assert from 'node:assert/strict'
import path from 'node:path'
import {test} from 'node:test'
import {FIXTURES} from '../../src/paths.js'
import {assertUsageError, runCli} from '../helpers/cli.js'

const TIMM = path.join(FIXTURES, 'timm-excerpt', 'results-imagenet-excerpt.csv')

test('search --accuracy with no trial on the grid refuses instead of silently printing a training plan', () => {
  // timm rows are fixed models (tf_efficientnet_b3 …), never candidates of the α, β, γ grid: this
  // used to print "training plan" with exit 0, as if --accuracy had not been given.
  assertUsageError(['search', '--accuracy', TIMM], /--accuracy .*results-imagenet-excerpt\.csv: none of its 20 placed rows \(and 22 rows effscale cannot build\) is a candidate of this grid .*`effscale fit --accuracy/)
  assertUsageError(['search', '--accuracy', TIMM, '--objective', 'accuracy'], /nothing can be ranked by accuracy/)
  const plan = runCli(['search', '--json'])
  assert.equal(plan.status, 0)
  assert.equal(JSON.parse(plan.stdout).mode, 'plan', 'without --accuracy a plan is what was asked for')
})
