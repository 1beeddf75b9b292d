import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {BASES} from '../../src/arch/bases.js'
import {resolveTarget} from '../../src/arch/target.js'
import {costTarget} from '../../src/flops/index.js'
import {PACKAGE_ROOT} from '../../src/paths.js'
import {readFixture} from '../helpers/fixtures.js'

interface Row {
  model?: string
  /** A base scaled by width (rows from torchvision builders that take a width multiplier). */
  base?: string
  width?: number
  imageSize?: number
  params?: number
  macs?: number
  paramsRounded?: number
  macsRounded?: number
}
const {rows} = readFixture<{rows: Row[]}>('reference-counts.json')

for (const row of rows) {
  const target = row.model !== undefined ? resolveTarget({model: row.model}) : resolveTarget({base: row.base, width: row.width})
  const c = costTarget(target)
  const name = target.label
  if (row.imageSize !== undefined) {
    test(`${name}: counted at torchvision's ${row.imageSize} px`, () => assert.equal(target.point.imageSize, row.imageSize))
  }
  if (row.params !== undefined) {
    test(`${name}: params exactly equal torchvision's ${row.params}`, () => assert.equal(c.params, row.params))
  }
  if (row.macs !== undefined) {
    test(`${name}: MACs exactly equal the PyTorch hook counter's ${row.macs}`, () => assert.equal(c.macs, row.macs))
  }
  if (row.paramsRounded !== undefined) {
    test(`${name}: params round to the published ${row.paramsRounded}`, () => {
      assert.equal(Math.round(c.params / 1e5) * 1e5, row.paramsRounded)
      assert.equal(Math.round(c.macs / 1e6) * 1e6, row.macsRounded)
    })
  }
}

test('FLOPs are exactly 2 × MACs', () => {
  const c = costTarget(resolveTarget({model: 'efficientnet-b3'}))
  assert.equal(c.flops, 2 * c.macs)
})

/**
 * A second reference, made independently (scripts/reference/export-torchvision13.py, the ONNX
 * fixtures' own counter on the same torchvision): MACs at the exported input size. (Their
 * initializer counts are no params reference: the exporter folds BN and merges equal tensors.)
 */
const tv13 = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'test/onnx/fixtures/torchvision13/refs.json'), 'utf8')) as {
  models: Record<string, {model: string; inputShape: number[]; referenceMacs: number}>
}
const baseOf = (model: string) => model.replaceAll('_', '-').replace(/-(\d)-(\d)gf$/, '-$1.$2gf')
for (const [name, ref] of Object.entries(tv13.models)) {
  const base = baseOf(ref.model)
  if (!(base in BASES)) continue
  test(`${base} at ${ref.inputShape[2]} px: MACs equal the reference of the ONNX fixture ${name}`, () => {
    assert.equal(costTarget(resolveTarget({base, imageSize: ref.inputShape[2]})).macs, ref.referenceMacs)
  })
}
