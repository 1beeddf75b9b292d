/**
 * Search cost: 10,000 candidates α, β, γ, each lowered and costed with its real rounded MACs
 * through costTotals (no memo: every candidate is a fresh lowering). Target: < 1 s.
 * Reports the first (cold, JIT warming) run and the median of the next five.
 */
import {performance} from 'node:perf_hooks'
import {baseByName} from '../src/arch/target.js'
import {costCandidates, enumerateGrid, rankCandidates} from '../src/search/search.js'

const N = 10_000
const TARGET_MS = 1000

export async function bench(): Promise<void> {
  const base = baseByName('efficientnet-b0')
  const grid = {targetRatio: 2, step: 0.01, tolerance: 0.05}
  const all = enumerateGrid(grid)
  if (all.length < N) throw new Error(`grid gives ${all.length} candidates, fewer than ${N}`)
  const candidates = all.slice(0, N)

  const time = (fn: () => void) => {
    const t0 = performance.now()
    fn()
    return performance.now() - t0
  }
  const cold = time(() => costCandidates(base, candidates))
  const warm = Array.from({length: 5}, () => time(() => costCandidates(base, candidates))).sort((a, b) => a - b)[2]
  const full = time(() => rankCandidates(costCandidates(base, enumerateGrid(grid)), [], {objective: 'mnas', targetRatio: 2}))
  const verdict = (ms: number) => (ms < TARGET_MS ? 'ok' : 'OVER TARGET')
  console.log(`costing ${N.toLocaleString('en-US')} candidates (efficientnet-b0, φ = 1, costTotals):`)
  console.log(`  cold ${cold.toFixed(0)} ms, warm median of 5 ${warm.toFixed(0)} ms  (target < ${TARGET_MS} ms: ${verdict(Math.max(cold, warm))})`)
  console.log(`  ${(warm / N * 1000).toFixed(1)} µs per candidate (warm)`)
  console.log(`full search (enumerate ${all.length.toLocaleString('en-US')} + cost + rank, step ${grid.step}, tolerance ${grid.tolerance}): ${full.toFixed(0)} ms`)
}
