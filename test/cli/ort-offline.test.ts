/**
 * scripts/ort-offline.js (effscale's preinstall) against a stand-in onnxruntime-node folder:
 * it never overrides a flag the user gave nor files already there; otherwise it leaves the
 * CUDA files to onnxruntime-node when NuGet answers and writes placeholders when it does not.
 * (test/cli/package.test.ts installs the real package.)
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {PACKAGE_ROOT} from '../../src/paths.js'

const FILES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so', 'libonnxruntime_providers_tensorrt.so']
const linuxX64 = process.platform === 'linux' && process.arch === 'x64'

describe('scripts/ort-offline.js', {skip: linuxX64 ? undefined : 'onnxruntime-node downloads CUDA on linux/x64 only'}, () => {
  let root: string
  let pkg: string
  let bin: string
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'effscale-ort-offline-'))
    pkg = path.join(root, 'node_modules', 'effscale')
    const ort = path.join(root, 'node_modules', 'onnxruntime-node')
    bin = path.join(ort, 'bin', 'napi-v6', 'linux', 'x64')
    mkdirSync(pkg, {recursive: true})
    mkdirSync(bin, {recursive: true})
    writeFileSync(path.join(pkg, 'package.json'), '{"name": "effscale"}')
    writeFileSync(path.join(ort, 'package.json'), '{"name": "onnxruntime-node", "main": "index.js"}')
  })
  afterEach(() => rmSync(root, {recursive: true, force: true}))

  /** The script as npm runs a dependency's preinstall: in its package folder. */
  const run = (env: NodeJS.ProcessEnv) => {
    const clean: NodeJS.ProcessEnv = {}
    for (const [k, v] of Object.entries(process.env)) if (!/^(npm_config_onnxruntime|ONNXRUNTIME_NODE_INSTALL)/i.test(k)) clean[k] = v
    const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts', 'ort-offline.js')], {cwd: pkg, env: {...clean, ...env}, encoding: 'utf8', timeout: 60_000})
    assert.equal(r.status, 0, r.stderr)
    return r
  }

  for (const [name, value] of [['ONNXRUNTIME_NODE_INSTALL', 'skip'], ['npm_config_onnxruntime_node_install', 'cuda12'], ['ONNXRUNTIME_NODE_INSTALL_CUDA', 'skip']]) {
    it(`writes nothing when the user gave ${name}=${value}`, () => {
      run({[name]: value})
      for (const f of FILES) assert.ok(!existsSync(path.join(bin, f)), f)
    })
  }

  it('leaves CUDA files already there untouched', () => {
    for (const f of FILES) writeFileSync(path.join(bin, f), 'real')
    run({})
    for (const f of FILES) assert.equal(readFileSync(path.join(bin, f), 'utf8'), 'real')
  })

  it('without a flag: placeholders naming the install command, or nothing when NuGet answered', () => {
    const r = run({})
    const written = FILES.filter((f) => existsSync(path.join(bin, f)))
    if (written.length === 0) {
      assert.equal(r.stdout, '', 'NuGet answered: onnxruntime-node downloads CUDA itself')
      return
    }
    assert.deepEqual(written, FILES)
    for (const f of FILES) assert.match(readFileSync(path.join(bin, f), 'utf8'), /^Placeholder[\s\S]*ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules\/onnxruntime-node\/script\/install\.js/)
    assert.match(r.stdout, /NuGet unreachable/)
  })
})
