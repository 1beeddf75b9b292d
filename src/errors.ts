/** Exit codes, one table for every command. */
export const EXIT = {
  ok: 0,
  /** A budget check found a figure over its limit. */
  overBudget: 1,
  /** Bad flags, files or values: the user's input, not effscale, is wrong. */
  usage: 2,
} as const

/**
 * An error caused by the user's input. Commands print its one-line message (no stack)
 * and exit with EXIT.usage.
 */
export class UserError extends Error {
  readonly exitCode: number = EXIT.usage
  constructor(message: string) {
    super(message)
    this.name = 'UserError'
  }
}

/** Closest candidate by edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestD) [best, bestD] = [c, d]
  }
  return best !== undefined && bestD <= Math.max(3, Math.floor(word.length / 2)) ? best : undefined
}

export function unknownName(kind: string, name: string, candidates: readonly string[]): UserError {
  const hint = closest(name, candidates)
  return new UserError(
    `unknown ${kind} "${name}"${hint ? ` — did you mean "${hint}"?` : ''} (known: ${candidates.join(', ')})`,
  )
}

function editDistance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]
}
