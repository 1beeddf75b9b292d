#!/usr/bin/env node
// Development entry: rebuilds TypeScript first, then runs the CLI from dist/.
import {execSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {execute} from '@oclif/core'
import {dropStaleManifest} from './stale-manifest.js'

execSync('npx tsc -p tsconfig.json', {cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit'})
dropStaleManifest(import.meta.url)
await execute({development: false, dir: import.meta.url})
