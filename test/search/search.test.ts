import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {parseAccuracyCsv} from '../../src/accuracy/csv.js'
import {resolveAccuracy} from '../../src/accuracy/resolve.js'
import {PAPER_COEFFICIENTS} from '../../src/arch/point.js'
import {baseByName, resolveTarget} from '../../src/arch/target.js'
import {UserError} from '../../src/errors.js'
import {costTotals} from '../../src/flops/index.js'
import {scaledFamily} from '../../src/search/family.js'
import {joinMeasurements} from '../../src/search/measured.js'
import {costCandidates, enumerateGrid, MNAS, rankCandidates} from '../../src/search/search.js'
import type {SweepRecord} from '../../src/sweep/record.js'
import {assertUsageError, runCli} from '../helpers/cli.js'

const b0 = baseByName('efficientnet-b0')
const grid = {targetRatio: 2, step: 0.05, tolerance: 0.1}
const {alpha, beta, gamma} = PAPER_COEFFICIENTS

test('target 2, step 0.05: the paper’s (1.2, 1.1, 1.15) is a candidate, marked once', () => {
  const cs = enumerateGrid(grid)
  const paper = cs.filter((c) => c.paper)
  assert.equal(paper.length, 1)
  assert.deepEqual([paper[0].alpha, paper[0].beta, paper[0].gamma], [alpha, beta, gamma])
})

test('grid: every candidate satisfies the constraint, and none is missed', () => {
  const cs = enumerateGrid(grid)
  for (const c of cs) {
    assert.ok(c.alpha >= 1 && c.beta >= 1 && c.gamma >= 1)
    assert.ok(Math.abs(c.alpha * c.beta ** 2 * c.gamma ** 2 / 2 - 1) <= 0.1 + 1e-12)
  }
  // Independent count over a box that surely holds the grid (each value ≤ 2.2).
  let n = 0
  for (let i = 0; i <= 24; i++)
    for (let j = 0; j <= 24; j++)
      for (let k = 0; k <= 24; k++) {
        const r = (1 + i / 20) * (1 + j / 20) ** 2 * (1 + k / 20) ** 2
        if (r >= 1.8 - 1e-9 && r <= 2.2 + 1e-9) n++
      }
  assert.equal(cs.length, n)
  assert.equal(new Set(cs.map((c) => `${c.alpha},${c.beta},${c.gamma}`)).size, cs.length, 'no duplicates')
})

test('each candidate is costed with the real rounded MACs of its φ = 1 network', () => {
  const costed = costCandidates(b0, enumerateGrid(grid))
  const baseMacs = costTotals(resolveTarget({base: 'efficientnet-b0'})).macs
  for (const c of costed.filter((_, i) => i % 17 === 0 || _.paper)) {
    const t = costTotals(resolveTarget({base: 'efficientnet-b0', depth: c.alpha, width: c.beta, resolution: c.gamma}))
    assert.equal(c.macs, t.macs)
    assert.equal(c.params, t.params)
    assert.equal(c.realRatio, t.macs / baseMacs)
  }
  const paper = costed.find((c) => c.paper)!
  const phi1 = scaledFamily({base: b0, alpha, beta, gamma, maxPhi: 1}).members[1]
  assert.equal(paper.macs, phi1.macs, 'search at φ = 1 agrees with the family')
})

test('without accuracy the list is a plan: unranked, nearest real ratio first', () => {
  const costed = costCandidates(b0, enumerateGrid(grid))
  const ranked = rankCandidates(costed, [], {objective: 'mnas', targetRatio: 2})
  assert.equal(ranked.length, costed.length)
  assert.ok(ranked.every((c) => c.rank === null && c.score === null))
  for (let i = 1; i < ranked.length; i++) {
    assert.ok(Math.abs(ranked[i - 1].realRatio - 2) <= Math.abs(ranked[i].realRatio - 2))
  }
})

test('MnasNet objective ACC·(MACs/T)^w trades accuracy against MACs', () => {
  const costed = costCandidates(b0, enumerateGrid(grid))
  const small = costed.reduce((a, c) => (c.macs < a.macs ? c : a))
  const big = costed.reduce((a, c) => (c.macs > a.macs ? c : a))
  // Equal accuracy: the objective must prefer fewer MACs (w < 0).
  const measured = costed.map((c) => ({top1: c === small || c === big ? 80 : null, latencyMs: null}))
  const ranked = rankCandidates(costed, measured, {objective: 'mnas', targetRatio: 2})
  assert.equal(ranked[0], ranked.find((c) => c.alpha === small.alpha && c.beta === small.beta && c.gamma === small.gamma))
  assert.equal(ranked[0].rank, 1)
  assert.equal(ranked[1].rank, 2)
  assert.ok(Math.abs(ranked[0].score! - 80 * (small.macs / MNAS.target) ** MNAS.w) < 1e-9)
  assert.equal(ranked[2].rank, null)
  // Accuracy objective ignores MACs: a 0.1 pp better big model wins.
  const m2 = costed.map((c) => ({top1: c === small ? 80 : c === big ? 80.1 : null, latencyMs: null}))
  const r2 = rankCandidates(costed, m2, {objective: 'accuracy', targetRatio: 2})
  assert.equal(r2[0].macs, big.macs)
})

