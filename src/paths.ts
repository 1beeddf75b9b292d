import {fileURLToPath} from 'node:url'
import path from 'node:path'

/** The package root (holds package.json and fixtures/), from dist/src/paths.js. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const FIXTURES = path.join(PACKAGE_ROOT, 'fixtures')
