/** The model cache checks each model against its content hash on every read. */
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {resolveTarget} from '../../src/arch/target.js'
import {IoError} from '../../src/errors.js'
import {lowerTarget} from '../../src/flops/index.js'
import type {EmitOptions} from '../../src/onnx/emit.js'
import {cachedModel} from '../../src/sweep/model-cache.js'
import {runSweep} from '../../src/sweep/run.js'
import {readRunsFile} from '../../src/sweep/results.js'
import {readRecords} from '../../src/sweep/store.js'
import {LIMITS, runMeasured} from '../helpers/measured.js'
import {deps, fakeEmitter, options, tmpDir} from './helpers.js'

const net = lowerTarget(resolveTarget({base: 'efficientnet-b0', imageSize: 32}))
const opts: EmitOptions = {batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 0}

describe('model cache content hash', () => {
  it('a hit reads no emitter; a changed model is emitted again with one note; a model without a hash silently', () => {
    const dir = path.join(tmpDir('cache'), 'models')
    let emits = 0
    const emit = (n: typeof net, o: EmitOptions) => (emits++, fakeEmitter.emit(n, o))
    const notes: string[] = []
    const note = (l: string) => notes.push(l)
    const file = cachedModel(dir, net, opts, emit, 'fake', note)
    const bytes = readFileSync(file)
    assert.equal(readFileSync(`${file}.sha256`, 'utf8').trim(), createHash('sha256').update(bytes).digest('hex'))
    assert.equal(cachedModel(dir, net, opts, emit, 'fake', note), file)
    assert.deepEqual([emits, notes], [1, []])

    writeFileSync(file, Buffer.concat([bytes.subarray(0, 3), Buffer.from('X'), bytes.subarray(4)]))
    assert.equal(cachedModel(dir, net, opts, emit, 'fake', note), file)
    assert.equal(emits, 2)
    assert.deepEqual(notes, [`model cache: ${file} does not match its content hash (changed on disk); emitting it again`])
    assert.deepEqual(readFileSync(file), bytes)

    rmSync(`${file}.sha256`)
    cachedModel(dir, net, opts, emit, 'fake', note)
    assert.deepEqual([emits, notes.length, existsSync(`${file}.sha256`)], [3, 1, true])
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [])
  })

  it('a cache that cannot be written mid-sweep stops the sweep (one IoError), not a failed record per point', async () => {
    const out = tmpDir('cache-gone')
    const cache = path.join(out, 'c')
    let n = 0
    // On the third model the cache directory is replaced by a file.
    const loadEmitter = async () => ({
      id: 'fake',
      emit: (x: typeof net, o: EmitOptions) => {
        if (++n === 3) (rmSync(cache, {recursive: true}), writeFileSync(cache, ''))
        return fakeEmitter.emit(x, o)
      },
    })
    await assert.rejects(runSweep(options(out, {cacheDir: cache}), deps({loadEmitter})), (e: unknown) => e instanceof IoError && /^--cache .*\/c: cannot write .*\/c\/\w+\.onnx\.sha256: a part of the path is not a directory \(ENOTDIR\)$/.test(e.message))
    // The runs timed before are kept in runs.jsonl (a point's record waits for its last round),
    // and no point is recorded as failed.
    const timed = new Set([...readRunsFile(out, '--out').byKey.keys()])
    assert.ok(timed.size >= 2 && timed.size < 24, `${timed.size} points timed`)
    assert.ok(readRecords(out).records.every((r) => r.status === 'ok'))
  })
})

describe('model cache with the real CLI and onnxruntime', () => {
  it('a cached model changed on disk: one note, emitted again, measured; one that passes its hash but is no model: a failed point, exit 1', () => {
    const dir = tmpDir('cache-cli')
    const grid = path.join(dir, 'grid.json')
    writeFileSync(grid, JSON.stringify({points: [{imageSize: 32}]}))
    const cache = path.join(dir, 'cache')
    const sweep = (out: string) => runMeasured(['sweep', '--grid', grid, '--ep', 'cpu', '--runs', '2', '--warmup', '0', '--min-time-ms', '0', '--cache', cache, '--out', path.join(dir, out), '--json'])
    assert.equal(sweep('o1').status, 0)
    const model = readdirSync(cache).find((f) => f.endsWith('.onnx'))!
    truncateSync(path.join(cache, model), 1000)

    const r = sweep('o2')
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stderr.trim(), /^effscale: model cache: .*\.onnx does not match its content hash \(changed on disk\); emitting it again$/)
    assert.equal(readRecords(path.join(dir, 'o2')).records[0].status, 'ok')

    // Garbage with a matching hash (not something the cache can catch): ORT refuses it.
    const garbage = Buffer.from('not an onnx model')
    writeFileSync(path.join(cache, model), garbage)
    writeFileSync(path.join(cache, `${model}.sha256`), createHash('sha256').update(garbage).digest('hex') + '\n')
    const f = sweep('o3')
    assert.equal(f.status, 1, f.stderr)
    assert.ok(f.maxRssMb < LIMITS.rssMb, `${f.maxRssMb} MB`)
    assert.match(f.stderr.trim(), /^effscale: 1 of 1 points in .*o3 failed \(status "failed", reason in "error"; exit 1\)$/)
    const [rec] = readRecords(path.join(dir, 'o3')).records
    assert.equal(rec.status, 'failed')
    assert.equal((JSON.parse(f.stdout) as {failed: number}).failed, 1)
    assert.ok(existsSync(path.join(dir, 'o3', 'results.csv')) && existsSync(path.join(dir, 'o3', 'run.json')))
  })
})
