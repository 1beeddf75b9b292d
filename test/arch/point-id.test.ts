import {test} from 'node:test'
import assert from 'node:assert/strict'
import {pointKey} from '../../src/accuracy/models.js'
import {pointId} from '../../src/arch/point-id.js'

test('pointId keeps the join key format already in users\' files and reports', () => {
  assert.equal(pointId('efficientnet-b0', {depth: 1, width: 1, imageSize: 224}), 'efficientnet-b0|d1|w1|224px')
  assert.equal(pointId('efficientnet-b0', {depth: 1.2 ** 3, width: 1.1 ** 3, imageSize: 341}), 'efficientnet-b0|d1.728|w1.331|341px')
  assert.equal(pointId('regnet-y-400mf', {depth: 1 / 3, width: 2, imageSize: 96}), 'regnet-y-400mf|d0.3333|w2|96px')
  assert.equal(pointKey('mobilenet-v2', 1, 0.35, 224), pointId('mobilenet-v2', {depth: 1, width: 0.35, imageSize: 224}))
})
