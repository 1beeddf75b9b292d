import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {annotations} from '../../src/budget/annotations.js'
import {toJUnit} from '../../src/budget/junit.js'
import {renderCheck} from '../../src/budget/render.js'
import {checkResult} from '../../src/budget/result.js'
import type {BudgetEntry} from '../../src/budget/entry.js'
import {verdicts} from '../../src/budget/verdict.js'
import {parseXml} from './helpers.js'

const entry = (over: Partial<BudgetEntry>): BudgetEntry => ({
  index: 0, target: {kind: 'model', model: 'efficientnet-b0'}, batch: 1, dtype: 'fp32', latencyStat: 'p50', limits: {}, lines: {}, ...over,
})

/** Three entries: one passing, one over budget (with XML-hostile text), one ONNX with an unsupported op. */
function sample() {
  const a = entry({name: 'edge-b0', limits: {macs: 400e6, params: 5.5e6}, lines: {entry: 2, maxMacs: 2, maxParams: 2}})
  const b = entry({index: 1, name: 'big <b7> & "co", 100%', limits: {macs: 1e9, latencyMs: 5}, lines: {maxMacs: 3, maxLatencyMs: 3}})
  const c = entry({index: 2, target: {kind: 'onnx', onnx: 'net.onnx'}, limits: {params: 6e6}, lines: {onnx: 4, maxParams: 4}})
  const ma = {label: 'efficientnet-b0', figures: {macs: 385.8e6, params: 5.29e6}, missing: {}}
  const mb = {label: 'efficientnet-b7', figures: {macs: 37.7e9}, missing: {latencyMs: 'no latency measurement for efficientnet-b7 at batch 1 fp32\n(model not in the sweep)'}}
  const mc = {label: 'net.onnx', figures: {macs: 3e8, flops: 6e8, params: 4e6}, missing: {}, unsupportedOps: ['FancyOp']}
  return checkResult('budgets.json', null, [
    {entry: a, measured: ma, rows: verdicts(a, ma)},
    {entry: b, measured: mb, rows: verdicts(b, mb)},
    {entry: c, measured: mc, rows: verdicts(c, mc)},
  ], [])
}

describe('check output', () => {
  it('summarises the verdicts', () => {
    const r = sample()
    assert.deepEqual(r.summary, {entries: 3, checks: 6, pass: 3, fail: 2, error: 1})
    assert.equal(r.ok, false)
  })

  it('renders a table with entry, figure, value, limit, margin, verdict and the failures below', () => {
    const text = renderCheck(sample())
    assert.match(text, /^entry\s+figure\s+value\s+limit\s+margin\s+verdict$/m)
    assert.match(text, /^edge-b0\s+maxMacs\s+385\.8M\s+400\.0M\s+\+3\.5%\s+pass$/m)
    assert.match(text, /maxLatencyMs\s+—\s+5\.00 ms\s+—\s+ERROR$/m)
    assert.match(text, /^budgets\[2\]\s+unsupportedOps\s+1\s+0\s+—\s+FAIL$/m)
    assert.match(text, /^FAIL budgets\[2\] unsupportedOps: the profiler cannot cost 1 op type\(s\): FancyOp$/m)
    assert.match(text, /2 over budget, 1 error\(s\), 3 passed$/)
  })

  it('writes well-formed JUnit XML: one testcase per entry and limit, failures and errors with messages', () => {
    const xml = toJUnit(sample())
    const root = parseXml(xml)
    assert.equal(root.name, 'testsuites')
    assert.deepEqual([root.attrs.tests, root.attrs.failures, root.attrs.errors], ['6', '2', '1'])
    assert.equal(root.children.length, 1)
    const suite = root.children[0]
    assert.equal(suite.name, 'testsuite')
    assert.deepEqual([suite.attrs.name, suite.attrs.tests, suite.attrs.failures, suite.attrs.errors], ['budgets.json', '6', '2', '1'])
    const cases = suite.children
    assert.ok(cases.every((c) => c.name === 'testcase'))
    assert.deepEqual(cases.map((c) => `${c.attrs.classname}/${c.attrs.name}`), [
      'budget.edge-b0/maxMacs', 'budget.edge-b0/maxParams',
      'budget.big &lt;b7&gt; &amp; &quot;co&quot;, 100%/maxMacs', 'budget.big &lt;b7&gt; &amp; &quot;co&quot;, 100%/maxLatencyMs',
      'budget.budgets[2]/maxParams', 'budget.budgets[2]/unsupportedOps',
    ])
    assert.deepEqual(cases.map((c) => c.children.map((k) => k.name).join()), ['', '', 'failure', 'error', '', 'failure'])
    const failure = cases[2].children[0]
    assert.equal(failure.attrs.type, 'overBudget')
    assert.match(failure.attrs.message, /MACs 37\.70G is over the budget of 1\.00G/)
    assert.match(cases[3].children[0].attrs.message, /no latency measurement.*&#10;\(model not in the sweep\)/)
    assert.equal(cases[0].attrs.line, '2')
  })

  it('emits one GitHub Actions ::error per failing check, escaped, pointing at the line', () => {
    const lines = annotations(sample())
    assert.equal(lines.length, 3)
    assert.equal(
      lines[0],
      '::error file=budgets.json,line=3,title=effscale check%3A big <b7> & "co"%2C 100%25 maxMacs over budget::MACs 37.70G is over the budget of 1.00G by 3670.0%25',
    )
    assert.match(lines[1], /^::error file=budgets\.json,line=3,title=effscale check%3A .* maxLatencyMs cannot be checked::latency: no latency measurement for efficientnet-b7 at batch 1 fp32%0A\(model not in the sweep\)$/)
    assert.match(lines[2], /^::error file=budgets\.json,line=4,title=effscale check%3A budgets\[2\] unsupportedOps found::the profiler cannot cost 1 op type\(s\): FancyOp$/)
    assert.ok(lines.every((l) => !l.includes('\n')))
  })
})
