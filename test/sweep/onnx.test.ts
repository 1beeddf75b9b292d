/** `sweep --onnx`: the user's own files, timed in rounds (real ORT, tiny models), and `check` budgets met by them. */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {costTotals, lowerTarget} from '../../src/flops/index.js'
import {resolveTarget} from '../../src/arch/target.js'
import {emitModel} from '../../src/onnx/emit.js'
import {readSweepWithRuns} from '../../src/sweep/results.js'
import {assertRefusal, runMeasured} from '../helpers/measured.js'
import {tmpDir} from './helpers.js'

function exportTiny(dir: string, name: string, width: number, batch: number | 'dynamic'): string {
  const file = path.join(dir, name)
  writeFileSync(file, emitModel(lowerTarget(resolveTarget({base: 'efficientnet-b0', width, imageSize: 32})), {batch, dtype: 'fp32', input: 'float32-nchw', seed: 0}))
  return file
}

describe('sweep --onnx', () => {
  const dir = tmpDir('onnx')
  const dyn = exportTiny(dir, 'b0-dynamic.onnx', 1, 'dynamic')
  const wide = exportTiny(dir, 'w14.onnx', 1.4, 1)
  const timing = ['--ep', 'cpu', '--runs', '2', '--min-time-ms', '0', '--warmup', '0', '--rounds', '2', '--max-rounds', '2']

  it('times each file in rounds; MACs from the ONNX profiler agree with the analytic count; a check budget of the file is met by the measurement', () => {
    const out = path.join(dir, 'out')
    const r = runMeasured(['sweep', '--onnx', dyn, '--onnx', wide, '--input-shape', '1x3x32x32', '--out', out, ...timing, '--json'])
    assert.equal(r.status, 0, r.stderr)
    const read = readSweepWithRuns(out, '--sweep')
    assert.equal(read.records.length, 2)
    for (const p of read.points) {
      assert.equal(p.record.rounds, 2)
      assert.equal(p.rounds.length, 2)
      assert.ok(p.record.onnx_file === dyn || p.record.onnx_file === wide)
      const width = p.record.onnx_file === wide ? 1.4 : 1
      // Two counters, two code paths: the ONNX profiler on the file, the analytic count on the lowering.
      assert.equal(p.record.macs, costTotals(resolveTarget({base: 'efficientnet-b0', width, imageSize: 32})).macs)
      assert.equal(p.record.infer_img_size, 32)
    }
    const ref = read.records.find((x) => x.onnx_file === dyn)!
    assert.equal(ref.rel_ref, 1)
    const budget = path.join(dir, 'budget.json')
    writeFileSync(budget, JSON.stringify({budgets: [{onnx: 'w14.onnx', maxLatencyMs: 60_000}, {onnx: 'b0-dynamic.onnx', inputShape: [1, 3, 32, 32], maxLatencyMs: 0.000001}]}))
    const check = runMeasured(['check', '--budget', budget, '--sweep', out, '--json'])
    const doc = JSON.parse(check.stdout) as {rows: Array<{entry: string; field: string; verdict: string}>}
    const latency = doc.rows.filter((x) => x.field === 'maxLatencyMs').map((x) => x.verdict)
    assert.deepEqual(latency, ['pass', 'fail'])
    assert.equal(check.status, 1)
  })

  it('bad input: one line, exit 2, nothing timed', () => {
    const out = (n: string) => ['--out', path.join(dir, n)]
    assertRefusal(runMeasured(['sweep', '--onnx', dyn, ...out('a'), ...timing]), 2, /^effscale: --onnx .*b0-dynamic\.onnx: input "input" has dynamic dims \[batch, 3, 32, 32\]; give --input-shape \(e\.g\. 1x3x32x32\)$/)
    assertRefusal(runMeasured(['sweep', '--onnx', path.join(dir, 'missing.onnx'), ...out('b'), ...timing]), 2, /^effscale: --onnx .*missing\.onnx: no such file$/)
    assertRefusal(runMeasured(['sweep', '--onnx', wide, '--dims', 'width', ...out('c'), ...timing]), 2, /^effscale: --dims conflicts with --onnx/)
    assertRefusal(runMeasured(['sweep', '--input-shape', '1x3x32x32', '--models', 'efficientnet-b0', ...out('d'), ...timing]), 2, /^effscale: --input-shape goes with --onnx/)
    assertRefusal(runMeasured(['sweep', '--onnx', wide, '--input-shape', '1x3x64x64', ...out('e'), ...timing]), 2, /^effscale: --onnx .*w14\.onnx: .*does not fit input/)
  })
})
