/**
 * The sweep's model cache with external data: a model whose weights pass protobuf's 2 GiB
 * keeps them in `<model>.onnx.data`; ONNX Runtime, opened on the model's path as the sweep
 * opens it, finds them; both files are checked against their hashes on every read.
 * (The threshold is lowered to 0 here so a small model takes the same path.)
 */
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'
import {resolveTarget} from '../../src/arch/target.js'
import {lowerTarget} from '../../src/flops/index.js'
import {buildModel, type EmitOptions} from '../../src/onnx/emit.js'
import {dataFileOf, modelFiles, needsExternal} from '../../src/onnx/write-model.js'
import {externalOver} from '../../src/sweep/emitter.js'
import {cachedModel} from '../../src/sweep/model-cache.js'
import {makeInput, ortFactory} from '../../src/sweep/session.js'
import {readRecords} from '../../src/sweep/store.js'
import {runCli} from '../helpers/cli.js'
import {tmpDir} from './helpers.js'

const net = lowerTarget(resolveTarget({base: 'mobilenet-v2', width: 0.5, imageSize: 64}))
const opts: EmitOptions = {batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 3}

async function run(file: string): Promise<Float32Array> {
  const s = await ortFactory({model: file, ep: 'cpu', deviceId: 0})
  const out = (await s.run({[s.input.name]: makeInput(s.input, 1)})) as Record<string, {data: Float32Array}>
  await s.release()
  return out.logits.data
}

describe('model cache with external data', () => {
  it('writes model + data with two hashes; ONNX Runtime runs it from its path to the inline logits; a hit emits nothing', async () => {
    const dir = tmpDir('cache-ext')
    let emits = 0
    // Every model takes the external-data path (threshold 0), as one over 2 GiB does.
    const external = externalOver(buildModel, modelFiles, needsExternal, 0)
    const inlineEmit = externalOver(buildModel, modelFiles, needsExternal)
    const emit = (n: typeof net, o: EmitOptions, loc?: string) => (emits++, external(n, o, loc))
    const notes: string[] = []
    const file = cachedModel(path.join(dir, 'ext'), net, opts, emit, 'real', (l) => notes.push(l))
    const data = dataFileOf(file)
    assert.ok(existsSync(data))
    assert.ok(readFileSync(data).length > 10 * readFileSync(file).length)
    assert.match(readFileSync(`${file}.sha256`, 'utf8'), /^[0-9a-f]{64} [0-9a-f]{64}\n$/)
    const inline = cachedModel(path.join(dir, 'inline'), net, opts, (n, o, loc) => (emits++, inlineEmit(n, o, loc)), 'real', (l) => notes.push(l))
    assert.equal(existsSync(dataFileOf(inline)), false)
    assert.deepEqual(await run(file), await run(inline))
    assert.equal(cachedModel(path.join(dir, 'ext'), net, opts, emit, 'real', (l) => notes.push(l)), file)
    assert.deepEqual([emits, notes], [2, []])
  })

  it('a data file changed or removed on disk: one note, both emitted again', () => {
    const dir = tmpDir('cache-ext-bad')
    let emits = 0
    const external = externalOver(buildModel, modelFiles, needsExternal, 0)
    const emit = (n: typeof net, o: EmitOptions, loc?: string) => (emits++, external(n, o, loc))
    const notes: string[] = []
    const file = cachedModel(dir, net, opts, emit, 'real', (l) => notes.push(l))
    const data = dataFileOf(file)
    const good = readFileSync(data)
    const bad = Buffer.from(good)
    bad[bad.length >> 1] ^= 0xff
    writeFileSync(data, bad)
    cachedModel(dir, net, opts, emit, 'real', (l) => notes.push(l))
    assert.deepEqual(readFileSync(data), good)
    rmSync(data)
    cachedModel(dir, net, opts, emit, 'real', (l) => notes.push(l))
    assert.deepEqual(readFileSync(data), good)
    assert.equal(emits, 3)
    assert.equal(notes.length, 2)
    for (const n of notes) assert.match(n, /^model cache: .*\.onnx does not match its content hash \(changed on disk\); emitting it again$/)
  })

  // efficientnet-b0 at width 13: 657 M weights, 2.6 GB in float32. The sweep emits it once
  // (2.6 GB in memory) and ONNX Runtime loads it (2.6 GB more).
  const GiB = 2 ** 30
  const skip = os.freemem() < 12 * GiB ? `needs 12 GiB of free memory, ${(os.freemem() / GiB).toFixed(1)} GiB free` : false
  it('a one-point sweep of a model over 2 GiB measures it', {skip, timeout: 600_000}, () => {
    const dir = tmpDir('sweep-big')
    const grid = path.join(dir, 'grid.json')
    writeFileSync(grid, JSON.stringify({base: 'efficientnet-b0', points: [{width: 13, imageSize: 32}]}))
    const cache = path.join(dir, 'cache')
    try {
      const r = runCli(['sweep', '--grid', grid, '--ep', 'cpu', '--runs', '1', '--warmup', '0', '--min-time-ms', '0', '--cache', cache, '--out', path.join(dir, 'out')])
      assert.equal(r.status, 0, r.stderr)
      const [rec] = readRecords(path.join(dir, 'out')).records
      assert.equal(rec.status, 'ok', JSON.stringify(rec))
      assert.ok(rec.params > 650e6, `${rec.params} params`)
      const files = readdirSync(cache)
      assert.equal(files.filter((f) => f.endsWith('.onnx.data')).length, 1, files.join(' '))
    } finally {
      rmSync(cache, {recursive: true, force: true})
    }
  })
})
