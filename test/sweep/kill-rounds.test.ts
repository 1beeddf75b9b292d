/**
 * The real command, killed with SIGKILL ten times across a sweep in rounds, each time resumed:
 * nothing finished is lost (both files only grow, by whole lines), nothing is timed twice.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {it} from 'node:test'
import {PACKAGE_ROOT} from '../../src/paths.js'
import type {RoundRun} from '../../src/sweep/rounds.js'
import {readRecords} from '../../src/sweep/store.js'
import {tinyGrid, tmpDir} from './helpers.js'

const BIN = path.join(PACKAGE_ROOT, 'bin', 'run.js')
/** The file up to its last newline: what a reader keeps of it. */
const whole = (file: string) => {
  if (!existsSync(file)) return ''
  const t = readFileSync(file, 'utf8')
  return t.slice(0, t.lastIndexOf('\n') + 1)
}

/** Runs the sweep; kills it `delayMs` after its first round line, unless it ends first. Resolves to the exit code (null when killed). */
function runAndKill(args: string[], delayMs: number | undefined): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'sweep', ...args], {stdio: ['ignore', 'ignore', 'pipe']})
    let armed = false
    child.stderr.on('data', (b: Buffer) => {
      if (delayMs !== undefined && !armed && /^round /m.test(b.toString())) {
        armed = true
        setTimeout(() => child.kill('SIGKILL'), delayMs)
      }
    })
    child.on('exit', (code) => resolve(code))
  })
}

it('kill -9 ten times across a sweep in rounds, --resume each time: no finished round or point lost, none twice', {timeout: 240_000}, async () => {
  const dir = tmpDir('kill10')
  const out = path.join(dir, 'out')
  const args = ['--grid', tinyGrid(dir), '--ep', 'cpu', '--runs', '5', '--warmup', '0', '--min-time-ms', '0', '--max-rounds', '6', '--cache', path.join(dir, 'cache'), '--out', out]
  const kept: Array<{runs: string; results: string}> = []
  let kills = 0
  for (let i = 0; i < 10; i++) {
    const code = await runAndKill(i === 0 ? args : [...args, '--resume'], 150 + 170 * i)
    if (code !== null) break // finished before the kill landed
    kills++
    kept.push({runs: whole(path.join(out, 'runs.jsonl')), results: whole(path.join(out, 'results.jsonl'))})
  }
  assert.ok(kills >= 5, `only ${kills} kills landed mid-sweep`)
  assert.equal(await runAndKill([...args, '--resume'], undefined), 0)

  const runs = readFileSync(path.join(out, 'runs.jsonl'), 'utf8')
  const results = readFileSync(path.join(out, 'results.jsonl'), 'utf8')
  for (const k of kept) {
    assert.ok(runs.startsWith(k.runs), 'runs.jsonl only grew after a kill')
    assert.ok(results.startsWith(k.results), 'results.jsonl only grew after a kill')
  }
  const lines = runs.trim().split('\n').map((l) => JSON.parse(l) as RoundRun)
  const byKey = new Map<string, number[]>()
  for (const l of lines) (byKey.get(l.key) ?? byKey.set(l.key, []).get(l.key)!).push(l.round)
  const records = readRecords(out).records
  assert.equal(records.length, 8)
  assert.equal(new Set(records.map((r) => r.key)).size, 8)
  for (const r of records) {
    const rounds = byKey.get(r.runs_key!)!.sort((a, b) => a - b)
    // Rounds 1…R, each once: none lost to a kill, none timed twice after one.
    assert.deepEqual(rounds, Array.from({length: rounds.length}, (_, i) => i + 1), r.key)
    assert.equal(r.rounds, rounds.length)
    assert.ok(r.rounds >= 6)
  }
})
