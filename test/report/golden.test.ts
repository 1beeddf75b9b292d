import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'
import path from 'node:path'
import {parseBenchmarkCsv} from '../../src/accuracy/benchmark.js'
import {parseAccuracyCsv} from '../../src/accuracy/csv.js'
import {buildCharts} from '../../src/report/charts/index.js'
import {placeLabels} from '../../src/report/labels.js'
import {readPaperTables} from '../../src/report/paper.js'
import {schemaErrors} from '../../src/report/render.js'
import {distinctLabels, loadSweep} from '../../src/report/sweep.js'
import {matchesGolden, POINTS_CSV, ROOT, SWEEP_CPU, SWEEP_UINT8} from './helpers.js'

const EXCERPT = path.join(ROOT, 'fixtures/timm-excerpt')

// Relative paths keep the goldens independent of where the checkout lives.
const {charts, notes} = buildCharts({
  paper: readPaperTables(),
  runs: distinctLabels([loadSweep(SWEEP_CPU), loadSweep(SWEEP_UINT8)]).map((r) => ({...r, dir: r.label})),
  accuracy: parseAccuracyCsv(readFileSync(POINTS_CSV, 'utf8'), 'points.csv'),
  timm: parseAccuracyCsv(readFileSync(path.join(EXCERPT, 'results-imagenet-excerpt.csv'), 'utf8'), 'results-imagenet-excerpt.csv'),
  benchmarks: [parseBenchmarkCsv(readFileSync(path.join(EXCERPT, 'benchmark-infer-amp-nchw-pt240-cu124-rtx4090-excerpt.csv'), 'utf8'), 'benchmark-infer-amp-nchw-pt240-cu124-rtx4090-excerpt.csv')],
})

test('all charts are built from the paper tables, two sweeps and an accuracy CSV', () => {
  assert.deepEqual(charts.map((c) => c.id), [
    'b0-scaling', 'other-scaling', 'family-macs', 'family-params', 'transfer', 'phi-growth', 'activations-growth', 'accuracy-paths', 'user-accuracy', 'pareto',
    'sweep-latency', 'sweep-throughput', 'accuracy-latency', 'sweep-speedup', 'latency-predictors', 'latency-model',
  ])
  assert.deepEqual(notes, [])
})

for (const chart of charts) {
  test(`golden: ${chart.id} spec, labels placed (numbers to 4 significant digits)`, async () => {
    const placed = await placeLabels(chart)
    assert.deepEqual(schemaErrors(placed.spec), [])
    assert.ok(chart.rows.length > 0)
    assert.ok(matchesGolden(chart.id, placed.spec), `fixtures/golden/report/${chart.id}.json differs: see ${chart.id}-changed.json (UPDATE_GOLDEN=1 to accept)`)
  })
}

test('accuracy-paths without trials of the user\'s own draws the paper\'s points, marked published', () => {
  const {charts: paperOnly} = buildCharts({paper: readPaperTables(), runs: []})
  const c = paperOnly.find((x) => x.id === 'accuracy-paths')!
  const points = c.rows.filter((r) => r.kind === 'point')
  assert.equal(points.length, 13, 'Table 7 (5) and B0–B7 of Table 2 (8)')
  assert.ok(points.every((r) => String(r.from).startsWith('published: paper Table')))
  assert.match(JSON.stringify(c.spec), /PUBLISHED points, not yours/)
  // The B0 compound point of Table 7 sits at effscale's computed 1.80 GMACs.
  assert.equal(points.find((r) => r.label === 'compound (T7)')!.macsB, 1.8001)
  // The points file here holds B0 and B0–B2-like trials: the chart shows those, not the paper's.
  const mine = charts.find((x) => x.id === 'accuracy-paths')!
  assert.ok(mine.rows.filter((r) => r.kind === 'point').every((r) => r.from === 'your trials'))
})

test('B0 compound point of Table 7 costs what the paper prints (1.8B MACs)', () => {
  const row = charts[0].rows.find((r) => r.scaling === 'compound')!
  assert.equal(row.imageSize, 291)
  assert.ok(Math.abs((row.macsB as number) - 1.8) < 0.01, `${row.macsB}`)
})

test('MACs growth at φ = 0 is 1 and follows 2^φ within rounding at φ = 7', () => {
  const phi = charts.find((c) => c.id === 'phi-growth')!.rows
  assert.equal(phi[0].effscale, 1)
  const at7 = phi.find((r) => r.phi === 7)!
  assert.ok(Math.abs((at7.effscale as number) / 128 - 1) < 0.25, `${at7.effscale}`)
})

test('speed-up rows match every point of the first run and equal the latency ratio', () => {
  const rows = charts.find((c) => c.id === 'sweep-speedup')!.rows
  const okCpu = loadSweep(SWEEP_CPU).records.filter((r) => r.status === 'ok').length
  assert.equal(rows.length, okCpu)
  for (const r of rows) assert.ok(Math.abs((r.speedup as number) - (r.baselineMs as number) / (r.runMs as number)) < 1e-3)
})

test('accuracy-latency joins paper and user accuracy to the swept B0–B2 points', () => {
  const rows = charts.find((c) => c.id === 'accuracy-latency')!.rows
  const names = new Set(rows.map((r) => r.accName))
  for (const n of ['EfficientNet-B0', 'EfficientNet-B1', 'EfficientNet-B2', 'B0 baseline', 'B1 (paper Table 2)']) assert.ok(names.has(n), n)
})
