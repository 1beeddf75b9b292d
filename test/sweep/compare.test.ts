/** `compare` on sweeps timed with a fake clock: known latencies, no real timing. */
import assert from 'node:assert/strict'
import path from 'node:path'
import {describe, it} from 'node:test'
import {UserError} from '../../src/errors.js'
import {compareRuns, deltaCell} from '../../src/sweep/compare.js'
import {runSweep} from '../../src/sweep/run.js'
import {assertRefusal, runMeasured} from '../helpers/measured.js'
import {deps, options, timedFactory, tmpDir} from './helpers.js'

/** The fake emitter writes "network:ops:batch"; latency grows with the op count. */
const opsMs = (scale: number) => (text: string) => scale * Number(text.split(':')[1] ?? 1) * 0.1

async function sweep(name: string, scale: number, seed: number, grid = options('').grid): Promise<string> {
  const out = tmpDir(name)
  const t = timedFactory(opsMs(scale), 0.02, seed)
  await runSweep(options(out, {grid, seed}), deps({factory: t.factory, clock: t.clock}))
  return out
}

const opts = {threshold: 0.05, alpha: 0.05, match: 'key' as const}

describe('compare', () => {
  it('a run with itself: every point "~", geomean +0.0%, no regression', async () => {
    const a = await sweep('self', 1, 1)
    const c = compareRuns(a, a, opts)
    assert.equal(c.points.length, 24)
    assert.ok(c.points.every((p) => !p.significant && deltaCell(p).startsWith('~')))
    assert.equal(c.geomean.ratio, 1)
    assert.equal(c.regressions, 0)
  })

  it('every network 20% slower: every point significant, slower, a regression; exit 1 through the CLI', async () => {
    const a = await sweep('base', 1, 1)
    const b = await sweep('slow', 1.2, 2)
    const c = compareRuns(a, b, opts)
    assert.ok(c.points.every((p) => p.significant && p.regression && p.ratio_lo > 1.1 && p.ratio_hi < 1.3), JSON.stringify(c.points.map(deltaCell)))
    assert.ok(Math.abs(c.geomean.ratio - 1.2) < 0.02)
    assert.match(deltaCell(c.points[0]), /^\+\d+\.\d% ±\d+\.\d% p[<=]\d\.\d+ n=6\+6$/)
    const cli = runMeasured(['compare', a, b, '--threshold', '10%'])
    assertRefusal(cli, 1, /^effscale: 24 points significantly slower in .* by more than 10% \(exit 1\)$/)
    assert.match(cli.stdout, /geomean/)
    // Beyond the threshold only: 20% slower is within a 25% threshold.
    assert.equal(runMeasured(['compare', a, b, '--threshold', '25%']).status, 0)
    // Faster is not a regression.
    assert.equal(runMeasured(['compare', b, a]).status, 0)
  })

  it('--json is one document; bad input is one line and exit 2', async () => {
    const a = await sweep('json', 1, 1)
    const j = runMeasured(['compare', a, a, '--json'])
    assert.equal(j.status, 0, j.stderr)
    assert.equal((JSON.parse(j.stdout) as {points: unknown[]}).points.length, 24)
    assertRefusal(runMeasured(['compare', a, path.join(a, 'nope')]), 2, /^effscale: compare .*nope: no such directory$/)
    assertRefusal(runMeasured(['compare', a, a, '--threshold', 'x']), 2, /^effscale: --threshold x: give a percentage/)
    const other = await sweep('other', 1, 1, {models: ['efficientnet-b1'], batches: [1], dtype: 'fp32', input: 'float32-nchw'})
    assert.throws(() => compareRuns(a, other, opts), (e: unknown) => e instanceof UserError && /share no measured point/.test(e.message))
    assert.throws(() => compareRuns(a, other, {...opts, match: 'order'}), (e: unknown) => e instanceof UserError && /needs grids of one size/.test(e.message))
  })
})
