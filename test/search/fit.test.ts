import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {parseAccuracyCsv, readCsv} from '../../src/accuracy/csv.js'
import {resolveAccuracy} from '../../src/accuracy/resolve.js'
import {FIXTURES} from '../../src/paths.js'
import {UserError} from '../../src/errors.js'
import {comparableScatter, fitScalingLaw, predictWithUncertainty} from '../../src/search/fit.js'
import {fitGroups, fitPoints} from '../../src/search/fit-groups.js'
import {t975} from '../../src/search/student-t.js'
import {assertUsageError, runCli} from '../helpers/cli.js'

const FIXTURE = path.join(FIXTURES, 'paper', 'b0-b7-accuracy.csv')
const paperPoints = () => resolveAccuracy(parseAccuracyCsv(readFileSync(FIXTURE, 'utf8'), FIXTURE))

test('the B0–B7 accuracy fixture agrees with table2.json', () => {
  const table2 = JSON.parse(readFileSync(path.join(FIXTURES, 'paper', 'table2.json'), 'utf8')) as {rows: Array<{variant?: string; top1: number}>}
  const {rows} = parseAccuracyCsv(readFileSync(FIXTURE, 'utf8'), FIXTURE)
  assert.equal(rows.length, 8)
  for (const r of rows) assert.equal(r.top1, table2.rows.find((t) => t.variant === r.name)!.top1, r.name)
})

test('fit on B0–B7: monotone saturating curve, interior LOO error within 0.5 pp', () => {
  const pts = paperPoints()
  const f = fitScalingLaw(pts)
  assert.ok(f.b > 0 && f.c > 0, `b=${f.b} c=${f.c}`)
  assert.ok(f.a > Math.max(...pts.map((p) => p.top1)), 'saturates above the best point')
  // Monotone and concave in log MACs over and beyond the data.
  const grid = Array.from({length: 60}, (_, i) => 1e8 * 1.15 ** i)
  const y = grid.map((m) => f.predict(m))
  for (let i = 1; i < y.length; i++) assert.ok(y[i] > y[i - 1])
  for (let i = 2; i < y.length; i++) assert.ok(y[i] - y[i - 1] < y[i - 1] - y[i - 2])
  assert.ok(y.every((v) => v < f.a))
  assert.equal(f.loo!.length, 8)
  const interior = f.loo!.filter((l) => l.interior)
  assert.equal(interior.length, 6)
  for (const l of interior) assert.ok(Math.abs(l.error) <= 0.5, `LOO at ${l.macs}: ${l.error}`)
  for (const [i, r] of f.residuals.entries()) assert.ok(Math.abs(pts[i].top1 - f.predict(pts[i].macs) - r) < 1e-12)
  // Leave-one-out means it: each prediction comes from a fit that never saw the point.
  for (const [i, l] of f.loo!.entries()) {
    const without = fitScalingLaw(pts.filter((_, j) => j !== i))
    assert.ok(Math.abs(l.predicted - without.predict(l.macs)) < 1e-9, `LOO ${i}: ${l.predicted} vs ${without.predict(l.macs)}`)
    assert.ok(Math.abs(l.error - (l.top1 - l.predicted)) < 1e-12)
  }
  assert.ok(f.loo!.some((l, i) => Math.abs(l.predicted - f.predict(pts[i].macs)) > 1e-3), 'LOO predictions differ from the full fit')
})

test('the fit is the least-squares optimum (checked against a dense scan over c)', () => {
  const pts = paperPoints()
  const f = fitScalingLaw(pts)
  const sse = (a: number, b: number, c: number) => pts.reduce((s, p) => s + (p.top1 - (a - b * (p.macs / 1e9) ** -c)) ** 2, 0)
  const fitted = sse(f.a, f.b, f.c)
  for (let c = 0.01; c <= 4; c += 0.005) {
    // For fixed c the law is linear in (a, b): solve it exactly.
    const u = pts.map((p) => (p.macs / 1e9) ** -c)
    const n = u.length
    const mu = u.reduce((s, v) => s + v, 0) / n
    const my = pts.reduce((s, p) => s + p.top1, 0) / n
    const slope = u.reduce((s, v, i) => s + (v - mu) * (pts[i].top1 - my), 0) / u.reduce((s, v) => s + (v - mu) ** 2, 0)
    assert.ok(sse(my - slope * mu, -slope, c) >= fitted - 1e-9, `c=${c} beats the fit`)
  }
})

test('recovers the parameters of noiseless synthetic data', () => {
  const truth = {a: 80, b: 3, c: 0.4}
  const pts = [0.2e9, 0.5e9, 1e9, 3e9, 8e9, 20e9].map((macs) => ({macs, top1: truth.a - truth.b * (macs / 1e9) ** -truth.c}))
  const f = fitScalingLaw(pts)
  assert.ok(Math.abs(f.a - truth.a) < 1e-3 && Math.abs(f.b - truth.b) < 1e-3 && Math.abs(f.c - truth.c) < 1e-3, JSON.stringify(f))
})

