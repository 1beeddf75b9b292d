import assert from 'node:assert/strict'
import {chmodSync, readFileSync, writeFileSync, appendFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {UserError} from '../../src/errors.js'
import {buildGrid, type GridSpec} from '../../src/sweep/grid.js'
import {mergeSweeps} from '../../src/sweep/merge.js'
import type {RunMeta} from '../../src/sweep/meta.js'
import {RECORD_COLUMNS} from '../../src/sweep/record.js'
import {runSweep} from '../../src/sweep/run.js'
import {nvidiaSmiId} from '../../src/sweep/meta.js'
import {chooseEp, type SessionRequest} from '../../src/sweep/session.js'
import {readSweepWithRuns} from '../../src/sweep/results.js'
import {refMedians, roundStats} from '../../src/sweep/rounds.js'
import {resolveTarget} from '../../src/arch/target.js'
import {lowerTarget} from '../../src/flops/index.js'
import {readRecords} from '../../src/sweep/store.js'
import {deps, fakeFactory, options, tmpDir} from './helpers.js'

const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && re.test(e.message) && !e.message.includes('\n')
const keys = (dir: string) => readRecords(dir).records.map((r) => r.key)

describe('execution provider', () => {
  const probe = new Uint8Array()
  it('auto: CUDA failing → one fallback line, CPU', async () => {
    const d = await chooseEp(fakeFactory({cudaError: 'Failed to load shared library\nmore detail'}), 'auto', 0, probe)
    assert.deepEqual(d, {ep: 'cpu', fallback: 'CUDA unavailable (Failed to load shared library); measuring on the CPU'})
  })
  it('auto: CUDA loading → cuda; --ep cuda failing → UserError naming --ep', async () => {
    assert.deepEqual(await chooseEp(fakeFactory(), 'auto', 1, probe), {ep: 'cuda'})
    await assert.rejects(chooseEp(fakeFactory({cudaError: 'no driver'}), 'cuda', 0, probe), userError(/^--ep cuda: .*no driver/))
  })
  it('the sweep records the EP actually used and requests it with the device id', async () => {
    const out = tmpDir('ep')
    const factory = fakeFactory({cudaError: 'libcudart.so.13: cannot open'})
    const d = deps({factory})
    const s = await runSweep(options(out, {ep: 'auto', deviceId: 3}), d)
    assert.equal(s.ep, 'cpu')
    assert.equal(d.warnings.length, 1)
    assert.match(d.warnings[0], /CUDA unavailable \(libcudart/)
    assert.ok(readRecords(out).records.every((r) => r.ep === 'cpu'))
    const meta = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as RunMeta
    assert.equal(meta.ep, 'cpu')
    assert.equal(meta.ep_requested, 'auto')
    assert.equal(meta.complete, true)

    const gpu = fakeFactory()
    const out2 = tmpDir('ep2')
    const s2 = await runSweep(options(out2, {ep: 'auto', deviceId: 3}), deps({factory: gpu}))
    assert.equal(s2.ep, 'cuda')
    assert.ok(gpu.requests.every((r) => r.ep === 'cuda' && r.deviceId === 3))
    assert.ok(readRecords(out2).records.every((r) => r.ep === 'cuda'))
  })
  it('the GPU named in run.json is CUDA device N among CUDA_VISIBLE_DEVICES, not row N of nvidia-smi', () => {
    assert.equal(nvidiaSmiId(1, undefined), '1')
    assert.equal(nvidiaSmiId(1, '2,3'), '3')
    assert.equal(nvidiaSmiId(0, 'GPU-8f2a, GPU-11c0'), 'GPU-8f2a')
    assert.equal(nvidiaSmiId(0, ''), '0')
  })
  it('embedded default grid follows the EP that loaded', async () => {
    const picked: string[] = []
    const grid = (ep: 'cuda' | 'cpu'): GridSpec => (picked.push(ep), {models: ['efficientnet-b0'], batches: [1], dtype: 'fp32', input: 'float32-nchw'})
    await runSweep(options(tmpDir('def'), {ep: 'auto', grid}), deps({factory: fakeFactory({cudaError: 'x'})}))
    assert.deepEqual(picked, ['cpu'])
  })
})

describe('sweep records and durability', () => {
  it('writes every documented column, csv and run.json; the injected clock gives exact figures', async () => {
    const out = tmpDir('cols')
    await runSweep(options(out), deps())
    const recs = readRecords(out).records
    assert.equal(recs.length, (6 + 6) * 2)
    for (const r of recs) for (const c of RECORD_COLUMNS) assert.ok(c in r, c)
    // The tick clock advances 1 ms per read: session create and every run take 1 ms.
    assert.equal(recs[0].p50_ms, 1)
    assert.equal(recs[0].session_create_ms, 1)
    assert.equal(recs.find((r) => r.infer_batch_size === 2)!.infer_samples_per_sec, 2000)
    const csv = readFileSync(path.join(out, 'results.csv'), 'utf8').trim().split('\n')
    assert.equal(csv.length, recs.length + 1)
    assert.ok(csv[0].startsWith(RECORD_COLUMNS.join(',')))
  })

  it('a failing point is recorded with its one-line reason and the sweep goes on', async () => {
    const out = tmpDir('fail')
    const factory = fakeFactory({failWhen: (r) => (typeof r.model === 'string' && r.model.length > 0 && failNext() ? 'CUDA out of memory\nstack' : undefined)})
    let n = 0
    // Session 1 and 2 are the references of batch 1 and 2 (timed first); 3 is a point of its own.
    const failNext = () => ++n === 3
    const s = await runSweep(options(out), deps({factory}))
    const recs = readRecords(out).records
    assert.equal(s.failed, 1)
    assert.equal(recs.length, 24)
    const bad = recs.filter((r) => r.status === 'failed')
    assert.equal(bad.length, 1)
    assert.equal(bad[0].error, 'CUDA out of memory')
    assert.equal(bad[0].p50_ms, null)
  })

  it('--resume skips what is there, tolerates a truncated last line, and refuses another grid', async () => {
    const out = tmpDir('resume')
    const ac = new AbortController()
    let finished = 0
    const progress = {start() {}, point() {}, stop() {}, finished: () => void (++finished === 5 && ac.abort())}
    const first = await runSweep(options(out), deps({progress, signal: ac.signal}))
    assert.equal(first.interrupted, true)
    assert.equal(keys(out).length, 5)
    appendFileSync(path.join(out, 'results.jsonl'), '{"key": "width|efficientnet-b0 w=1.4|d=1')
    await assert.rejects(runSweep(options(out), deps()), userError(/already holds sweep results/))
    const s = await runSweep(options(out, {resume: true}), deps())
    assert.equal(s.skipped, 5)
    assert.equal(s.measured, 19)
    const all = keys(out)
    assert.equal(all.length, 24)
    assert.equal(new Set(all).size, 24)
    assert.deepEqual(new Set(all), new Set(buildGrid(options(out).grid as GridSpec).points.map((p) => p.key)))

    const other = options(out, {resume: true, grid: {models: ['efficientnet-b1'], batches: [1], dtype: 'fp32', input: 'float32-nchw'}})
    await assert.rejects(runSweep(other, deps()), userError(/^--resume: .* holds a sweep of grid \w+ \(24 points\), this command describes grid \w+ \(1 points\); use another --out$/))
  })

  it('--resume after a kill -9 during the very first record: the partial line is cut, not appended to', async () => {
    const out = tmpDir('resume0')
    await runSweep(options(out, {grid: {models: ['efficientnet-b0'], batches: [1], dtype: 'fp32', input: 'float32-nchw'}}), deps())
    const file = path.join(out, 'results.jsonl')
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40))
    const s = await runSweep(options(out, {resume: true, grid: {models: ['efficientnet-b0'], batches: [1], dtype: 'fp32', input: 'float32-nchw'}}), deps())
    assert.equal(s.skipped, 0)
    assert.equal(s.measured, 1)
    const after = readRecords(out)
    assert.equal(after.truncated, false)
    assert.equal(after.records.length, 1)
    assert.equal(readFileSync(file, 'utf8').split('\n').length, 2)
  })

  it('--resume on records of another EP is refused: run.json names one EP per directory', async () => {
    const out = tmpDir('resume-ep')
    const ac = new AbortController()
    const progress = {start() {}, point() {}, stop() {}, finished: () => ac.abort()}
    await runSweep(options(out, {ep: 'auto'}), deps({progress, signal: ac.signal}))
    assert.ok(readRecords(out).records.every((r) => r.ep === 'cuda'))
    const fellBack = deps({factory: fakeFactory({cudaError: 'no driver'})})
    await assert.rejects(runSweep(options(out, {ep: 'auto', resume: true}), fellBack), userError(/^--resume: .* was measured on cuda, this run got cpu; give --ep cuda/))
    assert.equal(keys(out).length, 1)
  })

  it('Ctrl-C mid-round: that round of that point is dropped, finished rounds stay in runs.jsonl, run.json says incomplete', async () => {
    const out = tmpDir('midpoint')
    const ac = new AbortController()
    let runs = 0
    const base = fakeFactory()
    const factory = async (req: Parameters<typeof base>[0]) => {
      const s = await base(req)
      return {...s, run: async () => void (++runs === 150 && ac.abort())}
    }
    const s = await runSweep(options(out), deps({factory, signal: ac.signal}))
    assert.equal(s.interrupted, true)
    // Round 1 per point: first run + 1 warm-up + 1 round warm-up + 3 timed = 6 runs; 22 networks (B0 is in both grids):
    // run 150 is in round 2. No point has its 6 rounds yet: nothing in results.jsonl.
    assert.equal(s.measured, 0)
    const lines = readFileSync(path.join(out, 'runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {round: number})
    assert.equal(lines.filter((l) => l.round === 1).length, 22)
    assert.ok(lines.some((l) => l.round === 2) && lines.length < 44)
    const meta = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as RunMeta
    assert.equal(meta.complete, false)
    assert.notEqual(meta.finished_at, null)
  })

  it('--resume after a kill mid-round (torn runs.jsonl line): no finished round lost, none timed twice', async () => {
    const out = tmpDir('midround')
    const ac = new AbortController()
    let runs = 0
    const base = fakeFactory()
    const factory = async (req: Parameters<typeof base>[0]) => {
      const s = await base(req)
      return {...s, run: async () => void (++runs === 400 && ac.abort())}
    }
    await runSweep(options(out), deps({factory, signal: ac.signal}))
    const file = path.join(out, 'runs.jsonl')
    const before = readFileSync(file, 'utf8')
    // A kill -9 inside the next append leaves half a line.
    appendFileSync(file, '{"key":"width|efficientnet-b0 w=1.4|d=1|w=1.4|s=224|b=1|fp32|float32-nchw","round":')
    const s = await runSweep(options(out, {resume: true}), deps())
    assert.equal(s.interrupted, false)
    const after = readFileSync(file, 'utf8')
    assert.ok(after.startsWith(before), 'the rounds finished before the kill are kept as written')
    const rounds = after.trim().split('\n').map((l) => JSON.parse(l) as {key: string; round: number})
    const ids = rounds.map((r) => `${r.key}#${r.round}`)
    assert.equal(new Set(ids).size, ids.length, 'no round of a point twice')
    assert.equal(rounds.length, 22 * 6)
    const all = keys(out)
    assert.equal(all.length, 24)
    assert.equal(new Set(all).size, 24)
    assert.ok(readRecords(out).records.every((r) => r.rounds === 6 && r.stable === true && r.rel_ref !== null))
  })

  it('unwritable --cache → UserError naming it, before any point fails', async () => {
    const parent = tmpDir('cache')
    writeFileSync(path.join(parent, 'file'), '')
    await assert.rejects(runSweep(options(path.join(parent, 'out'), {cacheDir: path.join(parent, 'file', 'c')}), deps()), userError(/^--cache .*file\/c: .*file is not a directory \(ENOTDIR\)$/))
  })

  it('unwritable --out → UserError naming it', async () => {
    const parent = tmpDir('ro')
    const file = path.join(parent, 'file')
    writeFileSync(file, '')
    await assert.rejects(runSweep(options(path.join(file, 'sub')), deps()), userError(/^--out .*file\/sub: .*file is not a directory \(ENOTDIR\)$/))
    if (process.getuid?.() === 0) return // root writes into read-only directories
    chmodSync(parent, 0o500)
    try {
      await assert.rejects(runSweep(options(path.join(parent, 'x')), deps()), userError(/^--out .*x: cannot create .*x: permission denied \(EACCES\)$/))
    } finally {
      chmodSync(parent, 0o700)
    }
  })
})

describe('shards and merge', () => {
  it('merge of 3 shards = one unsharded run; mixed grids and duplicates refused', async () => {
    const whole = tmpDir('whole')
    await runSweep(options(whole), deps())
    const shards = [1, 2, 3].map((k) => {
      const dir = tmpDir(`shard${k}`)
      return {dir, run: runSweep(options(dir, {shard: {k, n: 3}}), deps())}
    })
    await Promise.all(shards.map((s) => s.run))
    const parts = shards.map((s) => keys(s.dir))
    assert.equal(parts.flat().length, new Set(parts.flat()).size)
    const merged = path.join(tmpDir('merged'), 'out')
    const m = mergeSweeps(shards.map((s) => s.dir), merged)
    assert.equal(m.complete, true)
    assert.deepEqual(keys(merged).sort(), keys(whole).sort())
    const meta = JSON.parse(readFileSync(path.join(merged, 'run.json'), 'utf8')) as RunMeta
    assert.equal(meta.shard, null)
    assert.equal(meta.merged_from?.length, 3)

    assert.throws(() => mergeSweeps([shards[0].dir, shards[0].dir], path.join(tmpDir('dup'), 'o')), userError(/^sweep merge: point ".*" is in both/))
    const other = tmpDir('other')
    await runSweep(options(other, {grid: {models: ['efficientnet-b0'], batches: [1], dtype: 'fp32', input: 'float32-nchw'}}), deps())
    assert.throws(() => mergeSweeps([shards[0].dir, other], path.join(tmpDir('mix'), 'o')), userError(/^sweep merge: .* is grid \w+, .* is grid \w+; merge only shards of one grid$/))
    assert.throws(() => mergeSweeps([tmpDir('empty')], path.join(tmpDir('e'), 'o')), userError(/not a sweep directory/))
    assert.throws(() => mergeSweeps([], path.join(tmpDir('none'), 'o')), userError(/^sweep merge: give at least one sweep directory$/))
    assert.throws(() => mergeSweeps([shards[0].dir, shards[1].dir], shards[1].dir), userError(/is one of the inputs/))
    assert.throws(() => mergeSweeps([shards[0].dir], merged), userError(/already holds sweep results/))
  })

  it('merge of some shards: the records there are kept in grid order, the rest reported missing', async () => {
    const dirs = [1, 3].map((k) => tmpDir(`part${k}`))
    await Promise.all(dirs.map((dir, i) => runSweep(options(dir, {shard: {k: [1, 3][i], n: 3}}), deps())))
    const out = path.join(tmpDir('partial'), 'out')
    const m = mergeSweeps(dirs, out)
    assert.equal(m.records, 16)
    assert.equal(m.missing, 8)
    assert.equal(m.complete, false)
    const grid = buildGrid(options(out).grid as GridSpec).points.map((p) => p.key)
    assert.deepEqual(keys(out), grid.filter((_, i) => i % 3 !== 1))
    assert.equal(JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')).complete, false)
  })
})

describe('the reference', () => {
  it('its record rests on the rounds until it settled; later rounds only pair with points still measured (ref_only)', async () => {
    const out = tmpDir('ref-only')
    const opsOf = (model: string) => String(lowerTarget(resolveTarget({model})).ops.length)
    const [b0, b1] = [opsOf('efficientnet-b0'), opsOf('efficientnet-b1')]
    let t = 0
    const factory = async (req: SessionRequest) => {
      const id = readFileSync(req.model as string, 'utf8')
      let calls = 0
      let round = 0
      return {
        input: {name: 'input', type: 'float32', shape: [1, 3, 2, 2]},
        // Opening: a first run and one warm-up; then per round one untimed run and 3 timed ones.
        run: async () => {
          calls++
          round = calls <= 2 ? 0 : Math.ceil((calls - 2) / 4)
          // The reference runs at 10 ms for 6 rounds, then at 5 (a quieter machine late in the sweep);
          // b1 alternates 10 / 30 ms by round, so it stays unstable to --max-rounds; b3 is steady.
          t += id === b0 ? (round <= 6 ? 10 : 5) : id === b1 ? (round % 2 ? 10 : 30) : 20
        },
        endProfiling: () => undefined,
        release: async () => undefined,
      }
    }
    const emitter = {emit: (net: {ops: unknown[]}) => new TextEncoder().encode(String(net.ops.length)), id: 'ops'}
    const grid = {models: ['efficientnet-b0', 'efficientnet-b1', 'efficientnet-b3'], batches: [1], dtype: 'fp32', input: 'float32-nchw'} as GridSpec
    await runSweep(options(out, {grid, timing: {warmup: 1, runs: 3, minTimeMs: 0, rounds: 6, maxRounds: 10}}), deps({factory, clock: () => t, loadEmitter: async () => emitter}))
    const byModel = new Map(readRecords(out).records.map((r) => [r.model, r]))
    const ref = byModel.get('efficientnet-b0')!
    assert.equal(ref.rounds, 6)
    assert.equal(ref.p50_ms, 10, 'the quieter rounds after it settled are not in its figure')
    const lines = readFileSync(path.join(out, 'runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {key: string; round: number; ref_only?: boolean})
    const refLines = lines.filter((l) => l.key === ref.key)
    assert.deepEqual(refLines.filter((l) => l.ref_only).map((l) => l.round).sort((a, b) => a - b), [7, 8, 9, 10])
    assert.equal(byModel.get('efficientnet-b1')!.rounds, 10)
    assert.equal(byModel.get('efficientnet-b1')!.stable, false)
    // b1's late rounds pair with the reference of the same round: ratios 1, 3 (rounds 1–6) and
    // 2, 6 (10/5, 30/5 in rounds 7–10), median 2.5; paired with the settled 10 ms it would be 2.
    assert.equal(byModel.get('efficientnet-b1')!.rel_ref, 2.5)
    assert.equal(byModel.get('efficientnet-b3')!.rel_ref, 2)
    // Recomputed from runs.jsonl, every record's figures come back (the reference's from its 6 rounds).
    for (const p of readSweepWithRuns(out, '--sweep').points) {
      const st = roundStats(p.rounds, 0.05, refMedians(p.refRounds))
      assert.equal(st.p50_ms, p.record.p50_ms)
      assert.equal(st.rounds, p.record.rounds)
      assert.equal(st.rel_ref, p.record.rel_ref)
    }
  })
})
