import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseBudgetFile} from '../../src/budget/parse.js'
import {UserError} from '../../src/errors.js'

const JSON_TEXT = `{
  "budgets": [
    { "name": "edge-b0",   "model": "efficientnet-b0", "maxMacs": "400M", "maxParams": "5.5M" },
    { "name": "candidate", "base": "efficientnet-b0", "depth": 1.2, "width": 1.1, "resolution": 1.15,
      "maxMacs": "1.2G" },
    { "name": "shipped",   "onnx": "models/net.onnx", "maxParams": 6000000, "maxMacs": "450M" },
    { "name": "fast-b3",   "model": "efficientnet-b3", "maxLatencyMs": 5, "batch": 1 },
    { "spec": "my-net.json", "phi": 1, "maxMemory": "64MiB", "batch": 8, "dtype": "fp16" }
  ]
}`

const YAML_TEXT = `# the same budgets as YAML
budgets:
  - name: edge-b0
    model: efficientnet-b0
    maxMacs: 400M
    maxParams: 5.5M
  - name: candidate
    base: efficientnet-b0
    depth: 1.2
    width: 1.1
    resolution: 1.15
    maxMacs: 1.2G
  - name: shipped
    onnx: models/net.onnx
    maxParams: 6000000
    maxMacs: 450M
  - name: fast-b3
    model: efficientnet-b3
    maxLatencyMs: 5
    batch: 1
  - spec: my-net.json
    phi: 1
    maxMemory: 64MiB
    batch: 8
    dtype: fp16
`

