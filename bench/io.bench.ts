/**
 * Refusals of bad output paths by every command that writes (test/io/refusal-cases.ts), as a
 * user sees them: wall time of the whole CLI process and its peak memory, beside the CLI's bare
 * start-up (`--version`) measured interleaved with them. Targets: < 2 s and < 500 MB each.
 * Also Node's own question: how long ensureOutDir takes to refuse /proc/… (target < 1 s;
 * Node's recursive mkdir never returns there).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {ensureOutDir} from '../src/io/out-dir.js'
import {LIMITS, runMeasured} from '../test/helpers/measured.js'
import {refusalCases} from '../test/io/refusal-cases.js'

const ROUNDS = 3
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-bench-io-'))
  try {
    const cases = await refusalCases(dir)
    const wall = new Map<string, number[]>()
    const rss = new Map<string, number>()
    const add = (name: string, ms: number, mb: number) => {
      wall.set(name, [...(wall.get(name) ?? []), ms])
      rss.set(name, Math.max(rss.get(name) ?? 0, mb))
    }
    // Interleaved rounds: every case, and start-up, once per round, so machine noise hits all alike.
    for (let round = 0; round < ROUNDS; round++) {
      const v = runMeasured(['--version'])
      add('(start-up: --version)', v.ms, v.maxRssMb)
      for (const c of cases) {
        const r = runMeasured(c.args, {timeout: 30_000})
        if (r.status !== c.exit || !c.re.test(r.stderr.trim())) throw new Error(`${c.name}: exit ${r.status}, ${r.stderr.trim()}`)
        add(c.name, r.ms, r.maxRssMb)
      }
    }
    let met = 0
    for (const [name, ms] of wall) {
      const m = median(ms)
      const ok = m < LIMITS.ms && rss.get(name)! < LIMITS.rssMb
      if (ok) met++
      console.log(`${name.padEnd(32)} median ${m.toFixed(0).padStart(5)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}), peak ${rss.get(name)!.toFixed(0)} MB ${ok ? '' : ' MISSED'}`)
    }
    console.log(`${met}/${wall.size} within ${LIMITS.ms} ms and ${LIMITS.rssMb} MB (${ROUNDS} interleaved rounds; wall time includes CLI start-up)`)

    const t0 = performance.now()
    let refused = false
    try {
      ensureOutDir('/proc/effscale-bench/x/y', '--out')
    } catch {
      refused = true
    }
    const us = (performance.now() - t0) * 1000
    console.log(`ensureOutDir('/proc/effscale-bench/x/y'): ${refused ? 'refused' : 'NOT refused'} in ${us.toFixed(0)} µs — target < 1 s: ${refused && us < 1e6 ? 'met' : 'MISSED'}`)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
