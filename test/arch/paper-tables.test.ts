import {test} from 'node:test'
import assert from 'node:assert/strict'
import {resolveTarget} from '../../src/arch/target.js'
import {costTarget} from '../../src/flops/index.js'
import {familyVsPaper} from '../../src/flops/family-table.js'
import {readTable2} from '../../src/flops/paper.js'
import {readFixture} from '../helpers/fixtures.js'

/**
 * The paper's published FLOPs (MACs) beside effscale's. Where they differ by more than 5%, the
 * fixture row must say why; a note that names an effective multiplier is checked: that
 * multiplier must reproduce the printed figure within 5%.
 */
interface ScaledRow {
  model: string
  base: string
  scaling: string
  depth: number
  width: number
  resolution: number
  macs: number
  note?: string
  effective?: {depth?: number; width?: number; resolution?: number}
}

const deviation = (ours: number, published: number) => ours / published - 1
const report: string[] = []

for (const table of ['table3.json', 'table7.json']) {
  const {rows} = readFixture<{rows: ScaledRow[]}>('paper', table)
  for (const row of rows) {
    const {base, depth, width, resolution} = row
    const ours = costTarget(resolveTarget({base, depth, width, resolution})).macs
    const dev = deviation(ours, row.macs)
    report.push(`${table} ${row.model} ${row.scaling}: effscale ${(ours / 1e9).toFixed(3)}B, paper ${row.macs / 1e9}B (${(dev * 100).toFixed(1)}%)`)
    test(`${table}: ${row.model} ${row.scaling} — within 5% of the paper or explained`, () => {
      if (Math.abs(dev) > 0.05) assert.ok(row.note, `deviation ${(dev * 100).toFixed(1)}% needs a note in fixtures/paper/${table}`)
    })
    if (row.effective) {
      test(`${table}: ${row.model} ${row.scaling} — the note's effective multiplier reproduces the printed figure`, () => {
        const eff = costTarget(resolveTarget({base, depth, width, resolution, ...row.effective})).macs
        assert.ok(Math.abs(deviation(eff, row.macs)) <= 0.05, `${eff} vs ${row.macs}`)
      })
    }
  }
}

test('Table 2: EfficientNet-B0…B7 MACs within 5%; params within the paper\'s rounding or explained', () => {
  const notes = new Map(readTable2().map((r) => [r.variant, r.paramsNote]))
  for (const r of familyVsPaper(readTable2())) {
    assert.ok(r.paper && r.macsDeviation !== null)
    assert.ok(Math.abs(r.macsDeviation) < 0.05, `${r.model}: ${(r.macsDeviation * 100).toFixed(1)}%`)
    // The paper prints params to 2 significant digits.
    const digits = r.paper.params >= 1e7 ? 1e6 : 1e5
    const rounded = Math.round(r.params / digits) * digits
    if (rounded !== r.paper.params) {
      assert.ok(notes.get(r.model), `${r.model}: ${rounded} vs ${r.paper.params} needs a paramsNote`)
      assert.ok(Math.abs(r.params / r.paper.params - 1) < 0.02, r.model)
    }
  }
})

test('paper comparison summary', (t) => {
  t.diagnostic(report.join('\n'))
})
