/**
 * Refusals of bad output paths and sweep directories (test/io/refusal-cases.ts) and of resource
 * bombs (test/arch/guard-cases.ts), as a user sees
 * them: wall time, CPU time and peak memory of the whole CLI process, beside the CLI's bare
 * start-up (`--version`) measured interleaved with them. Targets: < 2 s and < 500 MB each; on a
 * loaded machine start-up alone can pass 2 s, so CPU time beyond start-up is shown too.
 * Also the in-process time of ensureOutDir refusing /proc/… (target < 1 s; Node's recursive
 * mkdir never returns there).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {ensureOutDir} from '../src/io/out-dir.js'
import {LIMITS, runMeasured} from '../test/helpers/measured.js'
import {RefusalTally, STARTUP} from './refusal-tally.js'
import {guardCases} from '../test/arch/guard-cases.js'
import {refusalCases} from '../test/io/refusal-cases.js'

const ROUNDS = 3

export async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-bench-io-'))
  try {
    const cases = [...(await refusalCases(dir)), ...guardCases(dir)]
    const tally = new RefusalTally()
    // Interleaved rounds: every case, and start-up, once per round, so machine noise hits all alike.
    for (let round = 0; round < ROUNDS; round++) {
      tally.add(STARTUP, runMeasured(['--version']))
      for (const c of cases) {
        const r = runMeasured(c.args, {timeout: 30_000})
        if (r.status !== c.exit || !c.re.test(r.stderr.trim())) throw new Error(`${c.name}: exit ${r.status}, ${r.stderr.trim()}`)
        tally.add(c.name, r)
      }
    }
    const {met, metBeyond} = tally.report((name) => name.padEnd(40))
    console.log(`${met}/${cases.length} refusals within ${LIMITS.ms} ms wall (start-up included) and ${LIMITS.rssMb} MB; ${metBeyond}/${cases.length} within ${LIMITS.ms} ms of CPU beyond start-up (${ROUNDS} interleaved rounds)`)

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
