/**
 * Resource bombs are refused before any work, as a hostile user would try them (child processes,
 * peak memory measured): one line naming the flag, file or entry, exit 2, under 500 MB.
 * Their time is measured by `npm run bench -- io`, not here.
 */
import {describe, it} from 'node:test'
import {assertRefusal, runMeasured} from '../helpers/measured.js'
import {tmpDir} from '../sweep/helpers.js'
import {guardCases} from './guard-cases.js'

describe('resource bombs and bad multipliers (child processes, peak memory measured)', () => {
  for (const c of guardCases(tmpDir('guard'))) it(c.name, () => assertRefusal(runMeasured(c.args, {timeout: 60_000}), c.exit, c.re))
})
