import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {BudgetEntry} from '../../src/budget/entry.js'
import type {Measured} from '../../src/budget/measure.js'
import {verdicts} from '../../src/budget/verdict.js'

const entry = (over: Partial<BudgetEntry> = {}): BudgetEntry => ({
  index: 0, name: 'edge', target: {kind: 'model', model: 'efficientnet-b0'}, batch: 1, dtype: 'fp32',
  latencyStat: 'p50', limits: {}, lines: {entry: 2, maxMacs: 3}, ...over,
})
const measured = (over: Partial<Measured> = {}): Measured => ({label: 'efficientnet-b0', figures: {}, missing: {}, ...over})

describe('budget verdicts (pure)', () => {
  it('passes within the limit and fails over it, with the margin as a fraction of the limit', () => {
    const rows = verdicts(entry({limits: {macs: 400e6, params: 5e6}}), measured({figures: {macs: 385.8e6, params: 5.29e6}}))
    assert.deepEqual(rows.map((r) => [r.figure, r.field, r.verdict]), [['macs', 'maxMacs', 'pass'], ['params', 'maxParams', 'fail']])
    assert.ok(Math.abs(rows[0].margin! - 0.0355) < 1e-9)
    assert.ok(rows[1].margin! < 0)
    assert.equal(rows[0].line, 3)
    assert.equal(rows[1].line, null)
    assert.match(rows[0].message, /MACs 385\.8M is within 400\.0M \(\+3\.5% headroom\)/)
    assert.match(rows[1].message, /params 5\.29M is over the budget of 5\.00M by 5\.8%/)
  })

  it('latency with a 95% interval: over the budget only when the whole interval is, and it says so', () => {
    const at = (lo: number, p50: number, hi: number) => verdicts(entry({limits: {latencyMs: 10}}), measured({figures: {latencyMs: p50}, intervals: {latencyMs: {lo, hi}}}))[0]
    const noisy = at(9.5, 10.4, 11.2)
    assert.equal(noisy.verdict, 'pass')
    assert.match(noisy.message, /^latency 10\.4\d* ms \(95% interval 9\.5\d* ms–11\.2\d* ms\) is above 10\.0* ms, but the interval reaches below it: not shown to be over the budget$/)
    const over = at(10.2, 10.4, 10.7)
    assert.equal(over.verdict, 'fail')
    assert.match(over.message, /is over the budget of .* by 4\.0%, the whole interval above it$/)
    assert.equal(at(8, 9, 10.5).verdict, 'pass')
    // Without an interval (p90, or an old sweep) the value alone decides.
    assert.equal(verdicts(entry({limits: {latencyMs: 10}}), measured({figures: {latencyMs: 10.4}}))[0].verdict, 'fail')
  })

  it('a value exactly at the limit passes', () => {
    const [r] = verdicts(entry({limits: {params: 100}}), measured({figures: {params: 100}}))
    assert.equal(r.verdict, 'pass')
    assert.equal(r.margin, 0)
  })

  it('a missing figure is an error verdict with the reason, never a pass', () => {
    const [r] = verdicts(entry({limits: {latencyMs: 5}}), measured({missing: {latencyMs: 'no latency measurement for efficientnet-b0 at batch 1 fp32'}}))
    assert.deepEqual([r.verdict, r.value, r.margin], ['error', null, null])
    assert.match(r.message, /^latency: no latency measurement/)
  })

  it('a negative or non-finite figure is an error verdict, never a pass', () => {
    const rows = verdicts(entry({limits: {macs: 400e6, params: 5e6, flops: 1e9}}), measured({figures: {macs: -262656, params: NaN, flops: Infinity}}))
    assert.deepEqual(rows.map((r) => [r.field, r.verdict, r.value, r.margin]), [
      ['maxMacs', 'error', -262656, null],
      ['maxFlops', 'error', null, null],
      ['maxParams', 'error', null, null],
    ])
    assert.match(rows[0].message, /^MACs: -262656 is impossible/)
  })

  it('ONNX: unsupported ops fail the entry and make undercountable figures unjudgeable', () => {
    const e = entry({target: {kind: 'onnx', onnx: 'net.onnx'}, limits: {macs: 450e6, params: 6e6}, lines: {onnx: 4}})
    const rows = verdicts(e, measured({label: 'net.onnx', figures: {macs: 300e6, params: 4e6}, unsupportedOps: ['Einsum', 'LayerNormalization']}))
    assert.deepEqual(rows.map((r) => [r.field, r.verdict]), [['maxMacs', 'error'], ['maxParams', 'pass'], ['unsupportedOps', 'fail']])
    assert.match(rows[0].message, /lower bound.*Einsum, LayerNormalization/)
    assert.deepEqual([rows[2].value, rows[2].limit, rows[2].line], [2, 0, 4])
    // Over the limit even as a lower bound: a plain fail.
    const over = verdicts(e, measured({figures: {macs: 500e6, params: 4e6}, unsupportedOps: ['Einsum']}))
    assert.equal(over[0].verdict, 'fail')
  })

  it('ONNX with every op costed passes the unsupported-ops check', () => {
    const e = entry({target: {kind: 'onnx', onnx: 'net.onnx'}, limits: {macs: 450e6}})
    const rows = verdicts(e, measured({figures: {macs: 300e6}, unsupportedOps: []}))
    assert.deepEqual(rows.map((r) => r.verdict), ['pass', 'pass'])
  })

  it('names unnamed entries by index', () => {
    const [r] = verdicts(entry({name: undefined, index: 7, limits: {macs: 1}}), measured({figures: {macs: 2}}))
    assert.equal(r.entry, 'budgets[7]')
  })
})
