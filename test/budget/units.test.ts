import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseLimit} from '../../src/budget/units.js'

describe('budget limits: units', () => {
  it('reads counts as numbers or with SI suffixes', () => {
    assert.equal(parseLimit('count', 6_000_000), 6e6)
    assert.equal(parseLimit('count', '400M'), 400e6)
    assert.equal(parseLimit('count', '1.2G'), 1.2e9)
    assert.equal(parseLimit('count', '5.5M'), 5.5e6)
    assert.equal(parseLimit('count', '800k'), 800e3)
    assert.equal(parseLimit('count', ' 2 B '), 2e9)
    assert.equal(parseLimit('count', '3e6'), 3e6)
    assert.equal(parseLimit('count', '12345'), 12345)
  })

  it('reads memory with SI and binary byte units', () => {
    assert.equal(parseLimit('bytes', '64MiB'), 64 * 2 ** 20)
    assert.equal(parseLimit('bytes', '1.5 GiB'), 1.5 * 2 ** 30)
    assert.equal(parseLimit('bytes', '20MB'), 20e6)
    assert.equal(parseLimit('bytes', '20M'), 20e6)
    assert.equal(parseLimit('bytes', '512B'), 512)
  })

  it('reads latency in milliseconds', () => {
    assert.equal(parseLimit('ms', 5), 5)
    assert.equal(parseLimit('ms', '5ms'), 5)
    assert.equal(parseLimit('ms', '0.5 s'), 500)
  })

  it('rejects negative, zero, non-finite and unitless garbage', () => {
    assert.throws(() => parseLimit('count', -5), /must be > 0, got -5/)
    assert.throws(() => parseLimit('count', '-400M'), /must be > 0, got "-400M"/)
    assert.throws(() => parseLimit('count', 0), /must be > 0/)
    assert.throws(() => parseLimit('count', Infinity), /finite/)
    assert.throws(() => parseLimit('count', '400X'), /"400X" is not a number or a number with a unit/)
    assert.throws(() => parseLimit('count', '64MiB'), /not a number or a number with a unit/)
    assert.throws(() => parseLimit('ms', '5M'), /milliseconds/)
    assert.throws(() => parseLimit('bytes', ''), /not a number of bytes/)
  })
})
