/** One writer per sweep directory, with two real `effscale sweep` processes. */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {PACKAGE_ROOT} from '../../src/paths.js'
import {readRecords} from '../../src/sweep/store.js'
import {assertRefusal, runMeasured} from '../helpers/measured.js'
import {tinyGrid, tmpDir} from './helpers.js'

describe('two sweeps on one --out', () => {
  it('the second exits 2 at once; after kill -9 of the first, --resume takes the lock over with a note', async () => {
    const dir = tmpDir('lock-cli')
    const out = path.join(dir, 'out')
    const common = ['sweep', '--grid', tinyGrid(dir), '--ep', 'cpu', '--warmup', '0', '--cache', path.join(dir, 'cache'), '--out', out]
    // The first sweep times its first point for a minute: it holds the lock while the second starts.
    const first = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'run.js'), ...common, '--runs', '1', '--min-time-ms', '60000'], {stdio: 'ignore'})
    try {
      for (let i = 0; i < 600 && !existsSync(path.join(out, 'run.json')); i++) await sleep(100)
      assert.ok(existsSync(path.join(out, 'sweep.lock')), 'the first sweep has started')
      const second = runMeasured([...common, '--runs', '1', '--min-time-ms', '0'])
      assertRefusal(second, 2, new RegExp(`^effscale: --out .*out: another sweep is writing there \\(pid ${first.pid} on .*, sweep since .*\\); wait for it or choose another --out$`))
      assert.equal(first.exitCode, null, 'the first sweep is still running')
    } finally {
      first.kill('SIGKILL')
      await new Promise((resolve) => (first.exitCode !== null || first.signalCode !== null ? resolve(undefined) : first.on('exit', resolve)))
    }
    assert.ok(existsSync(path.join(out, 'sweep.lock')), 'kill -9 leaves the lock behind')
    const resumed = runMeasured([...common, '--runs', '2', '--min-time-ms', '0', '--resume', '--json'])
    assert.equal(resumed.status, 0, resumed.stderr)
    assert.match(resumed.stderr.trim(), new RegExp(`^effscale: .*sweep\\.lock: took over the lock of pid ${first.pid} on .*, which is no longer running$`))
    const keys = readRecords(out).records.map((r) => r.key)
    assert.equal(keys.length, 8)
    assert.equal(new Set(keys).size, 8)
    assert.equal(existsSync(path.join(out, 'sweep.lock')), false)
  })
})
