import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {PACKAGE_ROOT} from '../../src/paths.js'

export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
}

/** Run the real CLI (bin/run.js over dist/) as a user would. */
export function runCli(args: string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string} = {}): CliRun {
  const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'run.js'), ...args], {
    cwd: opts.cwd ?? PACKAGE_ROOT,
    env: {...process.env, NO_COLOR: '1', ...opts.env},
    input: opts.input,
    encoding: 'utf8',
  })
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

/** A user error: exit 2, one line on stderr that matches, no stack trace. */
export function assertUsageError(args: string[], message: RegExp): void {
  const r = runCli(args)
  assert.equal(r.status, 2, `exit code of ${args.join(' ')}: ${r.stderr}`)
  const lines = r.stderr.trim().split('\n')
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`)
  assert.match(lines[0], message)
  assert.doesNotMatch(r.stderr, /\n\s+at /)
}
