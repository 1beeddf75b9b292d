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
