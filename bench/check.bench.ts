/**
 * `effscale check` on 1,000 budget entries of analytic targets at varied points: parse,
 * resolve, cost, verdicts, table and JUnit. Target: < 1 s.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {runCheck} from '../src/budget/check.js'
import {toJUnit} from '../src/budget/junit.js'
import {renderCheck} from '../src/budget/render.js'

const ENTRIES = 1000
const TARGET_MS = 1000

/** Deterministic, varied points over every shipped base; every limit kind but latency. */
function budgets(): object {
  const bases = ['efficientnet-b0', 'mobilenet-v1', 'mobilenet-v2', 'resnet-50']
  return {
    budgets: Array.from({length: ENTRIES}, (_, i) => ({
      name: `entry-${i}`,
      base: bases[i % bases.length],
      depth: 1 + (i % 9) * 0.25,
      width: 0.5 + (i % 13) * 0.125,
      resolution: 0.75 + (i % 7) * 0.125,
      batch: 1 + (i % 4) * 8,
      maxMacs: '3G',
      maxParams: '40M',
      maxMemory: '1GiB',
      ...(i % 2 ? {maxFlops: '6G', maxActivations: '100M'} : {}),
    })),
  }
}

export async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-bench-'))
  const file = path.join(dir, 'budgets.json')
  writeFileSync(file, JSON.stringify(budgets(), null, 2))
  try {
    await runCheck({budget: file}) // warm-up: module loading and JIT
    const times: number[] = []
    let checks = 0
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now()
      const r = await runCheck({budget: file})
      renderCheck(r)
      toJUnit(r)
      times.push(performance.now() - t0)
      checks = r.summary.checks
    }
    times.sort((a, b) => a - b)
    const median = times[2]
    console.log(
      `check ${ENTRIES} analytic budget entries (${checks} checks, file → table + JUnit): ` +
        `median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms over 5 runs — target < ${TARGET_MS} ms: ${median < TARGET_MS ? 'met' : 'MISSED'}`,
    )
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