test('too few points to fit is a clear user error', () => {
  assert.throws(() => fitScalingLaw([{macs: 1e9, top1: 70}, {macs: 2e9, top1: 72}]), (e) => e instanceof UserError && /too few points.*3 parameters/.test(e.message))
  assert.throws(() => fitScalingLaw([1, 1, 1, 2].map((g) => ({macs: g * 1e9, top1: 70 + g}))), /distinct MACs/)
  const three = fitScalingLaw([1, 2, 4].map((g) => ({macs: g * 1e9, top1: 80 - 2 / g})))
  assert.equal(three.loo, null, 'three points fit exactly but leave nothing to cross-validate')
  assert.equal(predictWithUncertainty(three, 3e9).uncertainty, null)
  assert.equal(predictWithUncertainty(three, 3e9).interval, null)
})

test('t(0.975, ν) matches the integral of the t density to 1e-4', () => {
  // Independent of the table: Simpson integration of the density from 0 to the quantile.
  const lgamma = (z: number): number => {
    const g = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
    let x = 0.99999999999980993
    for (let i = 0; i < 8; i++) x += g[i] / (z + i)
    const t = z + 6.5
    return 0.5 * Math.log(2 * Math.PI) + (z - 0.5) * Math.log(t) - t + Math.log(x)
  }
  const density = (t: number, v: number) => Math.exp(lgamma((v + 1) / 2) - lgamma(v / 2) - 0.5 * Math.log(v * Math.PI) - ((v + 1) / 2) * Math.log(1 + (t * t) / v))
  for (const v of [1, 2, 3, 5, 8, 13, 21, 30, 31, 50, 120]) {
    const q = t975(v)
    const n = 4000
    let area = density(0, v) + density(q, v)
    for (let i = 1; i < n; i++) area += (i % 2 ? 4 : 2) * density((q * i) / n, v)
    assert.ok(Math.abs(0.5 + (area * q) / n / 3 - 0.975) < 1e-4, `ν=${v}: P(T ≤ ${q}) = ${0.5 + (area * q) / n / 3}`)
  }
})

test('prediction interval: t(0.975, n − 3) × the larger of the LOO RMS error and the comparable points\' scatter', () => {
  const f = fitScalingLaw(paperPoints())
  const inside = predictWithUncertainty(f, 3e9)
  assert.equal(inside.extrapolated, false)
  // No B-model within 10 % of 3 GMACs: the comparable points are B3 (1.83G) below and B4 (4.39G) above.
  const near = f.loo!.filter((l) => l.macs === 1827141392 || l.macs === 4393771024)
  assert.equal(near.length, 2)
  const local = Math.sqrt((near[0].error ** 2 + near[1].error ** 2) / 2)
  assert.equal(comparableScatter(f.loo!, 3e9), local)
  assert.ok(Math.abs(inside.uncertainty! - 2.571 * Math.max(f.looErrorInterior!, local)) < 1e-12)
  assert.deepEqual(inside.interval, {low: inside.top1 - inside.uncertainty!, high: inside.top1 + inside.uncertainty!})
  const outside = predictWithUncertainty(f, 80e9)
  assert.equal(outside.extrapolated, true)
  assert.ok(outside.uncertainty! >= 2.571 * f.looErrorEnds! - 1e-12)
})

test('the interval is never narrower than the scatter of comparable points', () => {
  // A smooth curve plus two trainings of one network 1 pp apart: near them, the interval must
  // cover that scatter even though the curve fits the other points to 0.01 pp.
  const law = (g: number) => 82 - 3 * g ** -0.5
  const pts = [0.4, 0.7, 1, 2, 4, 8, 16].map((g) => ({macs: g * 1e9, top1: law(g) + (g === 4 ? 0 : 0.01 * Math.sin(g))}))
  pts.push({macs: 4e9, top1: law(4) + 1})
  const f = fitScalingLaw(pts)
  const p = predictWithUncertainty(f, 4.1e9)
  const replicate = f.loo!.filter((l) => l.macs === 4e9)
  assert.equal(replicate.length, 2)
  assert.ok(p.uncertainty! >= Math.sqrt((replicate[0].error ** 2 + replicate[1].error ** 2) / 2), `${p.uncertainty}`)
  assert.ok(p.uncertainty! > 0.5)
  // Far from them the interval is the curve's own.
  assert.ok(predictWithUncertainty(f, 0.8e9).uncertainty! < p.uncertainty!)
})

