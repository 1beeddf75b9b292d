/**
 * Start-up loads only what a call needs: the real CLI with a module hook that records every
 * package it resolves. Costing a network, and refusing bad flags or paths, must load none of the
 * heavy libraries (onnxruntime-node, onnx-proto, vega, vega-lite, resvg, arquero, ajv); a --spec
 * file does load ajv (the hook's positive control). Start-up time itself: bench `startup`.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {after, describe, it} from 'node:test'
import {PACKAGE_ROOT} from '../../src/paths.js'

const HEAVY = ['onnxruntime-node', 'onnx-proto', 'vega', 'vega-lite', '@resvg/resvg-js', 'arquero', 'ajv']

const dir = mkdtempSync(path.join(tmpdir(), 'effscale-imports-'))
const hook = path.join(dir, 'hook.mjs')
const register = path.join(dir, 'register.mjs')
// Resolve hooks run off the main thread: each resolved package name is appended to a file.
writeFileSync(
  hook,
  `import {appendFileSync} from 'node:fs'
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx)
  const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url)
  if (m) appendFileSync(process.env.EFFSCALE_TEST_IMPORTS, m[1] + '\\n')
  return r
}
`,
)
// CommonJS `require` (lazy.ts) bypasses that hook in Node 20: require.cache is read at exit.
writeFileSync(
  register,
  `import {appendFileSync} from 'node:fs'
import {createRequire, register} from 'node:module'
register(${JSON.stringify(pathToFileURL(hook).href)})
const cache = createRequire(import.meta.url).cache
process.on('exit', () => {
  const names = Object.keys(cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean)
  appendFileSync(process.env.EFFSCALE_TEST_IMPORTS, names.join('\\n') + '\\n')
})
`,
)

let n = 0
/** The packages a CLI call loaded: ESM imports and CommonJS requires. */
function packagesLoaded(args: string[]): {status: number | null; stderr: string; packages: Set<string>} {
  const log = path.join(dir, `imports-${++n}`)
  writeFileSync(log, '')
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, path.join(PACKAGE_ROOT, 'bin', 'run.js'), ...args], {
    cwd: PACKAGE_ROOT,
    env: {...process.env, NO_COLOR: '1', EFFSCALE_TEST_IMPORTS: log},
    encoding: 'utf8',
    timeout: 60_000,
  })
  return {status: r.status, stderr: r.stderr, packages: new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))}
}

describe('start-up imports', () => {
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('the oclif manifest is built (npm run build), so a call loads only its own command', () => {
    assert.ok(existsSync(path.join(PACKAGE_ROOT, 'oclif.manifest.json')), 'oclif.manifest.json missing or dropped as stale: run `npm run build`')
  })

  const cases: Array<{args: string[]; exit: number}> = [
    {args: ['--version'], exit: 0},
    {args: ['flops', '--model', 'efficientnet-b0', '--json'], exit: 0},
    {args: ['report', '--out', '/proc/effscale-test/x'], exit: 2},
    {args: ['sweep', '--out', '/proc/effscale-test/x'], exit: 2},
    {args: ['sweep', '--ep', 'tpu'], exit: 2},
    {args: ['export', '--model', 'efficientnet-b0', '--dtype', 'fp64', '--out', 'x.onnx'], exit: 2},
  ]
  for (const c of cases) {
    it(`effscale ${c.args.join(' ')} loads none of ${HEAVY.join(', ')}`, () => {
      const r = packagesLoaded(c.args)
      assert.equal(r.status, c.exit, r.stderr)
      assert.ok(r.packages.has('@oclif/core'), 'the hook saw the CLI load oclif')
      assert.deepEqual(HEAVY.filter((p) => r.packages.has(p)), [])
    })
  }

  it('a --spec file loads ajv to validate it, family loads csv-stringify (both kinds of load are seen)', () => {
    const r = packagesLoaded(['flops', '--spec', 'fixtures/specs/tiny-mbconv.json', '--json'])
    assert.equal(r.status, 0, r.stderr)
    assert.ok(r.packages.has('ajv'), [...r.packages].join(', '))
    // An ES module import is seen too: family imports csv-stringify's ESM build.
    const family = packagesLoaded(['family', '--max-phi', '1', '--json'])
    assert.equal(family.status, 0, family.stderr)
    assert.ok(family.packages.has('csv-stringify'), [...family.packages].join(', '))
  })
})
