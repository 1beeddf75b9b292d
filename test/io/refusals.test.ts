/** Every command that writes refuses a bad output path, and sweep readers a bad directory: one line, exit 2, quickly, in little memory. */
import {describe, it} from 'node:test'
import {assertRefusal, runMeasured} from '../helpers/measured.js'
import {tmpDir} from '../sweep/helpers.js'
import {refusalCases} from './refusal-cases.js'

describe('bad output paths and sweep directories (child processes, time and peak memory measured)', async () => {
  const cases = await refusalCases(tmpDir('refusals'))
  for (const c of cases) {
    it(c.name, () => assertRefusal(runMeasured(c.args, {timeout: 30_000}), c.exit, c.re))
  }
})
