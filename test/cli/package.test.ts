/**
 * The package as a user gets it: a copy of this checkout's files (as a fresh clone has them)
 * packed with `npm pack` (its `prepare` builds dist/ and the oclif manifest), the tarball
 * installed into an empty folder with no environment variable or npm config of this repo (so
 * onnxruntime-node's postinstall runs as on a user's machine: without NuGet it must not fail
 * the install), then `npx effscale flops` and a one-point `npx effscale sweep`. Needs npm and
 * the npm registry (or npm's cache), as `npm ci` does.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {parse as parseYaml} from 'yaml'
import {PACKAGE_ROOT} from '../../src/paths.js'

/** npm settings of the machine, kept: a user's npm has them too. */
const MACHINE_NPM = /^npm_config_(registry|cache|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl|cafile|ca|prefer_offline|offline)$/i

/**
 * This process's environment as a user's shell would have it: without what npm sets for a script
 * of this package (`npm test`: npm_config_* of this repository's .npmrc, onnxruntime-node-install
 * included, npm_lifecycle_*, npm_package_*, …) and without ORT's install flags.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|ONNXRUNTIME_NODE_INSTALL|INIT_CWD$|NODE_OPTIONS$)/i.test(k) && !MACHINE_NPM.test(k)) continue
    env[k] = v
  }
  return {...env, NO_COLOR: '1', NODE_NO_WARNINGS: '1', GITHUB_ACTIONS: ''}
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): {status: number | null; stdout: string; stderr: string} {
  const r = spawnSync(cmd, args, {cwd, env: {...userEnv(), ...env}, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 << 20})
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

const must = (r: {status: number | null; stdout: string; stderr: string}, what: string) =>
  assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`)

describe('npm pack → install into an empty folder → npx effscale', {timeout: 1_200_000}, () => {
  let work: string
  let app: string
  let files: string[]

  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'effscale-package-'))
    // The files a fresh clone has: tracked ones, and new ones git would commit (not ignored ones).
    const listed = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], PACKAGE_ROOT)
    must(listed, 'git ls-files')
    const clone = path.join(work, 'clone')
    for (const f of listed.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(path.join(PACKAGE_ROOT, f))) continue // deleted, not yet committed
      mkdirSync(path.dirname(path.join(clone, f)), {recursive: true})
      cpSync(path.join(PACKAGE_ROOT, f), path.join(clone, f))
    }
    assert.ok(!existsSync(path.join(clone, 'dist')) && !existsSync(path.join(clone, 'oclif.manifest.json')), 'the copy has no build output')
    symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(clone, 'node_modules'))
    const packed = sh('npm', ['pack', '--json', '--pack-destination', work], clone)
    must(packed, 'npm pack')
    // The JSON follows what `prepare` printed.
    const info = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[\s*\{/m))) as Array<{filename: string; files: Array<{path: string}>}>
    files = info[0].files.map((f) => f.path)

    app = path.join(work, 'app')
    mkdirSync(app)
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({name: 'effscale-user', version: '1.0.0', private: true}))
    must(sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, info[0].filename)], app), 'npm install of the tarball')
  })
  after(() => rmSync(work, {recursive: true, force: true}))

  it('ships the build, the oclif manifest, LICENSE, and every file the README and --help point to', () => {
    for (const f of ['LICENSE', 'README.md', 'oclif.manifest.json', 'bin/run.js', 'dist/src/commands/flops.js', 'scripts/ort-offline.js']) assert.ok(files.includes(f), `${f} in the package`)
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('dist/test/') || f.startsWith('bench/')), 'no tests or benches in the package')
    const readme = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8')
    const linked = [...readme.matchAll(/\]\(((?!https?:|#)[^)\s]+)\)/g)].map((m) => m[1].replace(/\/$/, ''))
    const manifest = readFileSync(path.join(app, 'node_modules', 'effscale', 'oclif.manifest.json'), 'utf8')
    const inHelp = [...manifest.matchAll(/\b((?:docs|examples|fixtures)\/[\w./-]*\w)/g)].map((m) => m[1])
    assert.ok(linked.length > 5 && inHelp.length > 0, `found links (${linked.length}) and help references (${inHelp.length})`)
    for (const ref of new Set([...linked, ...inHelp])) {
      assert.ok(existsSync(path.join(app, 'node_modules', 'effscale', ref)), `${ref} (named by the README or --help) is in the installed package`)
    }
  })

  it('installs without NuGet: onnxruntime-node has its CUDA files (downloaded, or placeholders saying how to get them)', () => {
    const cuda = path.join(app, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so')
    if (process.platform !== 'linux' || process.arch !== 'x64') return
    const head = readFileSync(cuda).subarray(0, 4)
    const elf = head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))
    if (!elf) assert.match(readFileSync(cuda, 'utf8'), /ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules\/onnxruntime-node\/script\/install\.js/)
  })

  it('npx effscale flops gives torchvision\'s EfficientNet-B0 counts', () => {
    const r = sh('npx', ['effscale', 'flops', '--model', 'efficientnet-b0', '--json'], app)
    must(r, 'npx effscale flops')
    const out = JSON.parse(r.stdout) as {macs: number; params: number}
    // torchvision's efficientnet_b0 (fixtures/reference-counts.json): an independent count.
    const refs = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'reference-counts.json'), 'utf8')) as {rows: Array<{model: string; params: number; macs?: number}>}
    const b0 = refs.rows.find((x) => x.model === 'efficientnet-b0')!
    assert.deepEqual({params: out.params, macs: out.macs}, {params: b0.params, macs: b0.macs})
    const table = sh('npx', ['effscale', 'flops'], app)
    must(table, 'npx effscale flops (B0–B7 table)')
    assert.match(table.stdout, /efficientnet-b7/)
  })

  it('a one-point npx effscale sweep measures on the CPU and writes its files', () => {
    const r = sh('npx', ['effscale', 'sweep', '--models', 'efficientnet-b0', '--ep', 'auto', '--runs', '2', '--warmup', '0', '--min-time-ms', '0', '--out', 'runs/one'], app)
    must(r, 'npx effscale sweep')
    const lines = readFileSync(path.join(app, 'runs', 'one', 'results.jsonl'), 'utf8').trim().split('\n')
    assert.equal(lines.length, 1)
    const rec = JSON.parse(lines[0]) as {status: string; model: string; ep: string}
    assert.equal(rec.status, 'ok', lines[0])
    assert.ok(existsSync(path.join(app, 'runs', 'one', 'run.json')) && existsSync(path.join(app, 'runs', 'one', 'results.csv')))
  })

  it('examples/ci/github-actions.yml runs in a user\'s repository: npm ci without CUDA, sweep, check, JUnit, step summary', () => {
    interface Step {
      uses?: string
      run?: string
      with?: Record<string, string | number>
    }
    const wf = parseYaml(readFileSync(path.join(PACKAGE_ROOT, 'examples', 'ci', 'github-actions.yml'), 'utf8')) as {
      jobs: {budgets: {env?: Record<string, string>; steps: Step[]}}
    }
    const job = wf.jobs.budgets
    assert.equal(job.env?.ONNXRUNTIME_NODE_INSTALL, 'skip', 'no CUDA download per run')
    const setup = job.steps.find((st) => st.uses?.startsWith('actions/setup-node@'))
    assert.ok(setup && Number(setup.with?.['node-version']) >= 20, 'Node 20 set up')
    // As the workflow's header says: the user's budgets.json, started from the shipped example;
    // its latency limit loosened, as this machine's latency is noise (the plumbing is tested here).
    const example = JSON.parse(readFileSync(path.join(app, 'node_modules', 'effscale', 'examples', 'budgets.json'), 'utf8')) as {budgets: Array<Record<string, unknown>>}
    const budgets = example.budgets.map((b) => (b.maxLatencyMs === undefined ? b : {...b, maxLatencyMs: 60_000}))
    assert.ok(budgets.some((b) => b.maxLatencyMs !== undefined), 'the example has a latency budget (the sweep step measures it)')
    writeFileSync(path.join(app, 'budgets.json'), JSON.stringify({budgets}, null, 2))
    const summary = path.join(work, 'step-summary.md')
    // Actions' default shell for `run:` on Linux.
    const run = (script: string) => sh('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], app, {...job.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary})
    const runs = job.steps.filter((st) => st.run !== undefined)
    for (const st of runs) must(run(st.run!), `workflow step: ${st.run}`)
    assert.match(readFileSync(summary, 'utf8'), /### Model budgets[\s\S]*cpu-b0\s+maxLatencyMs[\s\S]*within budget/)
    assert.match(readFileSync(path.join(app, 'reports', 'budgets.xml'), 'utf8'), /<testsuite[\s\S]*<testcase/)
    const upload = job.steps.find((st) => st.uses?.startsWith('actions/upload-artifact@'))
    for (const p of String(upload?.with?.path ?? '').split('\n').filter(Boolean)) assert.ok(existsSync(path.join(app, p.trim())), `uploaded ${p} exists`)

    // Over budget: the step fails (exit 1), annotates the budget's line, and still writes the summary.
    writeFileSync(path.join(app, 'budgets.json'), JSON.stringify({budgets: [{name: 'tight', model: 'efficientnet-b0', maxMacs: '100M'}]}, null, 2))
    rmSync(summary)
    const check = runs.find((st) => st.run!.includes('effscale check'))!
    const r = run(check.run!)
    assert.equal(r.status, 1, r.stderr)
    assert.match(r.stdout, /^::error file=budgets\.json,line=\d+/m)
    assert.match(readFileSync(summary, 'utf8'), /tight\s+maxMacs[\s\S]*over/)
  })
})
