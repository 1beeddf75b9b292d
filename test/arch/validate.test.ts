/**
 * A --spec, or a base at a scaled point, with a layer whose window does not fit its padded
 * input is refused naming the stage and the layer (it used to be costed with 0 × 0 outputs and
 * exit 0). Even kernels are where it happens: the lowering pads (k − 1) / 2 rounded down, so an
 * even kernel needs an input of at least 2 px while an odd one fits any input.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {lower} from '../../src/arch/lower.js'
import type {Lowered} from '../../src/arch/ops.js'
import {BASES} from '../../src/arch/bases.js'
import {minImageSize, resolvePoint} from '../../src/arch/point.js'
import {validateLowered} from '../../src/arch/validate.js'
import {UserError} from '../../src/errors.js'
import {assertUsageError, runCli} from '../helpers/cli.js'
import {assertRefusal, runMeasured} from '../helpers/measured.js'

const dir = mkdtempSync(path.join(tmpdir(), 'effscale-specval-'))
const write = (name: string, value: unknown) => {
  const file = path.join(dir, name)
  writeFileSync(file, JSON.stringify(value))
  return file
}

// 8 px → stem stride 2 → 4 px → max-pool stride 4 → 1 px: the 4 × 4 depthwise kernel of stage 1 has nothing to slide on.
const evenKernel = write('even.json', {
  name: 'even',
  imageSize: 8,
  stem: {out: 8, kernel: 2, stride: 2, maxpool: {kernel: 4, stride: 4}},
  stages: [{block: 'dwsep', repeats: 1, kernel: 4, stride: 1, out: 8}],
})
const EVEN = /^effscale: even at 8 px: stage1 \(stages\[0\]\), layer stage1\.block1\.dw: kernel 4 is larger than its input's height 1 px padded to 3/

// Valid at its own 16 px; at 4 px the stem leaves 1 px for a 2 × 2 max-pool.
const stemPool = write('stem-pool.json', {
  name: 'stem-pool',
  imageSize: 16,
  stem: {out: 8, kernel: 3, stride: 4, maxpool: {kernel: 2, stride: 1}},
  stages: [{block: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 2, out: 8}],
})

test('flops --spec refuses a stage whose kernel is larger than its padded input', () => {
  assertRefusal(runMeasured(['flops', '--spec', evenKernel]), 2, EVEN)
})

test('export --spec refuses it before writing anything', () => {
  const out = path.join(dir, 'even.onnx')
  assertUsageError(['export', '--spec', evenKernel, '--out', out], EVEN)
  assert.equal(existsSync(out), false)
})

test('check refuses a budget entry naming such a spec', () => {
  const budget = write('budget.json', {budgets: [{name: 'even', spec: 'even.json', maxMacs: '1G'}]})
  const r = runCli(['check', '--budget', budget])
  assert.equal(r.status, 2, r.stdout + r.stderr)
  assert.match(r.stderr, /even at 8 px: stage1 \(stages\[0\]\), layer stage1\.block1\.dw: kernel 4 is larger/)
})

test('a scaled point of a valid spec is refused naming the stem, the point itself accepted', () => {
  assert.equal(runCli(['flops', '--spec', stemPool, '--json']).status, 0)
  for (const point of [['--resolution', '0.25'], ['--image-size', '4']]) {
    assertUsageError(['flops', '--spec', stemPool, ...point], /^effscale: stem-pool at 4 px: stem, layer stem\.pool: kernel 2 is larger than its input's height 1 px padded to 1/)
  }
  assert.equal(runCli(['flops', '--spec', stemPool, '--image-size', '8', '--json']).status, 0)
})

test('every built-in base lowers at its own size and at its smallest allowed size', () => {
  for (const base of Object.values(BASES)) {
    for (const imageSize of [base.imageSize, minImageSize(base)]) {
      assert.doesNotThrow(() => lower(base, resolvePoint(base, {imageSize})), `${base.name} at ${imageSize} px`)
    }
  }
})

test('groups that do not divide the channels are refused naming the layer', () => {
  const net = lower(BASES['mobilenet-v2'], resolvePoint(BASES['mobilenet-v2'], {}))
  const bad: Lowered = structuredClone(net)
  const dw = bad.ops.find((op) => op.kind === 'conv' && op.groups > 1)!
  assert.equal(dw.kind, 'conv')
  if (dw.kind === 'conv') dw.groups = dw.in.c - 1
  assert.throws(() => validateLowered(bad), (e: unknown) => e instanceof UserError && new RegExp(`layer ${dw.name.replaceAll('.', '\\.')}: \\d+ groups do not divide`).test(e.message))
  assert.equal(validateLowered(net), net)
})
