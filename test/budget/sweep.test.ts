import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {findLatency, indexRecords, parseResults} from '../../src/budget/sweep.js'
import {sweepRow} from './helpers.js'

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

describe('latency from sweep results', () => {
  const rows = [
    sweepRow({}),
    sweepRow({key: 'variant/efficientnet-b0/b16/fp32', infer_batch_size: 16, p50_ms: 30}),
    sweepRow({key: 'variant/efficientnet-b0/b1/fp32/uint8', input: 'uint8-nhwc', p50_ms: 4.6}),
    sweepRow({key: 'variant/efficientnet-b3/b1/fp32', model: 'efficientnet-b3', status: 'failed', error: 'CUDA out of memory', p50_ms: null}),
    sweepRow({key: 'width/w1.4', model: 'efficientnet-b0 w=1.4', p50_ms: 6, p99_ms: 9}),
  ]
  const index = indexRecords(parseResults(jsonl(rows), 'results.jsonl').records)

  it('matches label + batch + dtype; several records → the slowest', () => {
    assert.deepEqual(findLatency(index, {models: ['efficientnet-b0'], batch: 1, dtype: 'fp32', stat: 'p50'}), {ok: true, ms: 4.6, records: 2})
    assert.deepEqual(findLatency(index, {models: ['efficientnet-b0'], batch: 16, dtype: 'fp32', stat: 'p50'}), {ok: true, ms: 30, records: 1})
  })

  it('merges the records of several names of one target', () => {
    const phi = indexRecords(parseResults(jsonl([sweepRow({key: 'compound/phi1', model: 'efficientnet-b0 φ=1', p50_ms: 5.5})]), 'r').records)
    assert.deepEqual(findLatency(phi, {models: ['efficientnet-b0 d=1.2 w=1.1 r=1.152', 'efficientnet-b0 φ=1'], batch: 1, dtype: 'fp32', stat: 'p50'}), {ok: true, ms: 5.5, records: 1})
  })

  it('p50 of a sweep timed in rounds comes with its interval (of the slowest record); other statistics without', () => {
    const r = indexRecords(parseResults(jsonl([sweepRow({p50_ms: 4, ci_lo_ms: 3.8, ci_hi_ms: 4.3}), sweepRow({key: 'b', p50_ms: 3, ci_lo_ms: 2.9, ci_hi_ms: 3.1})]), 'r').records)
    assert.deepEqual(findLatency(r, {models: ['efficientnet-b0'], batch: 1, dtype: 'fp32', stat: 'p50'}), {ok: true, ms: 4, records: 2, ci: {lo: 3.8, hi: 4.3}})
    assert.equal('ci' in findLatency(r, {models: ['efficientnet-b0'], batch: 1, dtype: 'fp32', stat: 'p99'}), false)
  })

  it('matches by key and reads the chosen statistic', () => {
    assert.deepEqual(findLatency(index, {models: ['width/w1.4'], batch: 1, dtype: 'fp32', stat: 'p99'}), {ok: true, ms: 9, records: 1})
  })

  it('a missing measurement says what was measured instead', () => {
    const r = findLatency(index, {models: ['efficientnet-b0'], batch: 1, dtype: 'fp16', stat: 'p50'})
    assert.equal(r.ok, false)
    assert.match((r as {why: string}).why, /no latency measurement for efficientnet-b0 at batch 1 fp16 \(measured only at batch 1 fp32, batch 16 fp32\)/)
    const none = findLatency(index, {models: ['resnet-50'], batch: 1, dtype: 'fp32', stat: 'p50'})
    assert.match((none as {why: string}).why, /model not in the sweep/)
  })

  it('a failed measurement is not a pass', () => {
    const r = findLatency(index, {models: ['efficientnet-b3'], batch: 1, dtype: 'fp32', stat: 'p50'})
    assert.deepEqual(r, {ok: false, why: 'measurement of efficientnet-b3 at batch 1 fp32 failed: CUDA out of memory'})
  })

  it('skips an unterminated last line with a warning; rejects other bad lines', () => {
    const text = jsonl(rows.slice(0, 2)) + '{"key": "trunc'
    const r = parseResults(text, 'r.jsonl')
    assert.equal(r.records.length, 2)
    assert.deepEqual(r.warnings, ['r.jsonl:3: skipped an unterminated last line (a sweep stopped mid-write?)'])
    assert.throws(() => parseResults('{"key": "x"\n' + jsonl(rows), 'r.jsonl'), /^Error: r\.jsonl:1: not valid JSON$/)
    assert.throws(() => parseResults('{"key": "x", "model": "m"}\n', 'r.jsonl'), /r\.jsonl:1: not a sweep record \("infer_batch_size" missing/)
  })
})
