/**
 * One reader of sweep directories: every rule of src/sweep/results.ts, once, through every
 * command that reads a sweep directory (--resume, sweep merge, report, check, search), which
 * must all come to the same answer.
 */
import assert from 'node:assert/strict'
import {appendFileSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {runCheck} from '../../src/budget/check.js'
import {UserError} from '../../src/errors.js'
import {loadSweep} from '../../src/report/sweep.js'
import {readSweepRecords} from '../../src/search/measured.js'
import type {GridSpec} from '../../src/sweep/grid.js'
import {mergeSweeps} from '../../src/sweep/merge.js'
import {runSweep} from '../../src/sweep/run.js'
import {deps, options, tmpDir} from './helpers.js'

const MODELS = ['efficientnet-b0', 'efficientnet-b1', 'efficientnet-b2']
const grid = (): GridSpec => ({models: [...MODELS], batches: [1], dtype: 'fp32', input: 'float32-nchw'})

/** A finished sweep of grid() (3 records), fake-timed. */
async function sweepDir(name: string): Promise<string> {
  const dir = tmpDir(name)
  await runSweep(options(dir, {grid: grid()}), deps())
  return dir
}

const jsonl = (dir: string) => path.join(dir, 'results.jsonl')
const lines = (dir: string) => readFileSync(jsonl(dir), 'utf8').split('\n').filter(Boolean)
const rewrite = (dir: string, ls: string[], tail = '\n') => writeFileSync(jsonl(dir), ls.join('\n') + tail)

type Outcome = {records: number} | {refused: string}

/** What each reader makes of `dir`: how many records it reads, or the line it refuses with. --resume runs last (it writes). */
async function readers(dir: string): Promise<Record<string, Outcome>> {
  const attempt = async (f: () => number | Promise<number>): Promise<Outcome> => {
    try {
      return {records: await f()}
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      assert.doesNotMatch(error.message, /\n/)
      return {refused: error.message}
    }
  }
  return {
    merge: await attempt(() => mergeSweeps([dir], path.join(tmpDir('merged'), 'o')).records),
    report: await attempt(() => loadSweep(dir).records.length),
    check: await attempt(() => checkedModels(dir)),
    search: await attempt(() => readSweepRecords(dir, 1).length),
    resume: await attempt(async () => (await runSweep(options(dir, {resume: true, grid: grid()}), deps())).skipped),
  }
}

/** check reads latencies, not a count: the models of the grid it found a latency for. */
async function checkedModels(dir: string): Promise<number> {
  const budget = path.join(tmpDir('budget'), 'budgets.json')
  writeFileSync(budget, JSON.stringify({budgets: MODELS.map((m) => ({name: m, model: m, maxLatencyMs: 1000}))}))
  const r = await runCheck({budget, sweep: dir})
  return r.rows.filter((x) => x.verdict === 'pass').length
}

function allRefuse(o: Record<string, Outcome>, re: RegExp): void {
  for (const [reader, outcome] of Object.entries(o)) {
    assert.ok('refused' in outcome, `${reader} read it: ${JSON.stringify(outcome)}`)
    assert.match(outcome.refused, re, reader)
  }
}

describe('sweep directory rules, the same for every reader', () => {
  it('a torn last line (kill -9 mid-write) is skipped by all; --resume cuts it and measures that point', async () => {
    const dir = await sweepDir('rule-torn')
    const [a, b, c] = lines(dir)
    rewrite(dir, [a, b, c.slice(0, 40)], '')
    const o = await readers(dir)
    assert.deepEqual(o, {merge: {records: 2}, report: {records: 2}, check: {records: 2}, search: {records: 2}, resume: {records: 2}})
    assert.equal(lines(dir).length, 3)
    assert.ok(readFileSync(jsonl(dir), 'utf8').endsWith('}\n'))
  })

  it('a whole last record without its newline is a record for all; --resume adds the newline, keeps the record', async () => {
    const dir = await sweepDir('rule-nonl')
    rewrite(dir, lines(dir), '')
    const o = await readers(dir)
    assert.deepEqual(o, {merge: {records: 3}, report: {records: 3}, check: {records: 3}, search: {records: 3}, resume: {records: 3}})
    assert.equal(lines(dir).length, 3)
  })

  it('a bad line before the last is refused by all, naming file and line', async () => {
    const dir = await sweepDir('rule-bad')
    const [a, b, c] = lines(dir)
    rewrite(dir, [a, b.slice(0, 30), c])
    allRefuse(await readers(dir), /results\.jsonl:2: not valid JSON$/)
  })

  it('a record outside the grid of run.json is refused by all (merge used to drop it)', async () => {
    const dir = await sweepDir('rule-stray')
    appendFileSync(jsonl(dir), JSON.stringify({...JSON.parse(lines(dir)[0]), key: 'stray-point'}) + '\n')
    allRefuse(await readers(dir), /results\.jsonl:4: point "stray-point" is not in the directory's grid \(run\.json: grid \w+, 3 points\)$/)
  })

  it('a point recorded twice is refused by all', async () => {
    const dir = await sweepDir('rule-dup')
    appendFileSync(jsonl(dir), lines(dir)[1] + '\n')
    allRefuse(await readers(dir), /results\.jsonl:4: point ".*" is recorded twice \(also line 2\)/)
  })

  it('records of another EP than run.json names are refused by all', async () => {
    const dir = await sweepDir('rule-ep')
    const [a, b, c] = lines(dir)
    rewrite(dir, [a, b, JSON.stringify({...JSON.parse(c), ep: 'cuda'})])
    allRefuse(await readers(dir), /results\.jsonl:3: measured on cuda, run\.json on cpu: a sweep directory holds one execution provider$/)
  })

  it('a run.json that is not JSON is refused by all', async () => {
    const dir = await sweepDir('rule-meta')
    writeFileSync(path.join(dir, 'run.json'), '{"grid": ')
    allRefuse(await readers(dir), /run\.json: not valid JSON$/)
  })
})
