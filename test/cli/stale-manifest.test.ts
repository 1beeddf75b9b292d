/** bin/stale-manifest.js: a checkout's manifest older than its built commands is dropped; nothing else is touched. */
import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {PACKAGE_ROOT} from '../../src/paths.js'

const {dropStaleManifest} = (await import(pathToFileURL(path.join(PACKAGE_ROOT, 'bin', 'stale-manifest.js')).href)) as {dropStaleManifest: (binUrl: string) => void}

describe('dropStaleManifest', () => {
  let root: string
  let manifest: string
  let command: string
  const bin = () => pathToFileURL(path.join(root, 'bin', 'run.js')).href
  const age = (file: string, secondsAgo: number) => utimesSync(file, Date.now() / 1000 - secondsAgo, Date.now() / 1000 - secondsAgo)

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'effscale-manifest-'))
    mkdirSync(path.join(root, 'bin'))
    mkdirSync(path.join(root, 'dist', 'src', 'commands', 'sweep'), {recursive: true})
    manifest = path.join(root, 'oclif.manifest.json')
    command = path.join(root, 'dist', 'src', 'commands', 'sweep', 'merge.js')
    writeFileSync(path.join(root, 'tsconfig.json'), '{}')
    writeFileSync(path.join(root, 'dist', 'src', 'commands', 'flops.js'), '')
    writeFileSync(command, '')
    writeFileSync(manifest, '{}')
  })
  afterEach(() => rmSync(root, {recursive: true, force: true}))

  it('keeps a manifest built after the commands', () => {
    age(command, 60)
    age(path.join(root, 'dist', 'src', 'commands', 'flops.js'), 60)
    dropStaleManifest(bin())
    assert.ok(existsSync(manifest))
  })

  it('drops a manifest older than any command (a nested one too): tsc ran after npm run build', () => {
    age(manifest, 60)
    dropStaleManifest(bin())
    assert.ok(!existsSync(manifest))
  })

  it('leaves an installed package alone (no tsconfig.json), however its files are dated', () => {
    rmSync(path.join(root, 'tsconfig.json'))
    age(manifest, 60)
    dropStaleManifest(bin())
    assert.ok(existsSync(manifest))
  })
})
