/**
 * The user JSON spec expresses every block kind: the checked-in schema is the code's, and the
 * example spec of each family parses and counts exactly as torchvision's model does.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {BLOCKS} from '../../src/arch/blocks.js'
import {lower} from '../../src/arch/lower.js'
import {resolvePoint} from '../../src/arch/point.js'
import {BASE_SPEC_SCHEMA} from '../../src/arch/spec-schema.js'
import {parseBaseSpec} from '../../src/arch/user-spec.js'
import {total} from '../../src/flops/count.js'
import {FIXTURES} from '../../src/paths.js'
import {readFixture} from '../helpers/fixtures.js'

const SPECS = path.join(FIXTURES, 'specs')
const files = readdirSync(SPECS).filter((f) => f.endsWith('.json'))
const specs = files.map((f) => parseBaseSpec(readFileSync(path.join(SPECS, f), 'utf8'), f))
const {rows} = readFixture<{rows: Array<{model?: string; params?: number; macs?: number; imageSize?: number}>}>('reference-counts.json')

test('the checked-in schema is the one the code validates with', () => {
  assert.deepEqual(readFixture('schemas/base-spec.schema.json'), JSON.parse(JSON.stringify(BASE_SPEC_SCHEMA)))
})

test('every block kind appears in an example spec', () => {
  const used = new Set(specs.flatMap((s) => s.stages.map((st) => st.block)))
  assert.deepEqual(Object.keys(BLOCKS).filter((k) => !used.has(k as never)), [])
})

for (const spec of specs) {
  const ref = rows.find((r) => r.model === spec.name && r.params !== undefined)
  if (!ref) continue
  test(`fixtures/specs/${spec.name}.json counts as torchvision's ${spec.name}`, () => {
    const t = total(lower(spec, resolvePoint(spec, {imageSize: ref.imageSize ?? spec.imageSize})).ops)
    assert.equal(t.params, ref.params)
    if (ref.macs !== undefined) assert.equal(t.macs, ref.macs)
  })
}

test('omitted stage fields take the schema defaults', () => {
  const spec = parseBaseSpec(
    JSON.stringify({name: 'x', imageSize: 64, stem: {out: 8, kernel: 3, stride: 2}, stages: [
      {block: 'convnext', repeats: 1, stride: 1, out: 8},
      {block: 'regnet', repeats: 1, stride: 2, groupWidth: 8, out: 16},
      {block: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 1, out: 16},
    ]}),
    'x.json',
  )
  assert.deepEqual(spec.stages, [
    {block: 'convnext', repeats: 1, stride: 1, out: 8, kernel: 7, expand: 4},
    {block: 'regnet', repeats: 1, stride: 2, groupWidth: 8, out: 16, bottleneck: 1, se: 0},
    {block: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 1, out: 16, se: 0},
  ])
})

test('a spec error names the stage kind and its field', () => {
  const bad = (stage: object) =>
    assert.throws(
      () => parseBaseSpec(JSON.stringify({name: 'x', imageSize: 64, stem: {out: 8, kernel: 3, stride: 2}, stages: [stage]}), 'x.json'),
      (e: Error) => e.message.startsWith('x.json: ') && !e.message.includes('\n'),
    )
  bad({block: 'regnet', repeats: 1, stride: 2, out: 32})
  bad({block: 'mbconv3', repeats: 1, kernel: 3, stride: 2, expanded: 64, se: 'yes', act: 'relu', out: 24})
  bad({block: 'convnext', repeats: 1, stride: 2, out: 32, layerScale: 1})
  bad({block: 'transformer', repeats: 1})
  assert.throws(
    () => parseBaseSpec(JSON.stringify({name: 'x', imageSize: 64, stem: {out: 8, kernel: 3, stride: 2}, stages: [{block: 'transformer'}]}), 'x.json'),
    /^UserError: x\.json: stages\.0\.block "transformer" is not a block kind; one of mbconv, dwsep, bottleneck, fused-mbconv, mbconv3, regnet, convnext$/,
  )
})
