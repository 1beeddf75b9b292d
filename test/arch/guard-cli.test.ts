/**
 * Resource bombs are refused before any work, as a hostile user would try them (child processes,
 * peak memory measured): one line naming the flag, file or entry, exit 2, under 500 MB.
 * Their time is measured by `npm run bench -- io`, not here.
 */
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {assertRefusal, LIMITS, runMeasured} from '../helpers/measured.js'
import {tmpDir} from '../sweep/helpers.js'
import {guardCases} from './guard-cases.js'

describe('resource bombs and bad multipliers (child processes, peak memory measured)', () => {
  for (const c of guardCases(tmpDir('guard'))) it(c.name, () => assertRefusal(runMeasured(c.args, {timeout: 60_000}), c.exit, c.re))
})

it("a sweep point whose file would pass protobuf's 2 GiB fails alone, with the reason, before emitting", () => {
  // export writes such a model with external data (test/onnx/external-export.test.ts); the sweep's
  // model cache holds one protobuf, so the point is recorded failed and the rest of the grid runs.
  const dir = tmpDir('guard13')
  const grid = path.join(dir, 'grid13.json')
  writeFileSync(grid, JSON.stringify({base: 'efficientnet-b0', points: [{width: 13}]}))
  const out = path.join(dir, 'sweep13')
  const r = runMeasured(['sweep', '--grid', grid, '--ep', 'cpu', '--max-memory', '1TB', '--out', out, '--cache', path.join(dir, 'cache')], {timeout: 120_000})
  assert.equal(r.status, 1, r.stderr)
  const [rec] = readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {status: string; error: string})
  assert.equal(rec.status, 'failed')
  assert.match(rec.error, /the ONNX file would be ~2\.\d GiB, over protobuf's 2 GiB limit/)
  assert.ok(r.maxRssMb < LIMITS.rssMb, `peak memory ${r.maxRssMb.toFixed(0)} MB`)
})
