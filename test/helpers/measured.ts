/**
 * The real CLI in a child process, with its wall time, CPU time and peak memory (max RSS), the
 * last two read by the child itself at exit through a preloaded module (no /usr/bin/time needed).
 */
import assert from 'node:assert/strict'
import {spawnSync, type SpawnSyncOptions} from 'node:child_process'
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {PACKAGE_ROOT} from '../../src/paths.js'

export interface MeasuredRun {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Wall time, as the parent saw it. */
  ms: number
  /** CPU time (user + system) of the CLI process; NaN if it never reached exit. */
  cpuMs: number
  /** Peak resident memory of the CLI process, MB; NaN if it never reached exit. */
  maxRssMb: number
}

const preloadDir = mkdtempSync(path.join(os.tmpdir(), 'effscale-rss-'))
// Readable and writable for a CLI run as another user (the permission tests run it as nobody).
chmodSync(preloadDir, 0o1777)
const PRELOAD = path.join(preloadDir, 'rss.mjs')
writeFileSync(
  PRELOAD,
  `import {writeFileSync} from 'node:fs'\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.EFFSCALE_TEST_RSS_FILE, JSON.stringify({maxRSS: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime})) })\n`,
)
process.on('exit', () => rmSync(preloadDir, {recursive: true, force: true}))

let runs = 0

/** `effscale ARGS` with a timeout (a command that hangs fails the test instead of the suite). */
export function runMeasured(args: string[], opts: Pick<SpawnSyncOptions, 'cwd' | 'uid' | 'gid' | 'timeout'> & {env?: NodeJS.ProcessEnv; bin?: string} = {}): MeasuredRun {
  const rssFile = path.join(preloadDir, `rss-${process.pid}-${++runs}`)
  const t0 = performance.now()
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(PRELOAD).href, opts.bin ?? path.join(PACKAGE_ROOT, 'bin', 'run.js'), ...args], {
    cwd: opts.cwd ?? PACKAGE_ROOT,
    env: {...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1', GITHUB_ACTIONS: '', EFFSCALE_TEST_RSS_FILE: rssFile, ...opts.env},
    encoding: 'utf8',
    timeout: opts.timeout ?? 60_000,
    killSignal: 'SIGKILL',
    uid: opts.uid,
    gid: opts.gid,
  })
  const ms = performance.now() - t0
  let usage = {maxRSS: NaN, cpuUs: NaN}
  try {
    usage = JSON.parse(readFileSync(rssFile, 'utf8')) as typeof usage
    rmSync(rssFile)
  } catch {
    // Killed before exit: no figures.
  }
  return {status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms, cpuMs: usage.cpuUs / 1000, maxRssMb: usage.maxRSS / 1024}
}

export const LIMITS = {ms: 2000, rssMb: 500} as const

/**
 * A refusal as every bad input must end: the expected non-zero exit, one line on stderr that
 * matches, no stack, within LIMITS.rssMb of memory; a hang is caught by the spawn timeout. Time is
 * not asserted here (a shared machine's timings swing by seconds): `npm run bench -- io` measures
 * every refusal against LIMITS.ms.
 */
export function assertRefusal(r: MeasuredRun, exit: number, re: RegExp): void {
  assert.equal(r.signal, null, `killed by ${r.signal} after ${r.ms.toFixed(0)} ms (a hang?): ${r.stderr}`)
  assert.equal(r.status, exit, `exit code: ${r.stderr}`)
  const lines = r.stderr.trim().split('\n')
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`)
  assert.match(lines[0], re)
  assert.doesNotMatch(r.stderr, /\n\s+at /)
  assert.ok(r.maxRssMb < LIMITS.rssMb, `peak memory ${r.maxRssMb.toFixed(0)} MB ≥ ${LIMITS.rssMb} MB`)
}