test('non-positive or non-finite MACs are refused, not predicted as −Infinity or NaN', () => {
  const f = fitScalingLaw(paperPoints())
  for (const m of [0, -1e9, NaN, Infinity]) assert.throws(() => predictWithUncertainty(f, m), (e) => e instanceof UserError && /MACs must be a finite number > 0/.test(e.message), String(m))
})

test('per-path groups share the baseline point and skip groups too small to fit', () => {
  const csv = [
    'base,depth,width,resolution,top1',
    'efficientnet-b0,1,1,1,77',
    ...[1.4, 1.8, 2.6, 3.8].map((w, i) => `efficientnet-b0,1,${w},1,${78 + i * 0.5}`),
    'efficientnet-b0,1.4,1.2,1.3,81',
  ].join('\n')
  const g = fitGroups(fitPoints(resolveAccuracy(parseAccuracyCsv(csv, 'dims.csv'))), 'path')
  const width = g.groups.find((x) => x.group === 'width')!
  assert.equal(width.points.length, 5)
  assert.ok(width.fit)
  const compound = g.groups.find((x) => x.group === 'compound')!
  assert.equal(compound.fit, null)
  assert.match(compound.skipped!, /too few points/)
  assert.equal(g.groups.find((x) => x.group === 'depth'), undefined, 'baseline alone is no curve')
})

test('accuracy CSV: quoted fields, missing columns named, non-numeric values with their line', () => {
  assert.deepEqual(readCsv('a,"b,c","d ""e"""\r\n1,2,3\n', 'f.csv'), {columns: ['a', 'b,c', 'd "e"'], rows: [{line: 2, cells: {a: '1', 'b,c': '2', 'd "e"': '3'}}]})
  assert.throws(() => parseAccuracyCsv('name,acc\nx,1\n', 'f.csv'), /f\.csv: missing columns base or model, top1/)
  assert.throws(() => parseAccuracyCsv('model,top1\nefficientnet-b0,77\n\nefficientnet-b1,high\n', 'f.csv'), /f\.csv line 4: top1 "high" is not a number/)
  assert.throws(() => parseAccuracyCsv('base,width,top1\nefficientnet-b0,wide,77\n', 'f.csv'), /line 2: width "wide"/)
  assert.throws(() => parseAccuracyCsv('', 'f.csv'), /empty/)
  assert.throws(() => parseAccuracyCsv('base,width,top1\nefficientnet-b0,0.5,77\nefficientnet-b0,-1,70\n', 'f.csv'), /f\.csv line 3: width must be > 0/)
  // A value the CSV accepts but the network does not: the resolver's error names file and line too.
  assert.throws(() => resolveAccuracy(parseAccuracyCsv('base,image_size,top1\nefficientnet-b0,224,77\nefficientnet-b0,16,70\n', 'f.csv')), /f\.csv line 3: image size 16 px is too small/)
})

test('fit command on the paper fixture: --json has the parameters and predictions with intervals', () => {
  const r = runCli(['fit', '--accuracy', FIXTURE, '--predict', 'model=efficientnet-b8', '--predict', 'macs=1.5G', '--json'])
  assert.equal(r.status, 0, r.stderr)
  const doc = JSON.parse(r.stdout)
  assert.equal(doc.by, 'path', 'auto: a points file is fitted per path')
  assert.deepEqual(doc.groups.map((g: {group: string}) => g.group), ['compound'], 'B0–B7 are the baseline and compound points')
  for (const k of ['a', 'b', 'c', 'looError', 'residuals']) assert.ok(k in doc.groups[0].fit, k)
  assert.equal(doc.predictions.length, 2)
  assert.equal(doc.predictions[0].extrapolated, true)
  for (const p of doc.predictions) assert.ok(p.interval.high - p.interval.low > 0 && p.onPath)
  const human = runCli(['fit', '--accuracy', FIXTURE])
  assert.match(human.stdout, /MACs = multiply-accumulates/)
})

test('fit command: bad input is one line, exit 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-fit-'))
  const file = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name))
  assertUsageError(['fit', '--accuracy', file('miss.csv', 'model,acc\nefficientnet-b0,77\n')], /missing column top1/)
  assertUsageError(['fit', '--accuracy', file('nan.csv', 'model,top1\nefficientnet-b0,77\nefficientnet-b1,n/a\n')], /line 3: top1 "n\/a" is not a number/)
  assertUsageError(['fit', '--accuracy', file('two.csv', 'model,top1\nefficientnet-b0,77\nefficientnet-b1,79\n')], /too few points/)
  assertUsageError(['fit', '--accuracy', path.join(dir, 'none.csv')], /no such file/)
  assertUsageError(['fit', '--accuracy', FIXTURE, '--by', 'colour'], /--by must be one of/)
  assertUsageError(['fit', '--accuracy', FIXTURE, '--predict', 'width'], /--predict "width"/)
})
