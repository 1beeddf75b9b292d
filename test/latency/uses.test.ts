import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import {readFixture} from '../helpers/fixtures.js'
import {assertUsageError, runCli} from '../helpers/cli.js'
import {lawModel, point} from './helpers.js'

const model = lawModel()
const json = (args: string[]) => {
  const r = runCli([...args, '--json'])
  assert.ok(r.status === 0 || r.status === 1, r.stderr)
  return JSON.parse(r.stdout)
}

test('search --objective latency with only a latency model ranks predicted latencies, fastest first, marked predicted', () => {
  const doc = json(['search', '--objective', 'latency', '--latency-model', model, '--latency-budget-ms', '1000'])
  const c = doc.candidates
  assert.ok(c.length > 100 && c.every((x: {latencyPredicted: boolean}) => x.latencyPredicted))
  for (let i = 1; i < c.length; i++) assert.ok(c[i - 1].latencyMs <= c[i].latencyMs)
  const r = runCli(['search', '--objective', 'latency', '--latency-model', model, '--limit', '3'])
  assert.match(r.stdout, /predicted/)
})

test('search: a measured latency wins over the prediction; a model of another dtype is refused', () => {
  const doc = json(['search', '--objective', 'latency', '--sweep', path.join('fixtures', 'sweeps', 'sample-cpu'), '--latency-model', model])
  assert.ok(doc.candidates.some((x: {latencyPredicted: boolean}) => x.latencyPredicted))
  const fp16 = path.join(path.dirname(model), 'fp16.json')
  const m = JSON.parse(readFileSync(model, 'utf8'))
  writeFileSync(fp16, JSON.stringify({...m, identity: {...m.identity, dtype: 'fp16'}}))
  assertUsageError(['search', '--objective', 'latency', '--dtype', 'fp32', '--latency-model', fp16], /calibrated for EP cpu, dtype fp16.*asked for EP cpu, dtype fp32/)
})

test('family --latency-model: every member predicted, on the law the model was calibrated on', () => {
  const doc = json(['family', '--latency-model', model, '--max-phi', '2', '--strategy', 'fast'])
  assert.equal(doc.latency.length, 3)
  doc.latency.forEach((l: {latencyMs: number; predicted: boolean; phi: number}, i: number) => {
    const p = doc.members[i].point
    assert.equal(l.predicted, true)
    assert.ok(Math.abs(l.latencyMs / point(p.depth, p.width, p.imageSize).ms - 1) < 1e-3)
  })
  assert.match(runCli(['family', '--latency-model', model, '--max-phi', '1']).stdout, /ms \(predicted\)/)
})

test('check: a latency budget without a sweep is predicted, marked so, and fits the result schema', () => {
  const dir = path.dirname(model)
  const budget = path.join(dir, 'budget.json')
  const b0 = point(1, 1, 224).ms
  writeFileSync(budget, JSON.stringify({budgets: [
    {name: 'b0', model: 'efficientnet-b0', maxLatencyMs: b0 * 1.5},
    {name: 'b0-tight', model: 'efficientnet-b0', maxLatencyMs: b0 * 0.5},
    {name: 'b0-p99', model: 'efficientnet-b0', maxLatencyMs: 1000, latencyStat: 'p99'},
  ]}))
  const r = runCli(['check', '--budget', budget, '--latency-model', model, '--json'])
  assert.equal(r.status, 1, r.stderr)
  const doc = JSON.parse(r.stdout) as {rows: Array<{verdict: string; predicted?: boolean; value: number; message: string}>}
  const validate = new Ajv({allErrors: true, allowUnionTypes: true}).compile(readFixture<object>('schemas', 'check-result.schema.json'))
  assert.ok(validate(doc), JSON.stringify(validate.errors))
  assert.deepEqual(doc.rows.map((x) => [x.verdict, x.predicted ?? false]), [['pass', true], ['fail', true], ['error', false]])
  assert.ok(Math.abs(doc.rows[0].value / b0 - 1) < 1e-3)
  assert.match(doc.rows[0].message, /\(predicted\)/)
  assert.match(doc.rows[2].message, /predicts p50 only, not p99/)
})
