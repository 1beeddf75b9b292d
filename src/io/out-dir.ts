/**
 * Output directories for every command that writes. Node's `mkdirSync(p, {recursive: true})`
 * loops forever under /proc (mkdir there answers ENOENT, so it retries the parent, which
 * exists, then the child again), in C++ where no signal handler can run. Here each missing
 * component is created once, and kernel pseudo filesystems are refused before any mkdir.
 */
import {accessSync, constants, mkdirSync, statfsSync, statSync} from 'node:fs'
import path from 'node:path'
import {ioError, IoError, EXIT} from '../errors.js'

/** Linux statfs f_type of filesystems that hold kernel state, never user files (linux/magic.h). */
const PSEUDO_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x65735543, 'fusectl'],
  [0x1cd1, 'devpts'],
  [0xf97cff8c, 'selinuxfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x6e736673, 'nsfs'],
])

/** The pseudo filesystem `existing` (a path that exists) lies on, if any. */
export function pseudoFilesystem(existing: string): string | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    return PSEUDO_FS.get(Number(statfsSync(existing).type))
  } catch {
    return undefined
  }
}

/** Refuse a directory that exists on a pseudo filesystem; `at` starts the error line. */
export function refusePseudoFs(existing: string, at: string): void {
  const fs = pseudoFilesystem(existing)
  if (fs) throw new IoError(`${at}: ${existing} is on the ${fs} pseudo filesystem (kernel state, not files); choose another place`, undefined, EXIT.usage)
}

/** The deepest ancestor of `abs` (itself included) that exists, and the components below it. */
function splitExisting(abs: string, at: string): {existing: string; missing: string[]} {
  const missing: string[] = []
  let p = abs
  for (;;) {
    try {
      statSync(p)
      return {existing: p, missing}
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // ENOTDIR: a file further up, named below as "not a directory".
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(p) === p) throw ioError(`${at}: cannot use ${p}`, error)
      missing.unshift(p)
      p = path.dirname(p)
    }
  }
}

/**
 * Create `dir` (and missing parents) and check it is writable; else a one-line IoError
 * starting with `flag dir` (exit 2 for a bad path, 1 for a machine fault).
 */
export function ensureOutDir(dir: string, flag: string): void {
  makeDir(dir, `${flag} ${dir}`)
}

/** ensureOutDir for the directory of an output file given as `flag file`. */
export function ensureParentDir(file: string, flag: string): void {
  makeDir(path.dirname(path.resolve(file)), `${flag} ${file}`)
}

/**
 * ensureOutDir's checks that create nothing (pseudo filesystem, not a directory, not writable),
 * so that a command refuses a bad `flag dir` before its slow work, and before reading its inputs.
 */
export function checkOutDir(dir: string, flag: string): void {
  const at = `${flag} ${dir}`
  const {existing} = splitExisting(path.resolve(dir), at)
  refusePseudoFs(existing, at)
  if (!statSync(existing).isDirectory()) throw new IoError(`${at}: ${existing} is not a directory (ENOTDIR)`, 'ENOTDIR', EXIT.usage)
  try {
    accessSync(existing, constants.W_OK)
  } catch (error) {
    throw ioError(`${at}: cannot write there`, error)
  }
}

function makeDir(dir: string, at: string): void {
  const abs = path.resolve(dir)
  const {existing, missing} = splitExisting(abs, at)
  refusePseudoFs(existing, at)
  if (!statSync(existing).isDirectory()) throw new IoError(`${at}: ${existing} is not a directory (ENOTDIR)`, 'ENOTDIR', EXIT.usage)
  for (const p of missing) {
    try {
      mkdirSync(p)
    } catch (error) {
      // Another process may create the same directory at the same moment.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(p, {throwIfNoEntry: false})?.isDirectory()) continue
      throw ioError(`${at}: cannot create ${p}`, error)
    }
  }
  try {
    accessSync(abs, constants.W_OK)
  } catch (error) {
    throw ioError(`${at}: cannot write there`, error)
  }
}
