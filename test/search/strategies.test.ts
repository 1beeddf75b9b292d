import {test} from 'node:test'
import assert from 'node:assert/strict'
import {PAPER_COEFFICIENTS} from '../../src/arch/point.js'
import {complexityExponents, flopShares, multipliersAt, type Strategy} from '../../src/arch/strategies.js'
import {baseByName} from '../../src/arch/target.js'
import {scaledFamily} from '../../src/search/family.js'
import {buildGrid} from '../../src/sweep/grid.js'
import {costTotals} from '../../src/flops/index.js'
import {resolveTarget} from '../../src/arch/target.js'
import {assertUsageError, runCli} from '../helpers/cli.js'

const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol

/**
 * Dollár et al. 2021, Table 4 (fast scaling): exponents e_d = (1 − α)/2, e_w = α, e_r = (1 − α)/2,
 * and for s× flops the complexity grows as params s^((1+α)/2), activations s^(1 − α/2);
 * α = 1 is width scaling (w), α = 1/3 uniform compound scaling (dwr). Their Table 3 rows for the
 * single and uniform strategies: w → params s, acts s^(1/2); d → s, s; r → 1, s; dwr → s^(2/3), s^(5/6).
 * α = 0.8 as in the authors' scaler (pycls scaler.py, "d1_w8_r1": d = s^0.1, w = s^0.4, r = s^0.05).
 */
test('fast scaling reproduces the paper\'s Table 4 exponents and its special cases', () => {
  for (const alpha of [1 / 3, 0.5, 0.8, 0.9, 1]) {
    const e = flopShares({kind: 'fast', alpha})
    assert.ok(close(e.depth, (1 - alpha) / 2) && close(e.width, alpha) && close(e.resolution, (1 - alpha) / 2))
    const c = complexityExponents({kind: 'fast', alpha})
    assert.ok(close(c.flops, 1) && close(c.params, (1 + alpha) / 2) && close(c.activations, 1 - alpha / 2), `α=${alpha}`)
  }
  const rows: Array<[Strategy, number, number]> = [
    [{kind: 'single', dim: 'width'}, 1, 1 / 2],
    [{kind: 'single', dim: 'depth'}, 1, 1],
    [{kind: 'single', dim: 'resolution'}, 0, 1],
    [{kind: 'fast', alpha: 1}, 1, 1 / 2],
    [{kind: 'fast', alpha: 1 / 3}, 2 / 3, 5 / 6],
  ]
  for (const [s, params, acts] of rows) {
    const c = complexityExponents(s)
    assert.ok(close(c.params, params) && close(c.activations, acts), JSON.stringify(s))
  }
  const m = multipliersAt({kind: 'fast', alpha: 0.8}, 2)
  assert.ok(close(m.depth, 2 ** 0.1) && close(m.width, 2 ** 0.4) && close(m.resolution, 2 ** 0.05))
  // Uniform: every dimension takes a third of the FLOPs.
  const u = multipliersAt({kind: 'fast', alpha: 1 / 3}, 8)
  assert.ok(close(u.depth, 2) && close(u.width ** 2, 2) && close(u.resolution ** 2, 2, 1e-9))
})

test('compound shares reproduce d = α^φ, w = β^φ, r = γ^φ at s = (αβ²γ²)^φ', () => {
  const s: Strategy = {kind: 'compound', ...PAPER_COEFFICIENTS}
  const {alpha, beta, gamma} = PAPER_COEFFICIENTS
  const m = multipliersAt(s, (alpha * beta ** 2 * gamma ** 2) ** 3)
  assert.ok(close(m.depth, alpha ** 3, 1e-9) && close(m.width, beta ** 3, 1e-9) && close(m.resolution, gamma ** 3, 1e-9))
})

test('activations growth over a B0 family of 6 steps: fast (α = 0.8) ≈ 0.6, compound ≈ 0.85', () => {
  const b0 = baseByName('efficientnet-b0')
  const fast = scaledFamily({base: b0, ...PAPER_COEFFICIENTS, maxPhi: 6, fastAlpha: 0.8})
  const compound = scaledFamily({base: b0, ...PAPER_COEFFICIENTS, maxPhi: 6})
  // Measured on the real (rounded) networks; the ideal exponents are 0.6 and 0.854.
  const ideal = complexityExponents({kind: 'compound', ...PAPER_COEFFICIENTS}).activations
  assert.ok(Math.abs(ideal - 0.854) < 0.001, `${ideal}`)
  assert.ok(Math.abs(fast.activationsSlope - 0.6) < 0.05, `fast ${fast.activationsSlope}`)
  assert.ok(Math.abs(compound.activationsSlope - ideal) < 0.05, `compound ${compound.activationsSlope}`)
  assert.ok(compound.activationsSlope - fast.activationsSlope > 0.15)
  // Same MACs per φ within rounding: the two families are comparable member by member.
  fast.members.forEach((m, i) => assert.ok(Math.abs(Math.log(m.macs / compound.members[i].macs)) < Math.log(1.5), `φ=${i}`))
  assert.ok(fast.members.every((m) => m.official === null))
})

test('sweep --dims fast: φ points at the compound grid\'s MACs, labelled fast', () => {
  const g = buildGrid({dims: ['fast'], phiMax: 3, batches: [1], dtype: 'fp32', input: 'float32-nchw'})
  assert.deepEqual(g.points.map((p) => p.model), [0, 1, 2, 3].map((phi) => `efficientnet-b0 fast φ=${phi}`))
  const macs = g.points.map((p) => costTotals(resolveTarget({base: p.base, depth: p.depth, width: p.width, imageSize: p.imageSize})).macs)
  const ratio = (macs[3] / macs[0]) ** (1 / 3)
  assert.ok(Math.abs(ratio / 1.92 - 1) < 0.1, `${ratio}`)
  assert.ok(g.points[3].width > g.points[3].depth && g.points[3].depth > g.points[3].resolution)
})

test('family --strategy fast prints the slope; a bad --fast-alpha is a one-line usage error', () => {
  const r = runCli(['family', '--strategy', 'fast', '--max-phi', '2', '--json'])
  assert.equal(r.status, 0, r.stderr)
  const doc = JSON.parse(r.stdout)
  assert.equal(doc.strategy.kind, 'fast')
  assert.equal(doc.strategy.alpha, 0.8)
  assertUsageError(['family', '--strategy', 'fast', '--fast-alpha', '1.5'], /--fast-alpha must be in \[0, 1\]/)
})
