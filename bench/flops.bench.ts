/**
 * Analytic costing throughput: lower + cost one EfficientNet-B0 point (target ≥ 100,000
 * points/s on one core), the same over a varied grid of scaled B0 points, and one point of
 * every base (their op lists differ in length: points/s falls with ops).
 */
import {BASES} from '../src/arch/bases.js'
import {lower} from '../src/arch/lower.js'
import {resolvePoint} from '../src/arch/point.js'
import type {BaseSpec, Point} from '../src/arch/spec.js'
import {total} from '../src/flops/count.js'
import {estimateCost} from '../src/flops/estimate.js'

const base = BASES['efficientnet-b0']

/** Points per second over one window of `seconds`. */
function window(points: Point[], seconds: number, net: BaseSpec = base): number {
  let n = 0
  let sink = 0
  const end = performance.now() + seconds * 1000
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) sink += total(lower(net, points[(n + i) % points.length]).ops).macs
    n += 1000
  }
  if (sink <= 0) throw new Error('no work done')
  return n / seconds
}

/** Points per CPU-second of this process over n points: on a shared machine wall time also measures the neighbours. */
function perCpuSecond(points: Point[], n: number, net: BaseSpec = base): number {
  let sink = 0
  const c0 = process.cpuUsage()
  for (let i = 0; i < n; i++) sink += total(lower(net, points[i % points.length]).ops).macs
  const c = process.cpuUsage(c0)
  if (sink <= 0) throw new Error('no work done')
  return n / ((c.user + c.system) / 1e6)
}

/** Median of 5 windows after a 1 s warm-up (the JIT settles per workload). */
function rate(points: Point[]): number {
  window(points, 1)
  const r = Array.from({length: 5}, () => window(points, 0.5)).sort((a, b) => a - b)
  return r[2]
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US')

export async function bench(): Promise<void> {
  const b0 = [resolvePoint(base, {})]
  const grid: Point[] = []
  for (const d of [1, 1.2, 1.4, 2]) for (const w of [1, 1.1, 1.2, 1.4]) for (const r of [1, 1.15, 1.3]) grid.push(resolvePoint(base, {depth: d, width: w, resolution: r}))
  const varied = rate(grid)
  const single = rate(b0)
  console.log(`lower + cost EfficientNet-B0:            ${fmt(single)} points/s (target ≥ 100,000)  ${single >= 1e5 ? 'PASS' : 'FAIL'}`)
  console.log(`lower + cost 48 scaled B0 points (d≤2):  ${fmt(varied)} points/s (median of 5 windows)`)
  const cpu = perCpuSecond(b0, 20_000)
  console.log(`lower + cost EfficientNet-B0 per CPU-s:  ${fmt(cpu)} points per CPU-second (target ≥ 100,000)  ${cpu >= 1e5 ? 'PASS' : 'FAIL'}`)
  console.log('\none point of each base at its own size, points per CPU-second (median of 3 runs of 5,000 after 5,000 warm-up; min…max):')
  for (const b of Object.values(BASES)) {
    const p = [resolvePoint(b, {})]
    perCpuSecond(p, 5000, b)
    const r = Array.from({length: 3}, () => perCpuSecond(p, 5000, b)).sort((x, y) => x - y)
    const ops = lower(b, p[0]).ops.length
    console.log(`  ${b.name.padEnd(20)} ${String(ops).padStart(4)} ops  ${fmt(r[1]).padStart(9)} points/s  (${fmt(r[0])}…${fmt(r[2])})`)
  }
  // The cost estimate every export and sweep point makes before any work (target: microseconds).
  for (const [name, input] of [['efficientnet-b0', {width: 100}], ['efficientnet-v2-l', {}]] as const) {
    const b = BASES[name]
    const t = {base: b, point: resolvePoint(b, input)}
    const us: number[] = []
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now()
      for (let i = 0; i < 200; i++) estimateCost(t, {batch: 1, dtype: 'fp32'})
      us.push(((performance.now() - t0) * 1000) / 200)
    }
    us.sort((x, y) => x - y)
    console.log(`cost estimate before work, ${`${name} ${JSON.stringify(input)}`.padEnd(30)} ${us[3].toFixed(1)} µs (median of 7 × 200; ${us[0].toFixed(1)}…${us[6].toFixed(1)})`)
  }
}
