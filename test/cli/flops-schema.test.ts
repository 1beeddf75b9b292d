import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Ajv} from 'ajv'
import {readFixture} from '../helpers/fixtures.js'
import {runCli} from '../helpers/cli.js'

/** `flops --json` output is checked against the schema kept in fixtures/schemas, in all three shapes. */
const validate = new Ajv({allErrors: true, allowUnionTypes: true}).compile(readFixture<object>('schemas', 'flops-result.schema.json'))

function jsonOf(args: string[]): unknown {
  const r = runCli(['flops', ...args, '--json'])
  assert.equal(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

const handmade = (name: string) => path.join('test', 'onnx', 'fixtures', 'handmade', `${name}.onnx`)
const onnx = path.join(mkdtempSync(path.join(tmpdir(), 'effscale-schema-')), 'tiny.onnx')

const cases: Array<[string, string[]]> = [
  ['a scaled network with a stage breakdown', ['--base', 'resnet-50', '--width', '2', '--breakdown', 'stage', '--batch', '8']],
  ['a named model without breakdown', ['--model', 'mobilenet-v1']],
  ['the B0–B7 family (no flags)', []],
  ['an ONNX file with per-node rows', ['--onnx', onnx, '--breakdown', 'node']],
  ['an ONNX lower bound (a custom op, uncounted nodes)', ['--onnx', handmade('custom-op')]],
  ['an ONNX file with observed shapes and an input value', ['--onnx', handmade('nonzero'), '--shapes', 'ort']],
  ['an ONNX file with an input value', ['--onnx', handmade('reshape-from-input'), '--input-value', 'shape=1,3,32,32']],
]

test('flops --json matches fixtures/schemas/flops-result.schema.json', () => {
  const exported = runCli(['export', '--spec', path.join('fixtures', 'specs', 'tiny-mbconv.json'), '--out', onnx])
  assert.equal(exported.status, 0, exported.stderr)
  for (const [what, args] of cases) {
    const doc = jsonOf(args)
    assert.ok(validate(doc), `${what}: ${JSON.stringify(validate.errors)}`)
  }
})

test('the schema rejects a result missing its figures', () => {
  const doc = jsonOf(['--model', 'efficientnet-b0']) as Record<string, unknown>
  delete doc.macs
  assert.equal(validate(doc), false)
})
