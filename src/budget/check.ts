/**
 * `effscale check`: budget file → entries (parse.ts, pure) → targets (resolve.ts: every file
 * checked before anything is costed) → figures (measure.ts: analytic cost, ONNX profile, sweep
 * latency) → rows (verdict.ts, pure) → one result document (result.ts).
 * Input problems are UserErrors (exit 2); over-budget is a result with ok = false (exit 1).
 */
import {existsSync, statSync} from 'node:fs'
import path from 'node:path'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'
import {readResultsFile, readSweepDir, type ParsedResults} from '../sweep/results.js'
import {readLatencyModel} from '../latency/model-file.js'
import {describeWhere} from './entry.js'
import type {MeasureContext, OnnxProfiler} from './measure.js'
import {measure} from './measure.js'
import {parseBudgetFile} from './parse.js'
import {resolveEntryTarget} from './resolve.js'
import {checkResult, type CheckResult} from './result.js'
import {indexRecords, LATENCY_READ, type LatencyRecord} from './sweep.js'
import {verdicts} from './verdict.js'

export interface CheckOptions {
  /** Path of the budget file (.json, .yaml or .yml). */
  budget: string
  /** Sweep directory (holding results.jsonl) or a results.jsonl file. */
  sweep?: string
  /** Latency model (effscale calibrate) for latencies the sweep lacks. */
  latencyModel?: string
  /** Injectable for tests; by default src/onnx/profile.ts, loaded only when an entry needs it. */
  profileOnnx?: OnnxProfiler
}

export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
  const entries = parseBudgetFile(readText(opts.budget, '--budget'), opts.budget)
  const ctx = {source: opts.budget, dir: path.dirname(path.resolve(opts.budget)), specs: new Map()}
  const targets = entries.map((e) => resolveEntryTarget(e, ctx))

  const warnings: string[] = []
  const mctx: MeasureContext = {}
  const timed = entries.find((e) => e.limits.latencyMs !== undefined)
  if (timed && opts.sweep === undefined && opts.latencyModel === undefined) {
    const w = {source: opts.budget, index: timed.index, name: timed.name, line: timed.lines.maxLatencyMs}
    throw new UserError(`${describeWhere(w, 'maxLatencyMs')} latency limits read a sweep's results: give --sweep DIR (or --latency-model FILE to predict them)`)
  }
  if (opts.latencyModel !== undefined) mctx.latencyModel = {file: opts.latencyModel, model: readLatencyModel(opts.latencyModel)}
  if (opts.sweep !== undefined) {
    const parsed = loadSweep(opts.sweep)
    warnings.push(...parsed.warnings)
    mctx.sweep = indexRecords(parsed.records)
  }
  if (targets.some((t) => t.kind === 'onnx')) mctx.profileOnnx = opts.profileOnnx ?? (await loadProfiler())

  const checked = []
  for (const [i, entry] of entries.entries()) {
    let measured
    try {
      const t = targets[i]
      // `shapes: ort`: one seeded onnxruntime run first (async), then the same sync profile reads it.
      if (t.kind === 'onnx' && t.shapes === 'ort') {
        const {observeFile} = await import('../onnx/observe.js')
        t.observed = await observeFile(t.file, {...(t.inputShape ? {inputShape: t.inputShape} : {}), ...(t.inputValues ? {inputValues: t.inputValues} : {})})
      }
      measured = measure(entry, t, mctx)
    } catch (error) {
      // The profiler's own input errors (not ONNX, truncated, dynamic dims) name the entry too.
      if (!(error instanceof UserError)) throw error
      const w = {source: opts.budget, index: entry.index, name: entry.name, line: entry.lines.onnx}
      throw new UserError(`${describeWhere(w, entry.target.kind)} ${error.message}`)
    }
    checked.push({entry, measured, rows: verdicts(entry, measured)})
  }
  return checkResult(opts.budget, opts.sweep ?? null, checked, warnings)
}

/** `--sweep DIR` (its results.jsonl) or the .jsonl file itself. */
function loadSweep(sweep: string): ParsedResults<LatencyRecord> {
  const isDir = existsSync(sweep) && statSync(sweep).isDirectory()
  return isDir ? readSweepDir(sweep, '--sweep', LATENCY_READ) : readResultsFile(sweep, '--sweep', LATENCY_READ)
}

/** The ONNX profiler pulls in protobuf; load it only for budgets with ONNX entries. */
async function loadProfiler(): Promise<OnnxProfiler> {
  const mod = await import('../onnx/profile.js')
  return mod.profileOnnxFile
}
