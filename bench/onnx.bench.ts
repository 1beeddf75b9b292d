/**
 * ONNX export and profile. Each measurement runs in a fresh child process so peak RSS is the
 * process's own (nothing else resident) and timing includes first-call JIT, as a CLI run would.
 * Targets: export efficientnet-b7 (66 M params) < 2 s and < 1.5 GB peak RSS; profile a
 * ~100 MB ONNX file < 1 s.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {resolveTarget} from '../src/arch/target.js'
import {exportTarget} from '../src/onnx/export.js'
import type {EmitOptions} from '../src/onnx/emit.js'
import {profileOnnxFile} from '../src/onnx/profile.js'

const EMIT_MS = 2000
const EMIT_RSS = 1.5e9
const PROFILE_MS = 1000
const RUNS = 3

interface Measured {
  ms: number
  rss: number
  detail: string
}

/** Child side: do one job, print its time and the process's peak RSS as JSON. */
async function child(job: string, file: string, dtype: EmitOptions['dtype']): Promise<void> {
  const t0 = performance.now()
  let detail: string
  if (job === 'export') {
    const r = exportTarget(resolveTarget({model: 'efficientnet-b7'}), {out: file, force: true, batch: 64, dtype, input: 'float32-nchw', seed: 0})
    detail = `${(r.params / 1e6).toFixed(1)} M params, ${(r.bytes / 2 ** 20).toFixed(0)} MiB`
  } else {
    const p = profileOnnxFile(file)
    detail = `${(p.macs / 1e9).toFixed(2)} GMACs, ${(p.params / 1e6).toFixed(1)} M params`
  }
  const ms = performance.now() - t0
  process.stdout.write(JSON.stringify({ms, rss: process.resourceUsage().maxRSS * 1024, detail}))
}

function measure(job: string, file: string, dtype: EmitOptions['dtype'] = 'fp32'): Measured[] {
  return Array.from({length: RUNS}, () =>
    JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--onnx-bench-child', job, file, dtype], {encoding: 'utf8'})),
  )
}

const fmt = (runs: Measured[], targetMs: number, targetRss?: number) => {
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b)
  const rss = Math.max(...runs.map((r) => r.rss))
  const ok = ms[ms.length - 1] < targetMs && (targetRss === undefined || rss < targetRss)
  return (
    `${ms.map((m) => m.toFixed(0)).join(' / ')} ms (target < ${targetMs} ms)` +
    `, peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB${targetRss ? ` (target < ${(targetRss / 1e9).toFixed(1)} GB)` : ''}` +
    `  ${ok ? 'OK' : 'OVER TARGET'}  [${runs[0].detail}]`
  )
}

export async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'effscale-onnx-bench-'))
  try {
    for (const dtype of ['fp32', 'fp16'] as const) {
      console.log(`export efficientnet-b7 --batch 64 --dtype ${dtype} (lower + emit + write), ${RUNS} runs: ${fmt(measure('export', path.join(dir, `b7-${dtype}.onnx`), dtype), EMIT_MS, EMIT_RSS)}`)
    }
    // A ~100 MB file: EfficientNet-B5 in fp32 (30 M params).
    const big = path.join(dir, 'b5.onnx')
    exportTarget(resolveTarget({model: 'efficientnet-b5'}), {out: big, force: true, batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 0})
    console.log(`profile ${(statSync(big).size / 1e6).toFixed(0)} MB ONNX file (efficientnet-b5 fp32; read + decode + infer + cost), ${RUNS} runs: ${fmt(measure('profile', big), PROFILE_MS)}`)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

if (process.argv[2] === '--onnx-bench-child') await child(process.argv[3], process.argv[4], process.argv[5] as EmitOptions['dtype'])
