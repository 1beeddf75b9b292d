/** A small tmpfs for disk-full and read-only tests (Linux, root); undefined where none can be mounted. */
import {spawnSync} from 'node:child_process'
import {closeSync, ftruncateSync, fstatSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface Tmpfs {
  dir: string
  unmount(): void
}

/** Mount a tmpfs with `options` (e.g. "size=64k", "ro,size=64k"). */
export function mountTmpfs(options: string): Tmpfs | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined
  const dir = mkdtempSync(path.join(os.tmpdir(), 'effscale-tmpfs-'))
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {encoding: 'utf8'})
  if (r.status !== 0) {
    rmSync(dir, {recursive: true, force: true})
    return undefined
  }
  return {
    dir,
    unmount: () => {
      spawnSync('umount', [dir])
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

/** Fill the filesystem of `dir` with one file, then free `leaveBytes` of it again (page granular). */
export function fillLeaving(dir: string, leaveBytes: number): void {
  const fd = openSync(path.join(dir, 'filler'), 'w')
  const chunk = Buffer.alloc(4096, 1)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  }
  ftruncateSync(fd, Math.max(0, fstatSync(fd).size - leaveBytes))
  closeSync(fd)
}
