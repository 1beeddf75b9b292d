import {readFileSync} from 'node:fs'
import path from 'node:path'
import {FIXTURES} from '../../src/paths.js'

export function readFixture<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, ...parts), 'utf8')) as T
}