/** The message of the UserError that parsing throws. */
function errorOf(text: string, source = 'budgets.json'): string {
  try {
    parseBudgetFile(text, source)
  } catch (error) {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`)
    assert.ok(!error.message.includes('\n'), 'one line')
    return error.message
  }
  assert.fail('expected an error')
}

const one = (entry: object) => JSON.stringify({budgets: [{name: 'e', model: 'efficientnet-b0', maxMacs: '400M', ...entry}]})

describe('budget file parsing', () => {
  it('reads the issue example: targets, points, limits in units, defaults', () => {
    const e = parseBudgetFile(JSON_TEXT, 'budgets.json')
    assert.equal(e.length, 5)
    assert.deepEqual(e[0].target, {kind: 'model', model: 'efficientnet-b0'})
    assert.deepEqual(e[0].limits, {macs: 400e6, params: 5.5e6})
    assert.equal(e[0].batch, 1)
    assert.equal(e[0].dtype, 'fp32')
    assert.equal(e[0].latencyStat, 'p50')
    assert.deepEqual(e[1].target, {kind: 'base', base: 'efficientnet-b0', point: {depth: 1.2, width: 1.1, resolution: 1.15}})
    assert.deepEqual(e[2].target, {kind: 'onnx', onnx: 'models/net.onnx'})
    assert.deepEqual(e[2].limits, {macs: 450e6, params: 6e6})
    assert.deepEqual(e[3].limits, {latencyMs: 5})
    assert.deepEqual(e[4].target, {kind: 'spec', spec: 'my-net.json', point: {phi: 1}})
    assert.equal(e[4].name, undefined)
    assert.deepEqual([e[4].batch, e[4].dtype, e[4].limits.memory], [8, 'fp16', 64 * 2 ** 20])
    assert.equal(e[2].lines.onnx, 6)
    assert.equal(e[1].lines.maxMacs, 5)
  })

  it('reads YAML to the same entries as JSON (lines aside)', () => {
    const strip = (text: string, src: string) => parseBudgetFile(text, src).map(({lines: _, ...rest}) => rest)
    assert.deepEqual(strip(YAML_TEXT, 'budgets.yaml'), strip(JSON_TEXT, 'budgets.json'))
    assert.equal(parseBudgetFile(YAML_TEXT, 'budgets.yml')[2].lines.maxMacs, 16)
  })

  it('names the entry, the field and the line of an unknown key, with a hint', () => {
    const text = `{"budgets": [\n {"name": "a", "model": "efficientnet-b0", "maxMacs": "1G"},\n {"name": "edge", "model": "efficientnet-b0",\n  "maxMac": "400M"}\n]}`
    assert.match(errorOf(text), /^budgets\.json:4: budgets\[1\] "edge" maxMac: unknown field — did you mean "maxMacs"\?/)
  })

  it('rejects negative and zero limits naming entry and field', () => {
    assert.match(errorOf(one({maxParams: -5})), /budgets\[0\] "e" maxParams: must be > 0, got -5$/)
    assert.match(errorOf(one({maxMacs: '-400M'})), /budgets\[0\] "e" maxMacs: must be > 0/)
    assert.match(errorOf(one({maxLatencyMs: 0})), /maxLatencyMs: must be > 0/)
    assert.match(errorOf(one({maxMacs: '400 megs'})), /maxMacs: "400 megs" is not a number/)
    assert.match(errorOf(one({maxMacs: true})), /maxMacs: must be a number or a number with a unit/)
  })

  it('rejects an entry with no target, or two', () => {
    assert.match(errorOf(JSON.stringify({budgets: [{name: 'x', maxMacs: '1G'}]})), /budgets\[0\] "x": no target: give one of model, base, spec, onnx/)
    assert.match(errorOf(one({base: 'efficientnet-b0'})), /budgets\[0\] "e" base: conflicts with model/)
  })

  it('rejects an entry with no limits', () => {
    const text = JSON.stringify({budgets: [{model: 'efficientnet-b0', batch: 4}]})
    assert.match(errorOf(text), /^budgets\.json:1: budgets\[0\]: no limits: give at least one of maxMacs, maxFlops, maxParams/)
  })

  it('rejects points on fixed models and ONNX files, inputShape off ONNX, memory on ONNX', () => {
    assert.match(errorOf(one({depth: 2})), /"e" depth: model "efficientnet-b0" is a fixed point/)
    assert.match(errorOf(JSON.stringify({budgets: [{onnx: 'a.onnx', width: 2, maxMacs: 1}]})), /width: not valid with onnx/)
    assert.match(errorOf(one({inputShape: [1, 3, 224, 224]})), /inputShape: only valid with onnx/)
    assert.match(errorOf(JSON.stringify({budgets: [{onnx: 'a.onnx', maxMemory: '1GiB'}]})), /maxMemory: not available for onnx targets/)
    assert.match(errorOf(JSON.stringify({budgets: [{onnx: 'a.onnx', maxActivations: '1M'}]})), /maxActivations: not available for onnx targets/)
  })

  it('checks types and enums through the schema', () => {
    assert.match(errorOf(one({batch: 0})), /"e" batch: must be >= 1/)
    assert.match(errorOf(one({batch: 1.5})), /"e" batch: must be integer/)
    assert.match(errorOf(one({dtype: 'bf16'})), /"e" dtype: must be one of fp32, fp16, int8/)
    assert.match(errorOf(JSON.stringify({budgets: [{base: 'efficientnet-b0', depth: -1, maxMacs: 1}]})), /depth: must be > 0/)
    assert.match(errorOf(JSON.stringify({budgets: [{onnx: 'a.onnx', inputShape: [1, 0], maxMacs: 1}]})), /inputShape\.1: must be >= 1/)
  })

  it('rejects duplicate names, empty lists and malformed files', () => {
    const dup = JSON.stringify({budgets: [{name: 'a', model: 'efficientnet-b0', maxMacs: 1}, {name: 'a', model: 'efficientnet-b1', maxMacs: 1}]})
    assert.match(errorOf(dup), /budgets\[1\] "a" name: duplicate of budgets\[0\]/)
    assert.match(errorOf('{"budgets": []}'), /^budgets\.json: budgets: the list is empty/)
    assert.match(errorOf('{"budget": []}'), /^budgets\.json: budgets is required/)
    assert.match(errorOf('{"budgets": [1]}'), /^budgets\.json:1: budgets\[0\]: must be object/)
    assert.match(errorOf('{"budgets": [}'), /^budgets\.json: not valid JSON/)
    assert.match(errorOf('budgets:\n  - model: [unclosed\n', 'b.yaml'), /^b\.yaml: not valid YAML/)
  })
})
