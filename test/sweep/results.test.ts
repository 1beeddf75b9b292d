import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'
import {UserError} from '../../src/errors.js'
import {parseResultsJsonl, readSweepDir} from '../../src/sweep/results.js'
import {sweepRow} from '../budget/helpers.js'

const line = (over: Record<string, unknown> = {}) => JSON.stringify(sweepRow(over))

describe('results.jsonl: the one reader', () => {
  it('an unterminated last line that is not whole JSON is skipped with a warning', () => {
    const text = `${line()}\n${line({key: 'k2'})}\n{"key": "tru`
    const r = parseResultsJsonl(text, 'r.jsonl')
    assert.deepEqual(r.records.map((x) => x.key), ['variant/efficientnet-b0/b1/fp32', 'k2'])
    assert.equal(r.truncated, true)
    assert.deepEqual(r.warnings, ['r.jsonl:3: skipped an unterminated last line (a sweep stopped mid-write?)'])
    // A whole record without its newline is a record.
    assert.equal(parseResultsJsonl(line(), 'r.jsonl').records.length, 1)
  })

  it('a bad line that is not the last is an error naming file and line', () => {
    assert.throws(() => parseResultsJsonl(`{"key"\n${line()}\n`, 'r.jsonl'), /^Error: r\.jsonl:1: not valid JSON$/)
    assert.throws(() => parseResultsJsonl('[1]\n', 'r.jsonl'), /r\.jsonl:1: not a JSON object/)
    assert.throws(() => parseResultsJsonl(`${line({macs: '1G'})}\n`, 'r.jsonl'), /r\.jsonl:1: not a sweep record \("macs" missing or not a number\)/)
    assert.equal(parseResultsJsonl(`${line({p50_ms: null, status: 'failed'})}\n`, 'r.jsonl').records.length, 1)
  })

  it('readSweepDir: one-line UserErrors naming the input', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'effscale-results-'))
    const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && re.test(e.message)
    assert.throws(() => readSweepDir(path.join(tmp, 'nope'), '--sweep'), userError(/^--sweep .*nope: no such directory$/))
    writeFileSync(path.join(tmp, 'f'), '')
    assert.throws(() => readSweepDir(path.join(tmp, 'f'), '--sweep'), userError(/: not a directory$/))
    assert.throws(() => readSweepDir(tmp, '--sweep'), userError(/: no results\.jsonl/))
    writeFileSync(path.join(tmp, 'results.jsonl'), `${line()}\nnot json\n`)
    assert.throws(() => readSweepDir(tmp, '--sweep'), userError(/^--sweep .*results\.jsonl:2: not valid JSON$/))
  })
})
