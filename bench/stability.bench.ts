/**
 * Stability of the default CPU sweep on this (shared) machine, measured, not assumed:
 * (1) two default sweeps back to back: share of points whose p50s agree within 5%, and whether
 *     every point's intervals overlap or it is flagged unstable;
 * (2) a CPU hog (one busy process) from 3 s to 11 s into a third sweep: no point of the width,
 *     depth or resolution grid slower than one with more MACs beyond their intervals, and every
 *     point that moved > 10% from the quiet run flagged unstable;
 * (3) `compare` of a run with itself (every point "~") and against the same grid with each
 *     network 15% wider (every point significant and slower), both with at least 6 rounds.
 * Each sweep's wall time (target < 60 s) and the load average are printed beside the figures.
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {PACKAGE_ROOT} from '../src/paths.js'
import type {Comparison} from '../src/sweep/compare.js'
import type {SweepRecord} from '../src/sweep/record.js'
import {readSweepDir} from '../src/sweep/results.js'

const BIN = path.join(PACKAGE_ROOT, 'bin', 'run.js')
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ')

interface Sweep {
  dir: string
  sec: number
  records: SweepRecord[]
  byKey: Map<string, SweepRecord>
  keys: string[]
}

/** `effscale sweep` as a child (the real CLI); `during` runs alongside (the hog). */
async function sweep(dir: string, cache: string, extra: string[] = [], during?: () => () => void): Promise<Sweep> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [BIN, 'sweep', '--ep', 'cpu', '--out', dir, '--cache', cache, '--json', ...extra], {stdio: ['ignore', 'ignore', 'inherit']})
  const stop = during?.()
  const code = await new Promise<number | null>((r) => child.on('exit', r))
  stop?.()
  const sec = (performance.now() - t0) / 1000
  if (code !== 0) throw new Error(`sweep ${dir} exited ${code}`)
  const read = readSweepDir<SweepRecord>(dir, 'bench')
  const records = read.records.filter((r) => r.status === 'ok')
  return {dir, sec, records, byKey: new Map(records.map((r) => [r.key, r])), keys: read.meta!.grid!.keys}
}

const overlap = (a: SweepRecord, b: SweepRecord) => a.ci_lo_ms! <= b.ci_hi_ms! && b.ci_lo_ms! <= a.ci_hi_ms!
const flagged = (r: SweepRecord) => r.stable === false
const pct = (n: number, d: number) => `${n}/${d} (${((100 * n) / d).toFixed(0)}%)`

function describe(s: Sweep, name: string): void {
  const unstable = s.records.filter(flagged).length
  const rounds = s.records.map((r) => r.rounds)
  console.log(`${name}: ${s.sec.toFixed(1)} s end to end (target < 60 s), ${s.records.length} points, rounds ${Math.min(...rounds)}–${Math.max(...rounds)}, unstable ${pct(unstable, s.records.length)}; load average now ${load()}`)
}

/** Pairs (i, j) of one grid where i has fewer MACs but is slower beyond both intervals. */
function violations(s: Sweep): string[] {
  const out: string[] = []
  for (const grid of ['width', 'depth', 'resolution']) {
    const pts = s.records.filter((r) => r.grid === grid).sort((a, b) => a.macs - b.macs)
    for (let i = 0; i < pts.length; i++) {
      for (let j = i + 1; j < pts.length; j++) {
        if (pts[j].macs > pts[i].macs && pts[i].ci_lo_ms! > pts[j].ci_hi_ms!) out.push(`${pts[i].model} (${pts[i].ci_lo_ms!.toFixed(1)}–${pts[i].ci_hi_ms!.toFixed(1)} ms) slower than ${pts[j].model} (${pts[j].ci_lo_ms!.toFixed(1)}–${pts[j].ci_hi_ms!.toFixed(1)} ms)`)
      }
    }
  }
  return out
}

function compare(a: string, b: string, extra: string[] = []): {doc: Comparison; status: number | null} {
  const r = spawnSync(process.execPath, [BIN, 'compare', a, b, '--json', ...extra], {encoding: 'utf8'})
  return {doc: JSON.parse(r.stdout) as Comparison, status: r.status}
}

