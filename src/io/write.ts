/**
 * File writes for every command. Whole files go through a temp file renamed over the target:
 * a reader never sees half a file, and a failed write leaves the old file and no temp file.
 * Records are appended whole or not at all, and fsynced before anyone is told they exist.
 * Every failure is one IoError line starting with the caller's `what`.
 */
import {closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs'
import path from 'node:path'
import {EXIT, IoError, ioError} from '../errors.js'
import {refusePseudoFs} from './out-dir.js'

/** The temp file a write of `file` uses (same directory, so the rename is atomic). */
export const tempName = (file: string) => `${file}.${process.pid}.tmp`

/** Write `data` to `file` (temp + rename); `what` ("--csv out.csv: cannot write") starts the error line. */
export function writeFileAtomic(file: string, data: string | Uint8Array, what: string): void {
  let existing
  try {
    existing = statSync(file, {throwIfNoEntry: false})
  } catch (error) {
    throw ioError(what, error)
  }
  if (existing?.isDirectory()) throw new IoError(`${what}: is a directory (EISDIR)`, 'EISDIR', EXIT.usage)
  if (existing && !existing.isFile()) {
    // A device or pipe (/dev/stdout): renaming over it would replace it, so write through.
    try {
      return writeFileSync(file, data)
    } catch (error) {
      throw ioError(what, error)
    }
  }
  let target = file
  try {
    // Through a symlink to a regular file, replace the file, not the link.
    if (existing) target = realpathSync(file)
  } catch (error) {
    throw ioError(what, error)
  }
  refusePseudoFs(path.dirname(path.resolve(target)), what)
  const tmp = tempName(target)
  try {
    writeFileSync(tmp, data)
    renameSync(tmp, target)
  } catch (error) {
    removeQuietly(tmp)
    throw ioError(what, error)
  }
}

/**
 * Write `pieces` one after another to `file` (temp + rename), none copied: a model's external
 * data can pass what one Buffer holds. `what` starts the error line.
 */
export function writePiecesAtomic(file: string, pieces: Uint8Array[], what: string): void {
  const tmp = tempName(file)
  let fd: number | undefined
  try {
    fd = openSync(tmp, 'w')
    for (const p of pieces) {
      for (let off = 0; off < p.length; ) {
        const n = writeSync(fd, p, off, Math.min(p.length - off, 1 << 30))
        if (!(n > 0)) throw Object.assign(new Error(`wrote ${n} bytes`), {code: 'EIO'})
        off += n
      }
    }
    closeSync(fd)
    fd = undefined
    renameSync(tmp, file)
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd)
    removeQuietly(tmp)
    throw ioError(what, error)
  }
}

/** Writes some of `len` bytes of `buf` from `offset` to `fd`, returning how many (fs.writeSync's contract); injectable for tests. */
export type WriteFn = (fd: number, buf: Uint8Array, offset: number, len: number) => number

/**
 * Append `text` to `file` and fsync. A short write is continued; a failed one is cut off again
 * (the file keeps ending on a whole line) and thrown as one IoError line.
 */
export function appendDurable(file: string, text: string, what: string, write: WriteFn = writeSync): void {
  const buf = Buffer.from(text)
  let fd: number
  try {
    fd = openSync(file, 'a')
  } catch (error) {
    throw ioError(what, error)
  }
  let size = 0
  try {
    size = fstatSync(fd).size
    for (let off = 0; off < buf.length; ) {
      const n = write(fd, buf, off, buf.length - off)
      if (!(n > 0)) throw Object.assign(new Error(`wrote ${n} bytes`), {code: 'EIO'})
      off += n
    }
    fsyncSync(fd)
  } catch (error) {
    try {
      ftruncateSync(fd, size)
      fsyncSync(fd)
    } catch {
      // The write error is the one to report; the readers skip a torn last line anyway.
    }
    closeQuietly(fd)
    throw ioError(what, error)
  }
  try {
    closeSync(fd)
  } catch (error) {
    throw ioError(what, error)
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, {force: true})
  } catch {
    // Nothing more can be done about a temp file the disk will not let go of.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Already failing: the first error is the one reported.
  }
}
