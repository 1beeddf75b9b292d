/**
 * CLI start-up as a user sees it: whole-process wall and CPU time of `--version`, of
 * `flops --model efficientnet-b0 --json` (target ≤ 500 ms wall on 2 cores) and of refusals that
 * must come before any heavy library loads, beside bare `node -e 0` and beside the same flops
 * call without the oclif manifest (a copy of the package root that lacks it: oclif then imports
 * every command), in interleaved rounds so machine noise hits every case alike. Median and spread (min–max) per case, and the load
 * average before and after (the machine may be shared).
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import path from 'node:path'
import {PACKAGE_ROOT} from '../src/paths.js'
import {runMeasured} from '../test/helpers/measured.js'

const ROUNDS = 9
const TARGET_MS = 500

interface Case {
  name: string
  args: string[]
  exit: number
}

const CASES: Case[] = [
  {name: '--version', args: ['--version'], exit: 0},
  {name: 'flops --model efficientnet-b0 --json', args: ['flops', '--model', 'efficientnet-b0', '--json'], exit: 0},
  {name: 'report --out /proc/x (refused)', args: ['report', '--out', '/proc/effscale-bench/x'], exit: 2},
  {name: 'sweep --out /proc/x (refused)', args: ['sweep', '--out', '/proc/effscale-bench/x'], exit: 2},
  {name: 'sweep --ep tpu (bad flag)', args: ['sweep', '--ep', 'tpu'], exit: 2},
]

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

function manifestState(): string {
  const manifest = path.join(PACKAGE_ROOT, 'oclif.manifest.json')
  if (!existsSync(manifest)) return 'ABSENT (run `npm run build`): every call imports all commands'
  const cmd = path.join(PACKAGE_ROOT, 'dist', 'src', 'commands', 'flops.js')
  return statSync(cmd).mtimeMs > statSync(manifest).mtimeMs ? 'STALE (dropped at the first call)' : 'present'
}

/** A package root with this one's bin, dist and node_modules but no oclif.manifest.json. */
function rootWithoutManifest(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'effscale-bench-nomanifest-'))
  mkdirSync(path.join(root, 'bin'))
  for (const f of ['run.js', 'stale-manifest.js']) copyFileSync(path.join(PACKAGE_ROOT, 'bin', f), path.join(root, 'bin', f))
  copyFileSync(path.join(PACKAGE_ROOT, 'package.json'), path.join(root, 'package.json'))
  for (const d of ['dist', 'node_modules']) symlinkSync(path.join(PACKAGE_ROOT, d), path.join(root, d))
  return root
}

export async function bench(): Promise<void> {
  console.log(`oclif manifest: ${manifestState()}; load average before: ${load()}`)
  const bare = rootWithoutManifest()
  const NO_MANIFEST = 'flops … --json, no oclif manifest'
  const wall = new Map<string, number[]>()
  const cpu = new Map<string, number[]>()
  const add = (name: string, ms: number, cpuMs: number) => {
    wall.set(name, [...(wall.get(name) ?? []), ms])
    cpu.set(name, [...(cpu.get(name) ?? []), cpuMs])
  }
  const NODE = 'node -e 0 (Node alone)'
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now()
    spawnSync(process.execPath, ['-e', '0'])
    add(NODE, performance.now() - t0, NaN)
    for (const c of CASES) {
      const r = runMeasured(c.args, {timeout: 60_000})
      if (r.status !== c.exit) throw new Error(`${c.name}: exit ${r.status}, expected ${c.exit}: ${r.stderr.trim()}`)
      add(c.name, r.ms, r.cpuMs)
    }
    const r = runMeasured(CASES[1].args, {timeout: 60_000, bin: path.join(bare, 'bin', 'run.js')})
    if (r.status !== 0) throw new Error(`${NO_MANIFEST}: exit ${r.status}: ${r.stderr.trim()}`)
    add(NO_MANIFEST, r.ms, r.cpuMs)
  }
  rmSync(bare, {recursive: true, force: true})
  const node = median(wall.get(NODE)!)
  for (const [name, ms] of wall) {
    const m = median(ms)
    const c = cpu.get(name)!
    const cpuText = Number.isNaN(c[0]) ? '' : `, CPU median ${median(c).toFixed(0).padStart(4)} ms`
    console.log(`${name.padEnd(40)} wall median ${m.toFixed(0).padStart(5)} ms (${spread(ms)}), ${(m / node).toFixed(1)}× Node alone${cpuText}`)
  }
  const flops = median(wall.get(CASES[1].name)!)
  const ratio = (m: Map<string, number[]>) => (median(m.get(NO_MANIFEST)!) / median(m.get(CASES[1].name)!)).toFixed(1)
  console.log(`flops --json with the manifest: ${ratio(wall)}× less wall time, ${ratio(cpu)}× less CPU time than without`)
  console.log(
    `flops --json: wall median ${flops.toFixed(0)} ms — target ≤ ${TARGET_MS} ms: ${flops <= TARGET_MS ? 'met' : 'MISSED'}; ` +
      `its CPU time ${median(cpu.get(CASES[1].name)!).toFixed(0)} ms (what a loaded machine does not inflate) ` +
      `(${ROUNDS} interleaved rounds; load average after: ${load()})`,
  )
}