test('trials and sweep latencies join candidates by base, depth, width and image size', () => {
  const costed = costCandidates(b0, enumerateGrid(grid))
  const csv = 'base,depth,width,resolution,top1\nefficientnet-b0,1.2,1.1,1.15,79.5\nefficientnet-b0,1.4,1.2,1.3,81\nmobilenet-v2,1.2,1.1,1.15,70\n'
  const trials = resolveAccuracy(parseAccuracyCsv(csv, 'trials.csv'))
  const paper = costed.find((c) => c.paper)!
  const other = costed.find((c) => c.alpha === 1.8 && c.beta === 1 && c.gamma === 1)!
  const rec = (c: typeof paper, ms: number, status: 'ok' | 'failed' = 'ok') =>
    ({base: 'efficientnet-b0', depth: c.point.depth, width: c.point.width, infer_img_size: c.point.imageSize, infer_batch_size: 1, status, p50_ms: ms, infer_step_time: ms}) as unknown as SweepRecord
  const j = joinMeasurements('efficientnet-b0', costed, trials, [rec(paper, 4), rec(paper, 3.5), rec(other, 2, 'failed'), rec(other, 3)])
  const at = (c: typeof paper) => j.measured[costed.indexOf(c)]
  assert.deepEqual(at(paper), {top1: 79.5, latencyMs: 3.5})
  assert.deepEqual(at(other), {top1: null, latencyMs: 3})
  assert.equal(j.unmatchedTrials, 2, '(1.4, 1.2, 1.3) is off this grid; mobilenet-v2 is another base')
  const budgeted = rankCandidates(costed, j.measured, {objective: 'latency', targetRatio: 2, latencyBudgetMs: 3.2})
  assert.equal(budgeted[0].alpha, 1.8, 'only the 3 ms candidate fits a 3.2 ms budget')
  assert.equal(budgeted.filter((c) => c.rank !== null).length, 1)
})

test('bad grids are user errors', () => {
  assert.throws(() => enumerateGrid({...grid, targetRatio: 1}), (e) => e instanceof UserError && /--target-ratio/.test(e.message))
  assert.throws(() => enumerateGrid({...grid, targetRatio: 0.5}), /--target-ratio/)
  assert.throws(() => enumerateGrid({...grid, step: 0}), /--step/)
  assert.throws(() => enumerateGrid({targetRatio: 2, step: 0.7, tolerance: 0.001}), /empty grid/)
  assert.throws(() => enumerateGrid({...grid, step: 0.0005}), /more than/)
})

test('search command: plan marks the paper’s choice; --json and --csv hold every candidate', () => {
  const r = runCli(['search', '--base', 'efficientnet-b0', '--target-ratio', '2', '--step', '0.05'])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /MACs = multiply-accumulates/)
  assert.match(r.stdout, /1\.20\s+1\.10\s+1\.15.*← paper/)
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-search-'))
  const csv = path.join(dir, 'plan.csv')
  const j = runCli(['search', '--json', '--csv', csv])
  assert.equal(j.status, 0, j.stderr)
  const doc = JSON.parse(j.stdout)
  assert.equal(doc.mode, 'plan')
  assert.equal(doc.candidates.length, enumerateGrid(grid).length)
  assert.equal(doc.candidates.filter((c: {paper: boolean}) => c.paper).length, 1)
  assert.equal(readFileSync(csv, 'utf8').trim().split('\n').length, doc.candidates.length + 1)
})

test('search command ranks by trained accuracy from a CSV', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-search-'))
  const trials = path.join(dir, 'trials.csv')
  writeFileSync(trials, 'base,depth,width,image_size,top1\nefficientnet-b0,1.2,1.1,258,79.9\nefficientnet-b0,2,1,224,78.9\n')
  const doc = JSON.parse(runCli(['search', '--accuracy', trials, '--objective', 'accuracy', '--json']).stdout)
  assert.equal(doc.mode, 'ranked')
  assert.equal(doc.scored, 2)
  assert.ok(doc.candidates[0].paper)
})

test('search command: bad input is one line, exit 2', () => {
  assertUsageError(['search', '--target-ratio', '1'], /--target-ratio must be > 1/)
  assertUsageError(['search', '--target-ratio', '2', '--step', '0.7', '--tolerance', '0.001'], /empty grid/)
  assertUsageError(['search', '--step', '-0.1'], /--step must be > 0/)
  assertUsageError(['search', '--objective', 'speed'], /--objective must be one of/)
  assertUsageError(['search', '--objective', 'latency'], /needs --sweep/)
  assertUsageError(['search', '--sweep', '/nonexistent', '--objective', 'latency'], /no results\.jsonl/)
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-search-'))
  const bad = path.join(dir, 'bad.csv')
  writeFileSync(bad, 'base,depth,width,resolution\nefficientnet-b0,1,1,1\n')
  assertUsageError(['search', '--accuracy', bad], /missing column top1/)
})
