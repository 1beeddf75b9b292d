import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {PAPER_COEFFICIENTS} from '../../src/arch/point.js'
import type {BaseSpec} from '../../src/arch/spec.js'
import {baseByName, resolveTarget} from '../../src/arch/target.js'
import {REFERENCE_RULE} from '../../src/arch/bases.js'
import {UserError} from '../../src/errors.js'
import {costTotals} from '../../src/flops/index.js'
import {scaledFamily} from '../../src/search/family.js'
import {assertUsageError, runCli} from '../helpers/cli.js'

const {alpha, beta, gamma} = PAPER_COEFFICIENTS
const ideal = alpha * beta ** 2 * gamma ** 2
const b0 = baseByName('efficientnet-b0')

test('B0 family: MACs grow ≈ α·β²·γ² per φ step; rounding moves single steps, not the trend', () => {
  const f = scaledFamily({base: b0, alpha, beta, gamma, maxPhi: 7})
  assert.equal(f.members.length, 8)
  assert.ok(Math.abs(f.idealRatio - ideal) < 1e-12)
  // Rounding errors telescope: over seven steps the geometric mean stays close to the ideal.
  assert.ok(Math.abs(f.meanStepRatio! / ideal - 1) < 0.02, `mean step ${f.meanStepRatio}`)
  for (const m of f.members.slice(1)) {
    // ceil() of depth adds at most one block per stage, ÷8 at most one channel group: bounded.
    assert.ok(m.stepRatio! > ideal / 1.5 && m.stepRatio! < ideal * 1.5, `φ=${m.phi} step ${m.stepRatio}`)
    const prev = f.members[m.phi - 1]
    assert.equal(m.stepRatio, m.macs / prev.macs)
    assert.ok(m.macs > prev.macs && m.params > prev.params)
  }
})

test('with rounding made negligible (many repeats, wide channels) every step is the ideal ratio', () => {
  // Pointwise convs dominate (MACs ∝ d·w²·r²); 60 repeats and 512 channels make ceil and ÷8 tiny.
  const wide: BaseSpec = {
    ...b0,
    name: 'wide-test',
    stem: {out: 512, kernel: 3, stride: 2},
    stages: [{block: 'mbconv', repeats: 60, kernel: 1, stride: 1, expand: 4, se: 0, out: 512}],
    head: undefined,
    scaling: REFERENCE_RULE,
  }
  const f = scaledFamily({base: wide, alpha, beta, gamma, maxPhi: 4})
  for (const m of f.members.slice(1)) assert.ok(Math.abs(m.stepRatio! / ideal - 1) < 0.03, `φ=${m.phi} step ${m.stepRatio}`)
})

test('B0 family lists its deviation from the official B1–B7', () => {
  const f = scaledFamily({base: b0, alpha, beta, gamma, maxPhi: 7})
  for (const m of f.members) {
    const name = `efficientnet-b${m.phi}`
    assert.equal(m.official?.model, name)
    const official = costTotals(resolveTarget({model: name})).macs
    assert.equal(m.official!.macs, official)
    assert.ok(Math.abs(m.macsDeviation! - (m.macs / official - 1)) < 1e-12)
  }
  assert.equal(f.members[0].macsDeviation, 0, 'φ = 0 is B0 itself')
  // The official table is not α^φ, β^φ, γ^φ, so some member must differ.
  assert.ok(f.members.slice(1).some((m) => Math.abs(m.macsDeviation!) > 0.01))
})

test('a base without an official table has no deviation column', () => {
  const f = scaledFamily({base: baseByName('mobilenet-v2'), alpha, beta, gamma, maxPhi: 2})
  assert.ok(f.members.every((m) => m.official === null && m.macsDeviation === null))
})

test('family points are exactly α^φ, β^φ, γ^φ', () => {
  const f = scaledFamily({base: b0, alpha: 1.3, beta: 1.05, gamma: 1.1, maxPhi: 3})
  for (const m of f.members) {
    assert.equal(m.point.depth, 1.3 ** m.phi)
    assert.equal(m.point.width, 1.05 ** m.phi)
    assert.equal(m.point.imageSize, Math.round(224 * 1.1 ** m.phi))
  }
})

test('coefficients below 1 and bad φ are user errors', () => {
  assert.throws(() => scaledFamily({base: b0, alpha: 0.9, beta, gamma, maxPhi: 3}), (e) => e instanceof UserError && /--alpha/.test(e.message))
  assert.throws(() => scaledFamily({base: b0, alpha, beta: 0.5, gamma, maxPhi: 3}), UserError)
  assert.throws(() => scaledFamily({base: b0, alpha, beta, gamma, maxPhi: 0}), /--max-phi/)
  assert.throws(() => scaledFamily({base: b0, alpha, beta, gamma, maxPhi: 2.5}), /--max-phi/)
})

test('family command: table names the convention, --json and --csv carry every φ', () => {
  const r = runCli(['family', '--base', 'efficientnet-b0', '--alpha', '1.2', '--beta', '1.1', '--gamma', '1.15', '--max-phi', '7'])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /MACs = multiply-accumulates/)
  assert.match(r.stdout, /efficientnet-b7/)
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-family-'))
  const csv = path.join(dir, 'family.csv')
  const j = runCli(['family', '--max-phi', '3', '--json', '--csv', csv])
  assert.equal(j.status, 0, j.stderr)
  const doc = JSON.parse(j.stdout)
  assert.equal(doc.members.length, 4)
  const lines = readFileSync(csv, 'utf8').trim().split('\n')
  assert.equal(lines.length, 5)
  assert.match(lines[0], /^phi,depth,width,resolution,image_size,macs,params/)
})

test('family command: bad input is one line, exit 2', () => {
  assertUsageError(['family', '--alpha', '0.9'], /--alpha must be ≥ 1/)
  assertUsageError(['family', '--gamma', 'x'], /--gamma must be a number/)
  assertUsageError(['family', '--max-phi', '0'], /--max-phi/)
  assertUsageError(['family', '--base', 'efficientnet-b9'], /unknown base/)
})