export async function bench(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'effscale-stability-'))
  const cache = path.join(tmp, 'cache')
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model?.trim()}; load average (1, 5, 15 min) at start ${load()}`)

  // (1) Two quiet sweeps back to back (the first also fills the model cache).
  const a = await sweep(path.join(tmp, 'a'), cache)
  describe(a, 'default sweep A')
  const b = await sweep(path.join(tmp, 'b'), cache)
  describe(b, 'default sweep B')
  const shared = a.records.filter((r) => b.byKey.has(r.key))
  const within5 = shared.filter((r) => Math.abs(b.byKey.get(r.key)!.p50_ms! / r.p50_ms! - 1) <= 0.05)
  const ok = shared.filter((r) => {
    const o = b.byKey.get(r.key)!
    return overlap(r, o) || flagged(r) || flagged(o)
  })
  console.log(`A vs B: p50 within 5%: ${pct(within5.length, shared.length)} (target ≥ 90%); intervals overlap or a point flagged unstable: ${pct(ok.length, shared.length)} (target all)`)
  const spread = shared.map((r) => Math.abs(b.byKey.get(r.key)!.p50_ms! / r.p50_ms! - 1) * 100).sort((x, y) => x - y)
  console.log(`  |B/A − 1| of p50: median ${spread[Math.floor(spread.length / 2)].toFixed(1)}%, max ${spread[spread.length - 1].toFixed(1)}%`)
  // The ratio to the reference of the same round is meant to cancel the machine's drift.
  const rel = shared.filter((r) => r.rel_ref !== null && b.byKey.get(r.key)!.rel_ref !== null)
  const relSpread = rel.map((r) => Math.abs(b.byKey.get(r.key)!.rel_ref! / r.rel_ref! - 1) * 100).sort((x, y) => x - y)
  if (relSpread.length) {
    console.log(`  rel_ref (÷ the reference of the same round) within 5%: ${pct(relSpread.filter((x) => x <= 5).length, rel.length)}; |B/A − 1| median ${relSpread[Math.floor(relSpread.length / 2)].toFixed(1)}%, max ${relSpread[relSpread.length - 1].toFixed(1)}%`)
  }
  for (const r of shared.filter((x) => !ok.includes(x))) {
    const o = b.byKey.get(r.key)!
    console.log(`  not overlapping, not flagged: ${r.model}: A ${r.ci_lo_ms!.toFixed(2)}–${r.ci_hi_ms!.toFixed(2)} ms, B ${o.ci_lo_ms!.toFixed(2)}–${o.ci_hi_ms!.toFixed(2)} ms`)
  }

  // (2) A CPU hog from 3 s to 11 s into the sweep.
  let hogLoad = ''
  const c = await sweep(path.join(tmp, 'hog'), cache, [], () => {
    let hog: ReturnType<typeof spawn> | undefined
    const start = setTimeout(() => {
      hog = spawn(process.execPath, ['-e', 'for (;;) {}'], {stdio: 'ignore'})
    }, 3000)
    const end = setTimeout(() => {
      hogLoad = load()
      hog?.kill('SIGKILL')
    }, 11_000)
    return () => {
      clearTimeout(start)
      clearTimeout(end)
      hog?.kill('SIGKILL')
    }
  })
  describe(c, 'default sweep with a CPU hog from 3 s to 11 s')
  console.log(`  load average when the hog stopped: ${hogLoad || '(sweep ended first)'}`)
  const v = violations(c)
  console.log(`  points slower than a point with more MACs in the same grid beyond their intervals: ${v.length} (target 0)`)
  for (const x of v) console.log(`    ${x}`)
  const moved = c.records.filter((r) => a.byKey.has(r.key) && Math.abs(r.p50_ms! / a.byKey.get(r.key)!.p50_ms! - 1) > 0.1)
  const movedFlagged = moved.filter(flagged)
  console.log(`  moved > 10% from quiet sweep A: ${moved.length}; of those flagged unstable: ${pct(movedFlagged.length, moved.length || 1)} (target all)`)
  for (const r of moved.filter((x) => !flagged(x))) console.log(`    moved, not flagged: ${r.model}: ${a.byKey.get(r.key)!.p50_ms!.toFixed(2)} → ${r.p50_ms!.toFixed(2)} ms (±${(100 * r.ci_rel!).toFixed(1)}%)`)
  const violA = violations(a)
  console.log(`  (quiet sweep A: ${violA.length} such violations)`)

  // (3) compare: with itself, and against every network 15% wider (same grid layout). The
  // significance test takes round medians, so both sweeps get at least 6 rounds here
  // (--rounds 6, at most 10, a budget that lets them finish): with 2 rounds no difference can be significant.
  const enough = ['--rounds', '6', '--max-rounds', '10', '--time-budget', '600']
  const a6 = await sweep(path.join(tmp, 'a6'), cache, enough)
  describe(a6, 'default grid, --rounds 6')
  const self = compare(a6.dir, a6.dir)
  const tilde = self.doc.points.filter((p) => !p.significant).length
  console.log(`compare A6 A6: "~" for ${pct(tilde, self.doc.points.length)} (target all), exit ${self.status}`)
  const file = path.join(tmp, 'wider.json')
  const points = a6.keys.map((k) => {
    const r = a6.byKey.get(k)!
    return {grid: r.grid, depth: r.depth, width: Number((r.width * 1.15).toFixed(4)), imageSize: r.infer_img_size}
  })
  writeFileSync(file, JSON.stringify({points}))
  const w = await sweep(path.join(tmp, 'wider'), cache, ['--grid', file, ...enough])
  describe(w, 'the same grid with every network w × 1.15, --rounds 6')
  const wc = compare(a6.dir, w.dir, ['--match', 'order'])
  const slower = wc.doc.points.filter((p) => p.significant && p.ratio > 1).length
  const ratios = wc.doc.points.map((p) => p.ratio).sort((x, y) => x - y)
  console.log(`compare A6 wider: significant and slower for ${pct(slower, wc.doc.points.length)} (target all); B/A from ${ratios[0].toFixed(3)} to ${ratios[ratios.length - 1].toFixed(3)}, geomean ${wc.doc.geomean.ratio.toFixed(3)}; exit ${wc.status}`)
  const relW = a6.keys.map((k, i) => ({a: a6.byKey.get(k), w: w.byKey.get(w.keys[i])})).filter((x) => x.a?.rel_ref && x.w?.rel_ref)
  if (relW.length) {
    const g = Math.exp(relW.reduce((acc, x) => acc + Math.log(x.w!.rel_ref! / x.a!.rel_ref!), 0) / relW.length)
    console.log(`  rel_ref, wider / A6: geomean ${g.toFixed(3)} (each run divided by its own reference; the wider run's reference is wider too)`)
  }
  for (const p of wc.doc.points.filter((x) => !(x.significant && x.ratio > 1))) console.log(`    not shown slower: ${p.model}: B/A ${p.ratio.toFixed(3)} (${p.ratio_lo.toFixed(3)}–${p.ratio_hi.toFixed(3)}), p=${p.p.toFixed(3)}`)
  console.log(`load average at the end ${load()}`)
}
