/** Exit codes, one table for every command. */
export const EXIT = {
  ok: 0,
  /** A budget check found a figure over its limit. */
  overBudget: 1,
  /** `sweep`: a point failed; `sweep merge`: a grid point has no record. Everything measured is written. */
  incomplete: 1,
  /** The machine failed (disk full, I/O error; IO_ERRORS below): what was written before is intact. */
  machineFault: 1,
  /** Bad flags, files or values: the user's input, not effscale, is wrong. */
  usage: 2,
} as const

/**
 * I/O errors by errno: the cause printed and the exit code. A path the user chose that cannot
 * be used (missing, not a directory, not writable, read-only) is their input: exit 2. A machine
 * that runs out of space, quota or descriptors, or fails a read or write: exit 1. An errno not
 * listed is taken as a machine fault.
 */
export const IO_ERRORS: Readonly<Record<string, {cause: string; exit: number}>> = {
  ENOENT: {cause: 'no such file or directory', exit: EXIT.usage},
  ENOTDIR: {cause: 'a part of the path is not a directory', exit: EXIT.usage},
  EISDIR: {cause: 'is a directory', exit: EXIT.usage},
  EEXIST: {cause: 'already exists', exit: EXIT.usage},
  EACCES: {cause: 'permission denied', exit: EXIT.usage},
  EPERM: {cause: 'operation not permitted', exit: EXIT.usage},
  EROFS: {cause: 'read-only file system', exit: EXIT.usage},
  ENAMETOOLONG: {cause: 'name too long', exit: EXIT.usage},
  ELOOP: {cause: 'too many levels of symbolic links', exit: EXIT.usage},
  ENOSPC: {cause: 'no space left on device', exit: EXIT.machineFault},
  EDQUOT: {cause: 'disk quota exceeded', exit: EXIT.machineFault},
  EFBIG: {cause: 'file too large', exit: EXIT.machineFault},
  EIO: {cause: 'input/output error', exit: EXIT.machineFault},
  EMFILE: {cause: 'too many open files', exit: EXIT.machineFault},
  ENFILE: {cause: 'too many open files in the system', exit: EXIT.machineFault},
  ENOMEM: {cause: 'out of memory', exit: EXIT.machineFault},
  EBUSY: {cause: 'device or resource busy', exit: EXIT.machineFault},
}

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

/**
 * A failed read or write, as one line naming the path and the cause. Printed like a UserError
 * (no stack); its exit code comes from IO_ERRORS: 2 for a bad path, 1 for a machine fault.
 */
export class IoError extends UserError {
  override readonly exitCode: number
  readonly code: string | undefined
  constructor(message: string, code: string | undefined, exitCode: number) {
    super(message)
    this.name = 'IoError'
    this.code = code
    this.exitCode = exitCode
  }
}

/**
 * `what` ("--out runs/x: cannot write runs/x/results.jsonl") + the errno's cause → IoError.
 * A UserError passes through unchanged (it already names its input).
 */
export function ioError(what: string, error: unknown): UserError {
  if (error instanceof UserError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const known = code === undefined ? undefined : IO_ERRORS[code]
  const cause = known?.cause ?? firstLine(error)
  return new IoError(`${what}: ${cause}${code ? ` (${code})` : ''}`, code, known?.exit ?? EXIT.machineFault)
}

/** A raw Node fs error that reached a command (no call site named it): one line naming its path. */
export function fsErrorLine(error: unknown): IoError | undefined {
  const e = error as NodeJS.ErrnoException | undefined
  if (!(e instanceof Error) || typeof e.code !== 'string' || !/^E[A-Z0-9]+$/.test(e.code) || e.syscall === undefined) return undefined
  return ioError(`cannot ${e.syscall}${e.path ? ` ${e.path}` : ''}`, e) as IoError
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]

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
