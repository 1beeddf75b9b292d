import {UserError} from '../errors.js'

/** Decimal numbers only: Number() would also read "0x10" as 16, "0b1" and "Infinity". */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
/** A multiplier is written out: no exponent ("1e-9" is a typo or a probe, never a width). */
const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/

/** Parse a number given on the command line; the error names the flag. */
export function parseNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const t = text.trim()
  const n = DECIMAL.test(t) ? Number(t) : NaN
  if (!Number.isFinite(n)) throw new UserError(`${flag} must be a number, got "${text}"`)
  return n
}

/** A scaling multiplier or coefficient: a finite, plain decimal number like 1.4 or 0.75. */
export function parseMultiplier(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!PLAIN_DECIMAL.test(text.trim())) throw new UserError(`${flag} must be a number written as a plain decimal like 1.4, got "${text}"`)
  return parseNumber(flag, text)
}

export function parsePositiveInt(flag: string, text: string | undefined): number | undefined {
  const n = parseNumber(flag, text)
  if (n !== undefined && (!Number.isInteger(n) || n <= 0)) throw new UserError(`${flag} must be a whole number > 0, got "${text}"`)
  return n
}

/** Byte sizes: SI and binary units. */
export const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1, B: 1,
  k: 1e3, K: 1e3, kB: 1e3, KB: 1e3, M: 1e6, MB: 1e6, G: 1e9, GB: 1e9, T: 1e12, TB: 1e12,
  KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40,
}

/** SI multipliers of a plain count ("B" = billion, as in "5B params"). */
export const COUNT_UNITS: Readonly<Record<string, number>> = {'': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, B: 1e9, T: 1e12}

/** "1.5 GiB" and a table of units → 1.5 × units.GiB; undefined when not a number with one of those units. */
export function withUnit(text: string, units: Readonly<Record<string, number>>): number | undefined {
  const m = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([A-Za-z]*)\s*$/.exec(text)
  return m && Object.hasOwn(units, m[2]) ? Number(m[1]) * units[m[2]] : undefined
}

/** "400M", "1.2G", "5.5M", 6000000 → number. */
export function parseHuman(what: string, value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UserError(`${what} must be a number, got ${value}`)
    return value
  }
  const n = withUnit(value, COUNT_UNITS)
  if (n === undefined) throw new UserError(`${what}: "${value}" is not a number or a number with a unit (k, M, G, T)`)
  return n
}

/** 385814752 → "385.8M", 5288548 → "5.29M". */
export function human(n: number): string {
  const abs = Math.abs(n)
  for (const [unit, scale] of [['T', 1e12], ['G', 1e9], ['M', 1e6], ['K', 1e3]] as const) {
    if (abs >= scale) {
      const v = n / scale
      return `${v.toFixed(Math.abs(v) >= 100 ? 1 : 2)}${unit}`
    }
  }
  return Number.isInteger(n) ? String(n) : n.toFixed(2)
}

/** 385814752 → "385,814,752". */
export const grouped = (n: number): string => n.toLocaleString('en-US')

/** Bytes → "20.2 MiB". */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  let v = n
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`
}
