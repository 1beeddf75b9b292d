import {test} from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {runCli} from '../helpers/cli.js'
import {FIXTURES} from '../../src/paths.js'

test('flops with no flags prints B0–B7 beside the paper', () => {
  const r = runCli(['flops'])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /MACs = multiply-accumulates/)
  for (let i = 0; i <= 7; i++) assert.match(r.stdout, new RegExp(`efficientnet-b${i}`))
  assert.match(r.stdout, /385\.8M/)
})

test('--json prints exactly one JSON document with the documented fields', () => {
  const r = runCli(['flops', '--base', 'efficientnet-b0', '--depth', '1.4', '--width', '1.2', '--resolution', '1.3', '--breakdown', 'stage', '--json'])
  assert.equal(r.status, 0, r.stderr)
  const j = JSON.parse(r.stdout)
  for (const k of ['macs', 'flops', 'params', 'activations']) assert.equal(typeof j[k], 'number', k)
  assert.deepEqual(Object.keys(j.point).sort(), ['depth', 'imageSize', 'resolution', 'width'])
  assert.equal(j.point.imageSize, 291)
  assert.ok(Array.isArray(j.breakdown) && j.breakdown.length > 0)
  assert.ok(j.memory.weightBytes.fp32 === 4 * j.params)
  assert.equal(j.flops, 2 * j.macs)
})

test('phi with alpha/beta/gamma equals the same multipliers given directly', () => {
  const a = JSON.parse(runCli(['flops', '--base', 'efficientnet-b0', '--phi', '3', '--json']).stdout)
  const b = JSON.parse(runCli(['flops', '--base', 'efficientnet-b0', '--depth', String(1.2 ** 3), '--width', String(1.1 ** 3), '--resolution', String(1.15 ** 3), '--json']).stdout)
  assert.equal(a.macs, b.macs)
  assert.equal(a.params, b.params)
})

test('--spec reads a user network', () => {
  const r = runCli(['flops', '--spec', path.join(FIXTURES, 'specs', 'tiny-mbconv.json'), '--depth', '2', '--json'])
  assert.equal(r.status, 0, r.stderr)
  assert.equal(JSON.parse(r.stdout).base, 'tiny-mbconv')
})

const dir = mkdtempSync(path.join(tmpdir(), 'effscale-flops-'))
const badJson = path.join(dir, 'bad.json')
writeFileSync(badJson, '{"name": "x",')
const badSpec = path.join(dir, 'bad-spec.json')
writeFileSync(badSpec, JSON.stringify({name: 'x', imageSize: 64, stem: {out: 8, kernel: 3, stride: 2}, stages: [{block: 'mbconv', repeats: 1, kernel: 3, stride: 1, expand: 1, out: -4}]}))

const bad: Array<[string[], RegExp]> = [
  [['--base', 'efficientnet-b0', '--width', '-1'], /--width must be > 0/],
  [['--base', 'efficientnet-b0', '--depth', '0'], /--depth must be > 0/],
  [['--base', 'efficientnet-b0', '--depth', 'NaN'], /--depth must be a number/],
  [['--base', 'efficientnet-b0', '--width', 'abc'], /--width must be a number/],
  [['--base', 'efficientnet-b0', '--resolution', '1000'], /absurd/],
  [['--base', 'efficientnet-b0', '--image-size', '16'], /too small.*32 px/],
  [['--base', 'efficientnet-b9'], /unknown base "efficientnet-b9".*did you mean "efficientnet-b0"/],
  [['--model', 'efficentnet-b3'], /unknown model "efficentnet-b3".*did you mean "efficientnet-b3"/],
  [['--base', 'efficientnet-b0', '--phi', '2', '--depth', '2'], /conflict/],
  [['--base', 'efficientnet-b0', '--phi', '1', '--alpha', '0.9'], /--alpha must be ≥ 1/],
  [['--model', 'efficientnet-b3', '--depth', '2'], /fixed point.*--base efficientnet-b0/],
  [['--spec', badJson], /bad\.json: not valid JSON/],
  [['--spec', badSpec], /stages\.0\.out must be >= 1/],
  [['--spec', path.join(dir, 'missing.json')], /--spec .*missing\.json: no such file/],
  [['--model', 'efficientnet-b0', '--batch', '0'], /--batch must be a whole number > 0/],
  // oclif's own parse errors are folded into one line too (no usage dump).
  [['--model', 'efficientnet-b0', '--breakdown', 'foo'], /--breakdown=foo to be one of: stage, op, layer/],
  [['--nope'], /Nonexistent flag: --nope/],
]
for (const [args, message] of bad) {
  test(`bad input: flops ${args.join(' ')} → one line, exit 2`, () => {
    const r = runCli(['flops', ...args])
    assert.equal(r.status, 2, r.stderr)
    assert.match(r.stderr, message)
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/)
  })
}
