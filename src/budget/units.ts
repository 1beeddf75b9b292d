import {COUNT_UNITS, withUnit} from '../cli/numbers.js'
import type {Unit} from './figures.js'

const BYTES: Record<string, number> = {
  '': 1, B: 1,
  k: 1e3, K: 1e3, kB: 1e3, KB: 1e3, M: 1e6, MB: 1e6, G: 1e9, GB: 1e9, T: 1e12, TB: 1e12,
  KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40,
}
const MS: Record<string, number> = {'': 1, ms: 1, s: 1000}

const SUFFIXES: Record<Unit, Readonly<Record<string, number>>> = {count: COUNT_UNITS, bytes: BYTES, ms: MS}
const HINT: Record<Unit, string> = {
  count: 'a number or a number with a unit: k, M, G (= B), T — e.g. "400M"',
  bytes: 'a number of bytes or a number with a unit: kB, MB, GB, KiB, MiB, GiB — e.g. "64MiB"',
  ms: 'a number of milliseconds, e.g. 5 or "5ms"',
}

/**
 * A limit as written in a budget file → a number (> 0). Counts take SI suffixes ("400M",
 * "1.2G", "5.5M"); memory takes bytes with SI or binary suffixes; latency is milliseconds.
 * Throws an Error whose message the caller prefixes with the entry and field.
 */
export function parseLimit(unit: Unit, value: number | string): number {
  const n = typeof value === 'number' ? value : withUnit(value, SUFFIXES[unit])
  if (n === undefined) throw new Error(`"${value}" is not ${HINT[unit]}`)
  if (!Number.isFinite(n)) throw new Error(`must be a finite number, got ${value}`)
  if (n <= 0) throw new Error(`must be > 0, got ${typeof value === 'string' ? `"${value}"` : value}`)
  return n
}
