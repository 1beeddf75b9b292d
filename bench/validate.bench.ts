/**
 * What validation costs and how fast refusals are:
 * - ONNX graphs: validateGraph alone beside the whole in-process profile (which includes it) of
 *   each torchvision fixture, interleaved; target: validation < 5% of the profile.
 * - The lowering: validateLowered alone beside costTotals() (lower + total, which includes it:
 *   the call searches and grids make per point) for efficientnet-b0 and -b7, interleaved;
 *   target < 5%.
 *   Judged on the best round of each (a shared machine disturbs some rounds by 10×).
 * - Refusals of the invalid fixtures through the CLI: wall time and peak memory beside the CLI's
 *   bare start-up, interleaved; targets < 2 s and < 500 MB (LIMITS).
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {lower} from '../src/arch/lower.js'
import {resolveTarget} from '../src/arch/target.js'
import {validateLowered} from '../src/arch/validate.js'
import {costTotals} from '../src/flops/index.js'
import {PACKAGE_ROOT} from '../src/paths.js'
import {profileOnnxBytes} from '../src/onnx/profile.js'
import {onnx} from '../src/onnx/proto.js'
import {validateGraph} from '../src/onnx/validate.js'
import {LIMITS, runMeasured} from '../test/helpers/measured.js'
import {RefusalTally, STARTUP} from './refusal-tally.js'

const ROUNDS = 7
const TARGET_SHARE = 0.05
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const range = (xs: number[]) => `${Math.min(...xs).toFixed(4)}–${Math.max(...xs).toFixed(4)}`

/** Mean ms per call of `f` over enough calls to take ~`budgetMs`. */
function perCall(f: () => void, budgetMs = 40): number {
  let n = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < budgetMs || n < 3) {
    f()
    n++
    t = performance.now()
  }
  return (t - t0) / n
}

function share(name: string, part: () => void, whole: () => void): void {
  const parts: number[] = []
  const wholes: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    parts.push(perCall(part))
    wholes.push(perCall(whole))
  }
  const ratios = parts.map((p, i) => p / wholes[i])
  // Judged on the best time of each (the round least disturbed by the other processes); the median ratio and its spread beside it.
  const best = Math.min(...parts) / Math.min(...wholes)
  console.log(
    `${name.padEnd(40)} validation ${median(parts).toFixed(4)} ms (${range(parts)}) of ${median(wholes).toFixed(4)} ms (${range(wholes)}): ` +
      `best ${(100 * best).toFixed(1)}%, median ${(100 * median(ratios)).toFixed(1)}% (${(100 * Math.min(...ratios)).toFixed(1)}–${(100 * Math.max(...ratios)).toFixed(1)}%) ` +
      `— target < ${100 * TARGET_SHARE}%: ${best < TARGET_SHARE ? 'met' : 'MISSED'}`,
  )
}

export async function bench(): Promise<void> {
  const tv = path.join(PACKAGE_ROOT, 'test', 'onnx', 'fixtures', 'torchvision')
  for (const f of readdirSync(tv).filter((x) => x.endsWith('.onnx')).sort()) {
    const bytes = readFileSync(path.join(tv, f))
    const graph = onnx.ModelProto.decode(bytes).graph!
    const shape = f.startsWith('mobilenet_v2') ? {inputShape: [1, 3, 224, 224]} : {}
    share(`profile ${f}`, () => validateGraph(graph, f), () => profileOnnxBytes(bytes, {...shape, file: f}))
  }
  for (const model of ['efficientnet-b0', 'efficientnet-b7']) {
    const t = resolveTarget({model})
    const net = lower(t.base, t.point)
    share(`costTotals ${model}`, () => validateLowered(net), () => costTotals(t))
  }

  const dir = path.join(PACKAGE_ROOT, 'fixtures', 'invalid-onnx')
  // The script marks the valid twins "valid: …" (they are accepted, not refused).
  const verdicts = JSON.parse(readFileSync(path.join(dir, 'verdicts.json'), 'utf8')) as {files: Record<string, {what: string}>}
  const invalid = Object.keys(verdicts.files).filter((f) => !verdicts.files[f].what.startsWith('valid:')).sort()
  const tally = new RefusalTally()
  for (let round = 0; round < 3; round++) {
    tally.add(STARTUP, runMeasured(['--version']))
    for (const f of invalid) {
      const r = runMeasured(['flops', '--onnx', path.join(dir, f)])
      if (r.status !== 2) throw new Error(`${f}: exit ${r.status}: ${r.stderr}`)
      tally.add(f, r)
    }
  }
  const {met, metBeyond} = tally.report((name) => (name === STARTUP ? name.padEnd(43) : `flops --onnx ${name.padEnd(30)}`))
  console.log(
    `${met}/${invalid.length} invalid-graph refusals within ${LIMITS.ms} ms wall (start-up included) and ${LIMITS.rssMb} MB; ` +
      `${metBeyond}/${invalid.length} within ${LIMITS.ms} ms of CPU beyond start-up (3 interleaved rounds)`,
  )
}
