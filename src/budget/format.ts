import {bytes, human} from '../cli/numbers.js'
import type {Unit} from './figures.js'

/** A figure or limit for people: "385.8M", "20.2 MiB", "4.21 ms". */
export function formatValue(unit: Unit, n: number): string {
  if (unit === 'bytes') return bytes(n)
  if (unit === 'ms') return `${n.toFixed(2)} ms`
  return human(n)
}

/** Headroom as a signed percentage of the limit: "+3.5%" within, "-3.1%" over. */
export function formatMargin(margin: number | null): string {
  if (margin === null) return '—'
  return `${margin >= 0 ? '+' : ''}${(margin * 100).toFixed(1)}%`
}
