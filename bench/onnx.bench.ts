/**
 * ONNX export and profile. Each measurement runs in a fresh child process so peak RSS is the
 * process's own (nothing else resident) and timing includes first-call JIT, as a CLI run would.
 * Targets: export efficientnet-b7 (66 M params) < 2 s and < 1.5 GB peak RSS; profile a
 * ~100 MB ONNX file < 1 s (efficientnet-b5, and torchvision's convnext_tiny and swin_t: the
 * torch 1.13 exports of test/onnx/fixtures/torchvision13 with their stripped weights refilled
 * as zeros, so the files have their real size and onnxruntime can run them); `--shapes ort`
 * on convnext_tiny < 10 s. Profile jobs run interleaved, round by round.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {gunzipSync} from 'node:zlib'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {resolveTarget} from '../src/arch/target.js'
import {exportTarget} from '../src/onnx/export.js'
import type {EmitOptions} from '../src/onnx/emit.js'
import {profileOnnxFileObserved} from '../src/onnx/observe.js'
import {profileOnnxFile} from '../src/onnx/profile.js'
import {onnx} from '../src/onnx/proto.js'
import {bytesPerElement} from '../src/onnx/values.js'
import {PACKAGE_ROOT} from '../src/paths.js'

const EMIT_MS = 2000
const EMIT_RSS = 1.5e9
const PROFILE_MS = 1000
const ORT_MS = 10_000
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
  } else if (job === 'ort') {
    const p = await profileOnnxFileObserved(file)
    detail = `${(p.macs / 1e9).toFixed(2)} GMACs, ${p.uncountedNodes.length} uncounted`
  } else {
    const p = profileOnnxFile(file)
    detail = `${(p.macs / 1e9).toFixed(2)} GMACs, ${(p.params / 1e6).toFixed(1)} M params`
  }
  const ms = performance.now() - t0
  process.stdout.write(JSON.stringify({ms, rss: process.resourceUsage().maxRSS * 1024, detail}))
}

const once = (job: string, file: string, dtype: EmitOptions['dtype'] = 'fp32'): Measured =>
  JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--onnx-bench-child', job, file, dtype], {encoding: 'utf8'}))

function measure(job: string, file: string, dtype: EmitOptions['dtype'] = 'fp32'): Measured[] {
  return Array.from({length: RUNS}, () => once(job, file, dtype))
}

/** A weight-stripped fixture with every stripped initializer refilled with zeros: real size, runnable. */
function refill(fixture: string, out: string): void {
  const model = onnx.ModelProto.decode(gunzipSync(readFileSync(fixture)))
  for (const t of model.graph!.initializer ?? []) {
    const n = (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1)
    const has = (t.rawData?.length ?? 0) > 0 || (t.floatData?.length ?? 0) > 0 || (t.int64Data?.length ?? 0) > 0 || (t.int32Data?.length ?? 0) > 0
    if (!has && n > 0) t.rawData = new Uint8Array(n * (bytesPerElement(t.dataType ?? 1) ?? 4))
  }
  writeFileSync(out, onnx.ModelProto.encode(model).finish())
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
    const tv = path.join(PACKAGE_ROOT, 'test', 'onnx', 'fixtures', 'torchvision13')
    const files: Record<string, string> = {'efficientnet-b5 fp32': big}
    for (const m of ['convnext_tiny', 'swin_t']) {
      files[`${m} opset 17`] = path.join(dir, `${m}.onnx`)
      refill(path.join(tv, `${m}-op17.onnx.gz`), files[`${m} opset 17`])
    }
    const jobs = [
      ...Object.entries(files).map(([label, file]) => ({label: `profile ${(statSync(file).size / 1e6).toFixed(0)} MB ONNX file (${label}; read + decode + infer + cost)`, job: 'profile', file, target: PROFILE_MS})),
      {label: `--shapes ort on convnext_tiny opset 17 (${(statSync(files['convnext_tiny opset 17']).size / 1e6).toFixed(0)} MB; static pass + one onnxruntime CPU run + profile)`, job: 'ort', file: files['convnext_tiny opset 17'], target: ORT_MS},
    ]
    const runs: Measured[][] = jobs.map(() => [])
    for (let r = 0; r < RUNS; r++) jobs.forEach((j, i) => runs[i].push(once(j.job, j.file)))
    jobs.forEach((j, i) => console.log(`${j.label}, ${RUNS} interleaved runs: ${fmt(runs[i], j.target)}`))
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

if (process.argv[2] === '--onnx-bench-child') await child(process.argv[3], process.argv[4], process.argv[5] as EmitOptions['dtype'])
