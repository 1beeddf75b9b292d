/** One writer per sweep directory (src/sweep/lock.ts), in one process; lock-cli.test.ts has two real ones. */
import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'
import {UserError} from '../../src/errors.js'
import {LOCK_FILE, lockSweepDir} from '../../src/sweep/lock.js'
import {mergeSweeps} from '../../src/sweep/merge.js'
import {runSweep} from '../../src/sweep/run.js'
import {deps, options, tmpDir} from './helpers.js'

const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && e.exitCode === 2 && re.test(e.message) && !e.message.includes('\n')
const lockOf = (dir: string, over: Record<string, unknown>) =>
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({pid: process.pid, host: os.hostname(), started_at: '2026-01-01T00:00:00.000Z', command: 'sweep', ...over}))

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
  return Number(r.stdout)
}

describe('sweep.lock', () => {
  it('a second writer is refused until the first releases; the file names pid and host', () => {
    const dir = tmpDir('lock')
    const notes: string[] = []
    const a = lockSweepDir(dir, '--out', 'sweep', (l) => notes.push(l))
    const held = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'))
    assert.equal(held.pid, process.pid)
    assert.equal(held.host, os.hostname())
    assert.throws(() => lockSweepDir(dir, '--out', 'sweep', () => undefined), userError(new RegExp(`^--out .*: another sweep is writing there \\(pid ${process.pid} on `)))
    a.release()
    a.release()
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false)
    lockSweepDir(dir, '--out', 'sweep', () => undefined).release()
    assert.deepEqual(notes, [])
  })

  it('a lock of a process that is gone is taken over with one note', () => {
    const dir = tmpDir('stale')
    const pid = deadPid()
    lockOf(dir, {pid})
    const notes: string[] = []
    const l = lockSweepDir(dir, '--out', 'sweep', (line) => notes.push(line))
    assert.equal(notes.length, 1)
    assert.match(notes[0], new RegExp(`sweep\\.lock: took over the lock of pid ${pid} on .*, which is no longer running$`))
    assert.equal(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid, process.pid)
    l.release()
  })

  it('a live process, another host, or a file effscale did not write: refused', async () => {
    const dir = tmpDir('live')
    const child = spawn('sleep', ['30'])
    try {
      lockOf(dir, {pid: child.pid})
      assert.throws(() => lockSweepDir(dir, '--out', 'sweep', () => undefined), userError(new RegExp(`another sweep is writing there \\(pid ${child.pid} on `)))
      // The sweep refuses before writing anything.
      await assert.rejects(runSweep(options(dir), deps()), userError(/another sweep is writing there/))
      assert.equal(existsSync(path.join(dir, 'results.jsonl')), false)
      assert.equal(existsSync(path.join(dir, 'run.json')), false)
    } finally {
      child.kill()
    }
    lockOf(dir, {host: 'elsewhere.example'})
    assert.throws(() => lockSweepDir(dir, '--out', 'sweep', () => undefined), userError(/locked by another host \(pid \d+ on elsewhere\.example, sweep since .*\); if that sweep is gone, delete .*sweep\.lock$/))
    writeFileSync(path.join(dir, LOCK_FILE), 'not json')
    assert.throws(() => lockSweepDir(dir, '--out', 'sweep', () => undefined), userError(/sweep\.lock is not a lock effscale wrote/))
  })

  it('a sweep and a merge release the lock when they finish, also when refused', async () => {
    const dir = tmpDir('release')
    await runSweep(options(dir), deps())
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false)
    await assert.rejects(runSweep(options(dir), deps()), userError(/already holds sweep results/))
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false)
    const out = path.join(tmpDir('merge-lock'), 'o')
    mergeSweeps([dir], out)
    assert.equal(existsSync(path.join(out, LOCK_FILE)), false)
  })
})
