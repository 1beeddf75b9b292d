/**
 * `export --external-data` (and any export whose weights pass protobuf's 2 GiB) writes the
 * weights beside the model; `flops --onnx` and `check` profile the pair, and ONNX Runtime,
 * opening the model by its path, runs it to the same logits as the inline export, and
 * `sweep --onnx` times it.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import {onnx} from '../../src/onnx/proto.js'
import {AUTO_EXTERNAL_BYTES, PROTOBUF_LIMIT} from '../../src/onnx/write-model.js'
import {assertUsageError, runCli} from '../helpers/cli.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'effscale-extexport-'))
const at = (name: string) => path.join(dir, name)
const small = ['--base', 'mobilenet-v2', '--width', '0.5', '--image-size', '96']

function exportJson(args: string[]) {
  const r = runCli(['export', ...args, '--json'])
  assert.equal(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

async function logits(file: string): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(file)
  const n = 3 * 96 * 96
  const x = Float32Array.from({length: n}, (_, i) => Math.sin(i) * 0.5)
  const out = await s.run({input: new ort.Tensor('float32', x, [1, 3, 96, 96])})
  await s.release()
  return out.logits.data as Float32Array
}

/** Where each external tensor says its bytes are, from the model file. */
function externalEntries(file: string) {
  const model = onnx.ModelProto.decode(readFileSync(file))
  return (model.graph!.initializer ?? [])
    .filter((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
    .map((t) => Object.fromEntries((t.externalData ?? []).map((e) => [e.key, e.value])) as {location: string; offset: string; length: string})
}

test('external-data round trip: same profile as the inline model, same logits in ONNX Runtime', async () => {
  const inline = exportJson([...small, '--out', at('inline.onnx')])
  const ext = exportJson([...small, '--out', at('ext.onnx'), '--external-data'])
  assert.equal(inline.externalData, null)
  assert.equal(ext.externalData.file, at('ext.onnx.data'))
  assert.equal(ext.externalData.bytes, statSync(at('ext.onnx.data')).size)
  assert.equal(ext.bytes, statSync(at('ext.onnx')).size)
  // Nearly every weight byte moved out: the model keeps the graph and tensors under 1 KiB.
  assert.ok(ext.bytes < inline.bytes / 10, `${ext.bytes} vs ${inline.bytes}`)
  assert.ok(ext.externalData.bytes >= inline.bytes * 0.9)
  const entries = externalEntries(at('ext.onnx'))
  assert.ok(entries.length > 10)
  for (const e of entries) {
    assert.equal(e.location, 'ext.onnx.data')
    assert.equal(Number(e.offset) % 4096, 0)
  }

  const profile = (file: string) => {
    const r = runCli(['flops', '--onnx', file, '--json'])
    assert.equal(r.status, 0, r.stderr)
    return JSON.parse(r.stdout)
  }
  const [pi, pe] = [profile(at('inline.onnx')), profile(at('ext.onnx'))]
  assert.equal(pe.macs, inline.macs)
  assert.equal(pe.params, inline.params)
  assert.deepEqual([pe.macs, pe.params, pe.otherOps], [pi.macs, pi.params, pi.otherOps])

  const budget = at('budget.json')
  writeFileSync(budget, JSON.stringify({budgets: [{name: 'ext', onnx: 'ext.onnx', maxMacs: inline.macs, maxParams: inline.params}]}))
  const c = runCli(['check', '--budget', budget])
  assert.equal(c.status, 0, c.stdout + c.stderr)

  assert.deepEqual(await logits(at('ext.onnx')), await logits(at('inline.onnx')))

  // sweep --onnx opens the model by its path: ONNX Runtime finds the data beside it.
  const s = runCli(['sweep', '--onnx', at('ext.onnx'), '--ep', 'cpu', '--runs', '2', '--warmup', '0', '--min-time-ms', '0', '--out', at('sweep')])
  assert.equal(s.status, 0, s.stderr)
  const [rec] = readFileSync(at('sweep/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  assert.equal(rec.status, 'ok', JSON.stringify(rec))
  assert.equal(rec.macs, inline.macs)
})

test('the data file is checked like --out: kept without --force, replaced with it', () => {
  writeFileSync(at('keep.onnx.data'), 'precious')
  assertUsageError(['export', ...small, '--out', at('keep.onnx'), '--external-data'], /--out .*keep\.onnx: its data file .*keep\.onnx\.data: exists; give --force/)
  assert.equal(readFileSync(at('keep.onnx.data'), 'utf8'), 'precious')
  exportJson([...small, '--out', at('keep.onnx'), '--external-data', '--force'])
  assert.ok(statSync(at('keep.onnx.data')).size > 1000)
})

test('a data file cut short is refused by flops --onnx, naming the tensor', () => {
  exportJson([...small, '--out', at('cut.onnx'), '--external-data'])
  const data = readFileSync(at('cut.onnx.data'))
  writeFileSync(at('cut.onnx.data'), data.subarray(0, data.length - 1))
  assertUsageError(['flops', '--onnx', at('cut.onnx')], /external data file "cut\.onnx\.data" is too short for tensor ".+"/)
})

// efficientnet-b0 at width 13: about 650 M weights, 2.6 GB in float32 — over protobuf's limit.
const bigArgs = ['--base', 'efficientnet-b0', '--width', '13', '--image-size', '32']
const GiB = 2 ** 30
const freeDisk = () => {
  const s = statfsSync(dir)
  return s.bavail * s.bsize
}
const bigSkip =
  os.freemem() < 8 * GiB ? `needs 8 GiB of free memory, ${(os.freemem() / GiB).toFixed(1)} GiB free` : freeDisk() < 6 * GiB ? 'needs 6 GiB of free disk' : false

test('an export over 2 GiB is written with external data without being asked, and profiles', {skip: bigSkip}, () => {
  const out = at('big.onnx')
  try {
    const e = exportJson([...bigArgs, '--out', out])
    assert.ok(e.externalData, 'external data chosen on its own')
    assert.ok(e.externalData.bytes > AUTO_EXTERNAL_BYTES)
    assert.ok(e.externalData.bytes > PROTOBUF_LIMIT, `${e.externalData.bytes} bytes: the case protobuf cannot hold`)
    assert.ok(e.bytes < 16 * 2 ** 20)
    const size = statSync(`${out}.data`).size
    const last = externalEntries(out).reduce((m, x) => Math.max(m, Number(x.offset) + Number(x.length)), 0)
    assert.equal(last, size, 'the last tensor ends where the data file does')
    const r = runCli(['flops', '--onnx', out, '--json'])
    assert.equal(r.status, 0, r.stderr)
    const analytic = JSON.parse(runCli(['flops', ...bigArgs, '--json']).stdout)
    assert.equal(JSON.parse(r.stdout).macs, analytic.macs)
    assert.equal(JSON.parse(r.stdout).params, e.params)
  } finally {
    rmSync(`${out}.data`, {force: true})
    rmSync(out, {force: true})
  }
})
