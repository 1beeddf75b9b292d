/**
 * Disk full, read-only and permission-denied output, on a real (small) tmpfs and as a user
 * without rights: one line naming the path and the cause, exit 1 for the machine, 2 for the
 * path, and what was written before left whole. Skipped where no tmpfs can be mounted.
 */
import assert from 'node:assert/strict'
import {chmodSync, existsSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {readRecords} from '../../src/sweep/store.js'
import {assertRefusal, LIMITS, runMeasured} from '../helpers/measured.js'
import {fillLeaving, mountTmpfs, type Tmpfs} from '../helpers/tmpfs.js'
import {tinyGrid, tmpDir} from '../sweep/helpers.js'

const NO_TMPFS = 'cannot mount a tmpfs here (needs Linux and root)'

/** Every file below `dir`, recursively. */
const filesUnder = (dir: string): string[] => readdirSync(dir, {recursive: true, encoding: 'utf8'})

describe('disk full during a sweep (tmpfs)', () => {
  let fs: Tmpfs | undefined
  before(() => void (fs = mountTmpfs('size=256k')))
  after(() => fs?.unmount())

  it('the sweep stops with one line naming the file it could not write, exit 1; every announced record and every round is whole; --resume finishes it', (t) => {
    if (!fs) return t.skip(NO_TMPFS)
    const dir = tmpDir('enospc')
    const out = path.join(fs.dir, 'out')
    mkdirSync(out)
    // Room for the lock, run.json and a page of runs.jsonl (each round's runs) and results.jsonl.
    fillLeaving(fs.dir, 3 * 4096)
    const args = ['sweep', '--grid', tinyGrid(dir), '--ep', 'cpu', '--runs', '2', '--warmup', '0', '--min-time-ms', '0', '--cache', path.join(dir, 'cache'), '--out', out]
    const r = runMeasured(args)
    assert.equal(r.status, 1, r.stderr)
    const lines = r.stderr.trim().split('\n')
    const ours = lines.filter((l) => l.startsWith('effscale:'))
    assert.deepEqual(ours, [lines[lines.length - 1]], r.stderr)
    // The disk fills while a round's runs (runs.jsonl) or a finished point's record (results.jsonl) is appended.
    assert.match(ours[0], new RegExp(`^effscale: --out ${out}: cannot write ${out}/(results|runs)\\.jsonl: no space left on device \\(ENOSPC\\)$`))
    // No memory limit here: this sweep ran, and its peak is the sessions it keeps open across rounds.

    const read = (f: string) => (existsSync(path.join(out, f)) ? readFileSync(path.join(out, f), 'utf8') : '')
    const text = read('results.jsonl')
    for (const f of ['results.jsonl', 'runs.jsonl']) assert.ok(read(f) === '' || read(f).endsWith('\n'), `no torn last line in ${f}`)
    const written = text.trim() === '' ? [] : text.trim().split('\n').map((l) => JSON.parse(l) as {key: string})
    const announced = lines.filter((l) => /^\[\d+\/8\] /.test(l))
    assert.ok(written.length < 8, `${written.length} records`)
    assert.equal(announced.length, written.length, 'a point is announced only once its record is on disk')
    assert.deepEqual(filesUnder(out).filter((f) => f.endsWith('.tmp') || f === 'sweep.lock'), [])

    rmSync(path.join(fs.dir, 'filler'))
    const again = runMeasured([...args, '--resume', '--json'])
    assert.equal(again.status, 0, again.stderr)
    const keys = readRecords(out).records.map((x) => x.key)
    assert.equal(keys.length, 8)
    assert.equal(new Set(keys).size, 8)
    assert.deepEqual(keys.slice(0, written.length), written.map((w) => w.key))
  })

  it('report on a full disk: one line naming the file, exit 1, no temp file left', (t) => {
    if (!fs) return t.skip(NO_TMPFS)
    rmSync(path.join(fs.dir, 'out'), {recursive: true, force: true})
    const out = path.join(fs.dir, 'report')
    mkdirSync(out)
    fillLeaving(fs.dir, 0)
    const r = runMeasured(['report', '--out', out])
    assert.equal(r.status, 1, r.stderr)
    assert.match(r.stderr.trim(), new RegExp(`^effscale: --out ${out}: cannot write ${out}/[\\w-]+\\.\\w+(\\.json)?: no space left on device \\(ENOSPC\\)$`))
    assert.deepEqual(filesUnder(out).filter((f) => f.endsWith('.tmp')), [])
    assert.ok(r.maxRssMb < LIMITS.rssMb, `${r.maxRssMb} MB`)
    rmSync(path.join(fs.dir, 'filler'))
  })
})

describe('read-only and permission-denied output paths', () => {
  let ro: Tmpfs | undefined
  before(() => {
    ro = mountTmpfs('ro,size=64k')
  })
  after(() => ro?.unmount())

  it('a read-only filesystem: exit 2 naming the path, for sweep, report and export', (t) => {
    if (!ro) return t.skip(NO_TMPFS)
    const x = path.join(ro.dir, 'x')
    const cases: Array<[string[], RegExp]> = [
      [['sweep', '--models', 'efficientnet-b0', '--ep', 'cpu', '--cache', path.join(tmpDir('ro-cache'), 'c'), '--out', x], /: cannot create .*\/x: read-only file system \(EROFS\)$/],
      // report checks --out before loading its libraries, creating nothing yet.
      [['report', '--out', x], /^effscale: --out .*\/x: cannot write there: read-only file system \(EROFS\)$/],
      [['export', '--model', 'efficientnet-b0', '--out', path.join(ro.dir, 'b0.onnx')], /^effscale: --out .*b0\.onnx: cannot write: read-only file system \(EROFS\)$/],
    ]
    for (const [args, re] of cases) assertRefusal(runMeasured(args), 2, re)
  })

  it('a directory the user may not write: exit 2 (EACCES), for sweep and check --junit', (t) => {
    const locked = path.join(tmpDir('eacces'), 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    // As root, permissions do not apply: run the CLI as nobody instead.
    const root = process.getuid?.() === 0
    let as: {uid?: number; gid?: number; env?: NodeJS.ProcessEnv} = {}
    if (root) {
      const home = tmpDir('nobody-home')
      chownSync(home, 65534, 65534)
      as = {uid: 65534, gid: 65534, env: {HOME: home}}
      const probe = runMeasured(['--version'], as)
      if (probe.status !== 0) return t.skip(`cannot run the CLI as nobody: ${probe.stderr.split('\n')[0]}`)
    } else if (process.platform === 'win32') return t.skip('POSIX permissions')
    const budget = path.join(path.dirname(locked), 'budgets.json')
    writeFileSync(budget, JSON.stringify({budgets: [{name: 'b0', model: 'efficientnet-b0', maxMacs: '1G'}]}))
    chmodSync(path.dirname(locked), 0o755)
    assertRefusal(runMeasured(['sweep', '--models', 'efficientnet-b0', '--ep', 'cpu', '--out', path.join(locked, 'out')], as), 2, /^effscale: --out .*locked\/out: cannot create .*locked\/out: permission denied \(EACCES\)$/)
    assertRefusal(runMeasured(['check', '--budget', budget, '--junit', path.join(locked, 'j.xml')], as), 2, /^effscale: --junit .*locked\/j\.xml: cannot write there: permission denied \(EACCES\)$/)
  })
})
