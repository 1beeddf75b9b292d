/** Exit codes CI can trust: merge with points missing is exit 1; runs of different EPs or devices are not combined. */
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {UserError} from '../../src/errors.js'
import {mergeSweeps} from '../../src/sweep/merge.js'
import type {RunMeta} from '../../src/sweep/meta.js'
import {runSweep} from '../../src/sweep/run.js'
import {readRecords} from '../../src/sweep/store.js'
import {assertRefusal, runMeasured} from '../helpers/measured.js'
import {deps, options, tmpDir} from './helpers.js'

const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && e.exitCode === 2 && re.test(e.message) && !e.message.includes('\n')
const editMeta = (dir: string, over: Partial<RunMeta>) => {
  const file = path.join(dir, 'run.json')
  writeFileSync(file, JSON.stringify({...JSON.parse(readFileSync(file, 'utf8')), ...over}))
}

/** Shards k of 3 of the helpers' grid, fake-timed; `ep: 'auto'` with the default fake factory measures on "CUDA". */
async function shards(name: string, ks: number[], ep: 'cpu' | 'auto' = 'cpu'): Promise<string[]> {
  const dirs = ks.map((k) => tmpDir(`${name}${k}`))
  await Promise.all(dirs.map((dir, i) => runSweep(options(dir, {shard: {k: ks[i], n: 3}, ep}), deps())))
  return dirs
}

describe('exit codes and refusals of sweep merge and --resume', () => {
  it('sweep merge with points missing: exit 1 and one line saying so, everything found written', async () => {
    const dirs = await shards('miss', [1, 3])
    const out = path.join(tmpDir('miss-out'), 'o')
    const r = runMeasured(['sweep', 'merge', ...dirs, '--out', out])
    assertRefusal(r, 1, /^effscale: 8 points of grid \w+ have no record yet \(exit 1\)$/)
    assert.equal(readRecords(out).records.length, 16)
    assert.ok(existsSync(path.join(out, 'results.csv')))
    assert.equal(JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')).complete, false)
    const all = await shards('all', [2])
    const whole = runMeasured(['sweep', 'merge', ...dirs, ...all, '--out', path.join(tmpDir('all-out'), 'o')])
    assert.equal(whole.status, 0, whole.stderr)
  })

  it('sweep merge of runs on different EPs or devices is refused, as --resume refuses them', async () => {
    const [cuda] = await shards('cuda', [1], 'auto')
    const [cpu] = await shards('cpu', [2])
    assert.equal(readRecords(cuda).records[0].ep, 'cuda')
    assert.throws(() => mergeSweeps([cpu, cuda], path.join(tmpDir('ep-out'), 'o')), userError(/^sweep merge: .* was measured on cuda \(.*\), .* on cpu \(.*\); merge only runs of one EP and device, as --resume continues only those$/))

    const [other] = await shards('dev', [3])
    editMeta(other, {device: 'Some Other CPU'})
    assert.throws(() => mergeSweeps([cpu, other], path.join(tmpDir('dev-out'), 'o')), userError(/was measured on cpu \(Some Other CPU\), .* on cpu \(.*\); merge only runs of one EP and device/))
  })

  it('--resume on a directory measured on another device is refused', async () => {
    const dir = tmpDir('resume-dev')
    const ac = new AbortController()
    await runSweep(options(dir), deps({signal: ac.signal, progress: {start() {}, point() {}, stop() {}, finished: () => ac.abort()}}))
    editMeta(dir, {device: 'Some Other CPU'})
    await assert.rejects(runSweep(options(dir, {resume: true}), deps()), userError(/^--resume: .* was measured on Some Other CPU, this run is on .*; use another --out$/))
    assert.equal(readRecords(dir).records.length, 1)
  })
})
