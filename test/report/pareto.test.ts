import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'node:test'
import {parseBenchmarkCsv} from '../../src/accuracy/benchmark.js'
import {parseAccuracyCsv} from '../../src/accuracy/csv.js'
import {landscapeRows, MACS_PANEL, paretoFront} from '../../src/report/charts/pareto.js'
import {ROOT} from './helpers.js'
import {runCli} from '../helpers/cli.js'

test('Pareto front: exactly the points no other point beats on both cost and accuracy (brute force)', () => {
  // A deterministic scatter with ties in cost and in accuracy.
  const pts = Array.from({length: 300}, (_, i) => ({cost: 1 + ((i * 37) % 101), top1: 50 + ((i * 53) % 97) / 3}))
  const front = paretoFront(pts, (p) => p.cost)
  for (const p of pts) {
    const beaten = pts.some((q) => q !== p && q.cost <= p.cost && q.top1 >= p.top1 && (q.cost < p.cost || q.top1 > p.top1))
    // A tie in both counts once: the front keeps one of two identical points.
    const twin = pts.some((q) => q !== p && q.cost === p.cost && q.top1 === p.top1 && front.has(q))
    assert.equal(front.has(p), !beaten && !twin, JSON.stringify(p))
  }
})

const SHARED = '/work/shared/data'
const files = ['results-imagenet.csv', 'benchmark-infer-amp-nchw-pt240-cu124-rtx4090.csv', 'benchmark-infer-fp32-nchw-pt240-cpu-i7_12700h-dynamo.csv'].map((f) => path.join(SHARED, f))

test('timm full files: the Pareto chart joins results to both benchmarks and the report renders', {skip: !files.every(existsSync) && 'shared data not present', timeout: 300_000}, () => {
  const timm = parseAccuracyCsv(readFileSync(files[0], 'utf8'), files[0])
  const benches = files.slice(1).map((f) => parseBenchmarkCsv(readFileSync(f, 'utf8'), f))
  const {rows, counts} = landscapeRows(timm.timm, benches, [])
  const macs = rows.filter((r) => r.panel === MACS_PANEL)
  assert.ok(macs.length > 1400, `${macs.length} of ${timm.timm.length} rows with MACs`)
  for (const b of benches) assert.ok(rows.filter((r) => r.panel === b.label).length > 1400, b.label)
  assert.equal(counts.length, 3)
  const out = path.join(ROOT, 'test-output', 'report', 'timm-full')
  const r = runCli(['report', '--out', out, '--accuracy', path.join(ROOT, 'test/report/data/trials.csv'), '--timm', files[0], '--benchmark', files[1], '--benchmark', files[2], '--json'])
  assert.equal(r.status, 0, r.stderr)
  assert.ok((JSON.parse(r.stdout) as {charts: Array<{id: string}>}).charts.some((c) => c.id === 'pareto'))
})
