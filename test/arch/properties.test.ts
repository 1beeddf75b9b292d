import {test} from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {BASES} from '../../src/arch/bases.js'
import {lower} from '../../src/arch/lower.js'
import {compoundMultipliers, opsBound, resolvePoint} from '../../src/arch/point.js'
import {estimateCost} from '../../src/flops/estimate.js'
import {peakActivations} from '../../src/flops/memory.js'
import {total} from '../../src/flops/count.js'

const bases = Object.values(BASES)
const mult = fc.double({min: 0.25, max: 4, noNaN: true})
const cost = (baseIdx: number, depth: number, width: number, resolution: number) => {
  const base = bases[baseIdx]
  return total(lower(base, resolvePoint(base, {depth, width, resolution})).ops)
}
const anyBase = fc.integer({min: 0, max: bases.length - 1})

test('MACs are non-decreasing in depth, width and resolution', () => {
  fc.assert(
    fc.property(anyBase, mult, mult, mult, fc.double({min: 1, max: 2, noNaN: true}), (b, d, w, r, k) => {
      const m = cost(b, d, w, r).macs
      assert.ok(cost(b, d * k, w, r).macs >= m, 'depth')
      assert.ok(cost(b, d, w * k, r).macs >= m, 'width')
      assert.ok(cost(b, d, w, r * k).macs >= m, 'resolution')
    }),
    {numRuns: 150},
  )
})

test('params do not depend on resolution', () => {
  fc.assert(
    fc.property(anyBase, mult, mult, mult, mult, (b, d, w, r1, r2) => {
      assert.equal(cost(b, d, w, r1).params, cost(b, d, w, r2).params)
    }),
    {numRuns: 150},
  )
})

test('compound MACs grow ≈ (α·β²·γ²)^φ up to rounding', () => {
  fc.assert(
    fc.property(
      fc.double({min: 1.1, max: 1.4, noNaN: true}),
      fc.double({min: 1.05, max: 1.25, noNaN: true}),
      fc.double({min: 1.05, max: 1.25, noNaN: true}),
      fc.integer({min: 2, max: 7}),
      (alpha, beta, gamma, phi) => {
        const base = BASES['efficientnet-b0']
        const m = (p: number) => {
          const {depth, width, resolution} = compoundMultipliers({phi: p, alpha, beta, gamma})
          return total(lower(base, resolvePoint(base, {depth, width, resolution})).ops).macs
        }
        const ideal = (alpha * beta ** 2 * gamma ** 2) ** phi
        const ratio = m(phi) / m(0)
        // Channel rounding to multiples of 8, ceil on repeats (B0's stages have 1–4 blocks, so
        // any d > 1 adds a block to each) and round on image size move each step; the stem and
        // classifier grow slower than d·w²·r². Growth tracks the ideal within this band from φ = 2.
        assert.ok(ratio > ideal * 0.6 && ratio < ideal * 1.6, `φ=${phi} α=${alpha} β=${beta} γ=${gamma}: ${ratio} vs ${ideal}`)
      },
    ),
    {numRuns: 100},
  )
})

test('the size guard bounds every base from above without lowering it', () => {
  fc.assert(
    fc.property(anyBase, mult, (b, d) => {
      const base = bases[b]
      const ops = lower(base, resolvePoint(base, {depth: d})).ops.length
      assert.ok(ops <= opsBound(base, d), `${base.name} d=${d}: ${ops} ops > bound ${opsBound(base, d)}`)
    }),
    {numRuns: 100},
  )
})

test('estimateCost: weight and activation bytes are the analytic params and peak, per dtype and batch', () => {
  for (const base of bases) {
    const point = resolvePoint(base, {})
    const net = lower(base, point)
    const e = estimateCost({base, point}, {batch: 3, dtype: 'fp16'})
    assert.equal(e.ops, net.ops.length)
    assert.equal(e.weightBytes, 2 * total(net.ops).params)
    assert.equal(e.peakActivationBytes, 2 * 3 * peakActivations(net).elements)
    assert.ok(e.fileBytes > e.weightBytes)
  }
})
