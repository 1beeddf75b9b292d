/**
 * One writer per sweep directory: DIR/sweep.lock holds the writer's pid, host and start time.
 * A second writer is refused at once (exit 2). A lock left by a process that is gone (kill -9,
 * a crash) is taken over with a note; one from another host cannot be checked from here, so it
 * is refused with the way out in the message.
 */
import {linkSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {ioError, UserError} from '../errors.js'
import {tempName} from '../io/write.js'

export const LOCK_FILE = 'sweep.lock'

export interface LockOwner {
  pid: number
  host: string
  started_at: string
  command: string
}

export interface DirLock {
  /** Remove the lock (only if it is still ours). Idempotent. */
  release(): void
}

/** Is a process with this pid running on this host? (EPERM: it runs, as another user.) */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOwner(file: string): {text: string; owner: LockOwner | undefined} | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined // gone in between: try again
  }
  try {
    const o = JSON.parse(text) as LockOwner
    return {text, owner: Number.isInteger(o.pid) && typeof o.host === 'string' ? o : undefined}
  } catch {
    return {text, owner: undefined}
  }
}

/**
 * Take DIR's lock for `command` or throw a one-line UserError starting with `flag DIR`.
 * `note` gets one line when a stale lock is taken over. The lock is also removed on
 * process.exit (a second Ctrl-C); only kill -9 leaves it behind, for the next run to take over.
 */
export function lockSweepDir(dir: string, flag: string, command: string, note: (line: string) => void): DirLock {
  const file = path.join(dir, LOCK_FILE)
  const me: LockOwner = {pid: process.pid, host: os.hostname(), started_at: new Date().toISOString(), command}
  const mine = JSON.stringify(me) + '\n'
  const at = `${flag} ${dir}`
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(file, mine, at)) return held(file, mine)
    const seen = readOwner(file)
    if (!seen) continue
    const {owner} = seen
    if (!owner) throw new UserError(`${at}: ${file} is not a lock effscale wrote; if no sweep writes here, delete it`)
    const who = `pid ${owner.pid} on ${owner.host}, ${owner.command} since ${owner.started_at}`
    if (owner.host !== me.host) {
      throw new UserError(`${at}: locked by another host (${who}); if that sweep is gone, delete ${file}`)
    }
    // Our own pid in a lock this process does not hold: a previous process of the same pid (a container restart).
    const running = owner.pid === process.pid ? heldHere.has(path.resolve(file)) : alive(owner.pid)
    if (running) throw new UserError(`${at}: another sweep is writing there (${who}); wait for it or choose another --out`)
    if (takeOver(file, seen.text)) note(`${file}: took over the lock of ${who}, which is no longer running`)
  }
  throw new UserError(`${at}: another sweep is taking ${file} at the same moment; try again`)
}

/** Create the lock with its whole content, atomically, only if there is none. */
function create(file: string, text: string, at: string): boolean {
  const tmp = tempName(file)
  try {
    writeFileSync(tmp, text)
    linkSync(tmp, file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw ioError(`${at}: cannot create ${file}`, error)
  } finally {
    rmSync(tmp, {force: true})
  }
}

/**
 * Move a stale lock aside, checking it is still the one judged stale: another process taking
 * it over at the same moment may already have replaced it, and that one must stay.
 */
function takeOver(file: string, staleText: string): boolean {
  const aside = `${file}.stale-${process.pid}`
  try {
    renameSync(file, aside)
  } catch {
    return false
  }
  const moved = readOwner(aside)?.text
  if (moved !== staleText) {
    try {
      linkSync(aside, file) // put back the lock of whoever took it first
    } catch {
      // A third process created a lock meanwhile: it holds the directory.
    }
  }
  rmSync(aside, {force: true})
  return moved === staleText
}

/** Locks this process holds (two sweeps in one process, as tests run them, share a pid). */
const heldHere = new Set<string>()

function held(file: string, mine: string): DirLock {
  const key = path.resolve(file)
  heldHere.add(key)
  let released = false
  const release = () => {
    if (released) return
    released = true
    heldHere.delete(key)
    process.off('exit', release)
    try {
      if (readOwner(file)?.text === mine) rmSync(file, {force: true})
    } catch {
      // Left behind, it is stale: the next run takes it over with a note.
    }
  }
  process.on('exit', release)
  return {release}
}
