/** The real command as a child process: kill -9 then --resume, and one-line errors (exit 2). */
import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {PACKAGE_ROOT} from '../../src/paths.js'
import {readRecords} from '../../src/sweep/store.js'
import {tinyGrid, tmpDir} from './helpers.js'

const BIN = path.join(PACKAGE_ROOT, 'bin', 'run.js')
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, 'sweep', ...args], {encoding: 'utf8', timeout: 60_000})


describe('effscale sweep (child process)', () => {
  it('kill -9 mid-sweep, then --resume: every finished point exactly once, the rest measured', async () => {
    const dir = tmpDir('kill')
    const out = path.join(dir, 'out')
    const args = ['--grid', tinyGrid(dir), '--ep', 'cpu', '--runs', '150', '--warmup', '0', '--min-time-ms', '0', '--cache', path.join(dir, 'cache'), '--out', out]
    const child = spawn(process.execPath, [BIN, 'sweep', ...args], {stdio: ['ignore', 'ignore', 'pipe']})
    await new Promise<void>((resolve, reject) => {
      let err = ''
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString()
        if (/^\[1\/8\]/m.test(err)) child.kill('SIGKILL')
      })
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`exited ${code} before the kill: ${err}`))))
    })
    const before = readRecords(out).records.map((r) => r.key)
    assert.ok(before.length >= 1 && before.length < 8, `killed after ${before.length} points`)

    const again = cli([...args, '--resume', '--json'])
    assert.equal(again.status, 0, again.stderr)
    const result = JSON.parse(again.stdout) as {skipped: number; measured: number}
    assert.equal(result.skipped, before.length)
    const after = readRecords(out).records.map((r) => r.key)
    assert.equal(after.length, 8)
    assert.equal(new Set(after).size, 8)
    for (const k of before) assert.equal(after.filter((a) => a === k).length, 1)
    assert.equal(readFileSync(path.join(out, 'results.csv'), 'utf8').trim().split('\n').length, 9)
  })

  it('bad input → one line on stderr, exit 2', () => {
    const dir = tmpDir('bad')
    const bad = path.join(dir, 'bad.json')
    writeFileSync(bad, '{"points": [{"depth": -1}]}')
    const empty = path.join(dir, 'empty.json')
    writeFileSync(empty, '{"points": []}')
    const notDir = path.join(dir, 'file')
    writeFileSync(notDir, '')
    const cases: Array<[string[], RegExp]> = [
      [['--shard', '4/3'], /--shard must be k\/n/],
      [['--batch', '0', '--models', 'efficientnet-b0'], /--batch must be whole numbers > 0/],
      [['--models', 'efficientnet-b12'], /unknown model "efficientnet-b12"/],
      [['--grid', bad], /bad\.json: points\.0\.depth must be > 0/],
      [['--grid', empty], /empty/],
      [['--grid', path.join(dir, 'missing.json')], /--grid .*missing\.json: no such file/],
      [['--models', 'efficientnet-b0', '--ep', 'cpu', '--out', path.join(notDir, 'x')], /--out .*file\/x: .*file is not a directory \(ENOTDIR\)$/],
      [['--models', 'efficientnet-b0', '--base', 'resnet-50'], /--base applies to --dims grids/],
      [['--grid', empty, '--phi-max', '3'], /--phi-max applies to --dims grids; with --grid put it in the grid file/],
    ]
    for (const [args, re] of cases) {
      const r = cli(args.includes('--out') ? args : [...args, '--out', path.join(dir, 'o')])
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`)
      const lines = r.stderr.trim().split('\n')
      assert.equal(lines.length, 1, r.stderr)
      assert.match(lines[0], re)
    }
  })

  it('--ep cuda without a loadable CUDA provider → exit 2, one line', (t) => {
    const dir = tmpDir('cuda')
    const r = cli(['--ep', 'cuda', '--models', 'efficientnet-b0', '--out', path.join(dir, 'o')])
    if (r.status === 0) return t.skip('CUDA loads on this machine')
    assert.equal(r.status, 2)
    assert.match(r.stderr.trim(), /^effscale: --ep cuda: the CUDA execution provider can't be loaded[^\n]*$/)
  })

  it('--resume on a directory of another grid → exit 2, says so', () => {
    const dir = tmpDir('mixed')
    const out = path.join(dir, 'o')
    const common = ['--ep', 'cpu', '--runs', '2', '--warmup', '0', '--min-time-ms', '0', '--cache', path.join(dir, 'cache'), '--out', out]
    assert.equal(cli(['--grid', tinyGrid(dir), ...common]).status, 0)
    const r = cli(['--models', 'efficientnet-b0', '--resume', ...common])
    assert.equal(r.status, 2)
    assert.match(r.stderr.trim(), /^effscale: --resume: .* holds a sweep of grid \w+ \(8 points\), this command describes grid \w+ \(1 points\); use another --out$/)
  })
})
