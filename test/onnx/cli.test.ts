/** `effscale export` and `effscale flops --onnx` as a user runs them: results, and one-line errors with exit 2. */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {runCli, type CliRun} from '../helpers/cli.js'
import {DT, onnx} from '../../src/onnx/proto.js'

const dir = mkdtempSync(path.join(tmpdir(), 'effscale-onnx-'))
const at = (name: string) => path.join(dir, name)
const small = ['--base', 'mobilenet-v2', '--width', '0.35', '--image-size', '64']

function assertUsageError(r: CliRun, pattern: RegExp): void {
  assert.equal(r.status, 2, `exit code; stderr: ${r.stderr}`)
  const lines = r.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `one line: ${r.stderr}`)
  assert.match(lines[0], /^effscale: /)
  assert.match(lines[0], pattern)
}

test('export writes a model whose profile equals the analytic count', () => {
  const out = at('mnv2.onnx')
  const e = runCli(['export', ...small, '--out', out, '--dtype', 'fp16', '--input', 'uint8-nhwc', '--json'])
  assert.equal(e.status, 0, e.stderr)
  const exported = JSON.parse(e.stdout)
  assert.equal(exported.bytes, statSync(out).size)
  const analytic = JSON.parse(runCli(['flops', ...small, '--json']).stdout)
  const p = runCli(['flops', '--onnx', out, '--json'])
  assert.equal(p.status, 0, p.stderr)
  const profile = JSON.parse(p.stdout)
  assert.equal(profile.macs, analytic.macs)
  assert.equal(profile.flops, analytic.flops)
  assert.equal(profile.params, exported.params)
  assert.equal(exported.params, analytic.params - exported.foldedBnParams)
  assert.deepEqual(profile.unsupportedOps, [])
})

test('flops --onnx --breakdown node: per-node rows that add up; human output states the convention', () => {
  const out = at('dyn.onnx')
  assert.equal(runCli(['export', ...small, '--dynamic-batch', '--out', out]).status, 0)
  const j = JSON.parse(runCli(['flops', '--onnx', out, '--input-shape', '2x3x64x64', '--breakdown', 'node', '--json']).stdout)
  assert.ok(j.nodes.length > 10)
  assert.equal(j.nodes.reduce((s: number, n: {macs: number}) => s + n.macs, 0), j.macs)
  assert.deepEqual(j.inputs[0].shape, [2, 3, 64, 64])
  const h = runCli(['flops', '--onnx', out, '--input-shape', '1x3x64x64'])
  assert.equal(h.status, 0, h.stderr)
  assert.match(h.stdout, /FLOPs = 2 × MACs/)
})

test('existing --out is kept without --force, replaced with it', () => {
  const out = at('keep.onnx')
  writeFileSync(out, 'precious')
  assertUsageError(runCli(['export', ...small, '--out', out]), /keep\.onnx: exists; give --force/)
  assert.equal(readFileSync(out, 'utf8'), 'precious')
  assert.equal(runCli(['export', ...small, '--out', out, '--force']).status, 0)
  assert.notEqual(readFileSync(out, 'utf8'), 'precious')
})

test('unwritable --out', () => {
  assertUsageError(runCli(['export', ...small, '--out', at('no-such-dir/x.onnx')]), /no-such-dir\/x\.onnx: cannot write/)
  writeFileSync(at('plain-file'), '')
  assertUsageError(runCli(['export', ...small, '--out', at('plain-file/x.onnx')]), /plain-file\/x\.onnx: cannot write/)
  assertUsageError(runCli(['export', ...small, '--out', dir]), /is a directory/)
})

test('bad --onnx inputs: not a file, not ONNX, truncated, dynamic dims, bad --input-shape', () => {
  assertUsageError(runCli(['flops', '--onnx', at('missing.onnx')]), /missing\.onnx: no such file/)
  assertUsageError(runCli(['flops', '--onnx', dir]), /not a file/)
  writeFileSync(at('text.onnx'), '{"this": "is json, not protobuf"}\n')
  assertUsageError(runCli(['flops', '--onnx', at('text.onnx')]), /text\.onnx: .*not an ONNX model/)
  writeFileSync(at('empty.onnx'), '')
  assertUsageError(runCli(['flops', '--onnx', at('empty.onnx')]), /empty\.onnx: not an ONNX model/)
  const full = readFileSync(at('mnv2.onnx'))
  writeFileSync(at('truncated.onnx'), full.subarray(0, Math.floor(full.length * 0.6)))
  assertUsageError(runCli(['flops', '--onnx', at('truncated.onnx')]), /truncated\.onnx: truncated or corrupt/)
  assertUsageError(runCli(['flops', '--onnx', at('dyn.onnx')]), /dyn\.onnx: input "input" has dynamic dims .*--input-shape/)
  assertUsageError(runCli(['flops', '--onnx', at('dyn.onnx'), '--input-shape', '1x3xbig']), /--input-shape must be/)
  assertUsageError(runCli(['flops', '--onnx', at('dyn.onnx'), '--input-shape', '1x3x64']), /--input-shape 1x3x64 does not fit input "input"/)
})

test('external data: profiled when the file is there, one-line error when it is missing', () => {
  const model = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{domain: '', version: 17}],
    graph: {
      name: 'ext',
      node: [{opType: 'MatMul', input: ['x', 'w'], output: ['y'], name: 'mm'}],
      initializer: [{name: 'w', dims: [4, 3], dataType: DT.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{key: 'location', value: 'ext.bin'}]}],
      input: [{name: 'x', type: {tensorType: {elemType: DT.FLOAT, shape: {dim: [{dimValue: 2}, {dimValue: 4}]}}}}],
      output: [{name: 'y', type: {tensorType: {elemType: DT.FLOAT}}}],
    },
  }).finish()
  writeFileSync(at('ext.onnx'), model)
  assertUsageError(runCli(['flops', '--onnx', at('ext.onnx')]), /external data file "ext\.bin" of tensor "w" not found/)
  writeFileSync(at('ext.bin'), Buffer.alloc(4 * 12 - 4))
  assertUsageError(runCli(['flops', '--onnx', at('ext.onnx')]), /"ext\.bin" is too short/)
  writeFileSync(at('ext.bin'), Buffer.alloc(4 * 12))
  const j = JSON.parse(runCli(['flops', '--onnx', at('ext.onnx'), '--json']).stdout)
  assert.equal(j.macs, 2 * 3 * 4)
  assert.equal(j.params, 12)
  assertUsageError(runCli(['flops', '--onnx', at('ext.onnx'), '--shapes', 'ort']), /--shapes ort: .*ext\.onnx keeps weights in external data files/)
})

test('unsupported ops are warned about on stderr; stdout stays one JSON document', () => {
  const model = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{domain: '', version: 17}],
    graph: {
      name: 'custom',
      node: [{opType: 'Fancy', domain: 'com.example', input: ['x'], output: ['y'], name: 'fancy'}],
      input: [{name: 'x', type: {tensorType: {elemType: DT.FLOAT, shape: {dim: [{dimValue: 2}]}}}}],
      output: [{name: 'y', type: {tensorType: {elemType: DT.FLOAT}}}],
    },
  }).finish()
  writeFileSync(at('custom.onnx'), model)
  const r = runCli(['flops', '--onnx', at('custom.onnx'), '--json'])
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout).unsupportedOps, ['com.example.Fancy'])
  assert.match(r.stderr, /warning: .*unsupported ops, not counted: com\.example\.Fancy/)
})
