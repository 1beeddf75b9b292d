/**
 * Every shell line of the README's ```sh blocks, run verbatim (a trailing `\` joins lines) and
 * expected to exit 0, in a scratch folder that holds what a fresh clone has (fixtures/,
 * examples/, test/, docs/ and `npx effscale` = this checkout's bin/run.js), so the files the
 * lines write land there. Skipped, each with its reason: lines tagged in their comment
 * `# [GPU]` (needs a CUDA GPU) or `# [internet]` (needs more than the npm registry), and `npm …`
 * lines (this checkout's own set-up scripts: they reinstall or rebuild the checkout the other
 * tests run from; CI runs `npm ci` and `npm test` itself, .ci/run, and test/cli/package.test.ts
 * builds a fresh copy). The generated command reference (plain ``` blocks of usage) is not run.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {PACKAGE_ROOT} from '../../src/paths.js'

export interface ReadmeLine {
  line: number
  command: string
  skip?: string
}

const TAGS: Readonly<Record<string, string>> = {
  GPU: 'needs a CUDA GPU',
  internet: 'needs internet beyond the npm registry',
}

/** The commands of every ```sh block of `text`, with why a line is skipped. */
export function readmeCommands(text: string): ReadmeLine[] {
  const out: ReadmeLine[] = []
  let inSh = false
  let pending: ReadmeLine | undefined
  text.split('\n').forEach((raw, i) => {
    if (/^```/.test(raw)) {
      inSh = !inSh && /^```(sh|bash|shell)\s*$/.test(raw)
      return
    }
    if (!inSh) return
    if (pending) pending.command += '\n' + raw
    else if (raw.trim() && !raw.trim().startsWith('#')) pending = {line: i + 1, command: raw}
    else return
    if (raw.endsWith('\\')) return
    const tag = /#.*\[(\w+)\]/.exec(pending.command)?.[1]
    if (tag !== undefined) {
      assert.ok(tag in TAGS, `README line ${pending.line}: unknown tag [${tag}] (known: ${Object.keys(TAGS).join(', ')})`)
      pending.skip = TAGS[tag]
    } else if (/^npm\s/.test(pending.command)) {
      pending.skip = "this checkout's own npm script: it reinstalls, rebuilds or rewrites the checkout the tests run from (CI runs npm ci and npm test itself; the package test builds a fresh copy)"
    }
    out.push(pending)
    pending = undefined
  })
  return out
}

describe('README shell lines run verbatim', {timeout: 1_800_000}, () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'effscale-readme-'))
    for (const d of ['fixtures', 'examples', 'test', 'docs']) symlinkSync(path.join(PACKAGE_ROOT, d), path.join(dir, d))
    // `npx effscale` resolves to this checkout, as in a project that installed it.
    mkdirSync(path.join(dir, 'node_modules', '.bin'), {recursive: true})
    symlinkSync(PACKAGE_ROOT, path.join(dir, 'node_modules', 'effscale'))
    symlinkSync(path.join('..', 'effscale', 'bin', 'run.js'), path.join(dir, 'node_modules', '.bin', 'effscale'))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  const lines = readmeCommands(readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8'))

  it('finds the README commands', () => {
    assert.ok(lines.filter((l) => !l.skip).length >= 15, `${lines.length} lines`)
    assert.ok(lines.some((l) => l.command.includes('\\\n')), 'a continued line is joined')
  })

  for (const l of lines) {
    it(`README:${l.line} ${l.command.replace(/\s+#.*$/s, '').replace(/\\\n\s*/g, '')}`, {skip: l.skip}, () => {
      const env: NodeJS.ProcessEnv = {}
      for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|INIT_CWD$)/.test(k)) env[k] = v
      // offline: if `npx effscale` ever missed the local bin, it fails instead of fetching a package.
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', l.command], {
        cwd: dir,
        env: {...env, NO_COLOR: '1', NODE_NO_WARNINGS: '1', GITHUB_ACTIONS: '', npm_config_offline: 'true'},
        encoding: 'utf8',
        timeout: 600_000,
        maxBuffer: 64 << 20,
      })
      assert.equal(r.status, 0, `exit ${r.status} (${r.signal ?? 'no signal'}):\n${r.stderr.slice(-3000)}`)
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    })
  }
})
