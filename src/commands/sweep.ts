import {Flags} from '@oclif/core'
import {EffscaleCommand} from '../cli/base-command.js'
import {parseNumber} from '../cli/numbers.js'
import {renderTable} from '../cli/table.js'
import {maxMemoryFlag, parseMaxMemory, readText} from '../cli/target-flags.js'
import {EXIT, UserError} from '../errors.js'
import {realClock} from '../sweep/clock.js'
import {loadEmitter} from '../sweep/emitter.js'
import {DTYPES, INPUTS} from '../sweep/grid.js'
import {defaultCacheDir} from '../sweep/model-cache.js'
import {makeProgress} from '../sweep/progress.js'
import type {SweepRecord} from '../sweep/record.js'
import {readRecords} from '../sweep/store.js'
import {ortFactory, EP_CHOICES, type EpChoice} from '../sweep/session.js'
import {runSweep, type SweepSummary} from '../sweep/run.js'
import {sweepPlan} from '../sweep/options.js'

export interface SweepResult extends SweepSummary {
  records: SweepRecord[]
}

export default class Sweep extends EffscaleCommand<SweepResult> {
  static override summary = 'Timed ONNX Runtime inference sweeps over scaled networks (CUDA or CPU)'
  static override description = `Emits each grid point as an ONNX model (cached), times it with onnxruntime-node and appends one record per point to OUT/results.jsonl as it finishes; OUT/results.csv and OUT/run.json are written too.
With no grid flags, runs the embedded default: on a GPU the paper's Figure 3 grids of EfficientNet-B0 plus B0–B7 at batch 1 and 64; on a CPU the same grids at a 128 px base (widths ≤ 3.8) plus B0–B2, batch 1, in under a minute on 2 cores.
MACs = multiply-accumulates (the paper's "FLOPs"). Column names follow timm's benchmark CSVs (infer_samples_per_sec, infer_step_time, ...).
Exit codes: 0 every point measured; 1 a point failed or the machine did (disk full), everything finished is kept; 2 bad input (or another sweep writes to --out); 130/143 stopped by Ctrl-C/SIGTERM. See docs/sweep.md.`

  static override examples = [
    '<%= config.bin %> sweep --out runs/default',
    '<%= config.bin %> sweep --ep cuda --batch 1,16,64 --dims width,depth,resolution,compound --out runs/h200',
    '<%= config.bin %> sweep --grid my-grid.json --resume --out runs/h200',
    '<%= config.bin %> sweep --models efficientnet-b0,efficientnet-b3,efficientnet-b7 --dtype fp16 --input uint8-nhwc',
    '<%= config.bin %> sweep --shard 2/4 --device-id 1 --out runs/shard2',
  ]

  static override flags = {
    out: Flags.string({description: 'output directory (default runs/<date-time>)'}),
    ep: Flags.string({description: 'execution provider: auto tries CUDA, then falls back to the CPU', options: [...EP_CHOICES], default: 'auto'}),
    'device-id': Flags.string({description: 'CUDA device index', default: '0'}),
    dims: Flags.string({description: 'comma list of grids of --base: width, depth, resolution (Figure 3), figure4 (width under (d, r)), compound', helpGroup: 'GRID'}),
    base: Flags.string({description: 'base network for --dims (default efficientnet-b0)', helpGroup: 'GRID'}),
    'phi-max': Flags.string({description: 'compound grid of --dims: φ = 0…N (default 7)', helpGroup: 'GRID'}),
    models: Flags.string({description: 'comma list of named models, e.g. efficientnet-b0,efficientnet-b7', helpGroup: 'GRID'}),
    grid: Flags.string({description: 'grid file (JSON; see docs/sweep.md)', helpGroup: 'GRID'}),
    batch: Flags.string({description: 'comma list of batch sizes (default 1 on CPU, 1,64 on GPU)', helpGroup: 'GRID'}),
    dtype: Flags.string({description: 'model precision', options: [...DTYPES], helpGroup: 'GRID'}),
    input: Flags.string({description: 'model input: float32 NCHW, or uint8 NHWC normalised inside the graph', options: [...INPUTS], helpGroup: 'GRID'}),
    runs: Flags.string({description: 'at least this many timed runs per point (default 10 CPU, 50 CUDA)', helpGroup: 'TIMING'}),
    'min-time-ms': Flags.string({description: 'and at least this much timed time per point (default 300 CPU, 1000 CUDA)', helpGroup: 'TIMING'}),
    warmup: Flags.string({description: 'untimed runs after the first (default 3 CPU, 10 CUDA)', helpGroup: 'TIMING'}),
    profile: Flags.boolean({description: 'ORT profiling: adds kernel_ms and ort_run_ms (traces in OUT/profiles)', helpGroup: 'TIMING'}),
    seed: Flags.string({description: 'seed of weights and inputs', default: '0', helpGroup: 'TIMING'}),
    resume: Flags.boolean({description: 'continue the sweep in --out: skip points already in results.jsonl'}),
    shard: Flags.string({description: 'run shard k of n (k/n) of the grid: points whose index ≡ k−1 mod n'}),
    cache: Flags.string({description: 'model cache directory (default $XDG_CACHE_HOME or ~/.cache/effscale/models)'}),
    'max-memory': maxMemoryFlag,
  }

  async run(): Promise<SweepResult> {
    const {flags} = await this.parse(Sweep)
    const plan = sweepPlan({
      ...flags,
      gridText: flags.grid === undefined ? undefined : readText(flags.grid, '--grid'),
    })
    const deviceId = parseNumber('--device-id', flags['device-id'])!
    if (!Number.isInteger(deviceId) || deviceId < 0) throw new UserError(`--device-id must be a whole number ≥ 0, got "${flags['device-id']}"`)
    const seed = parseNumber('--seed', flags.seed)!
    if (!Number.isInteger(seed) || seed < 0) throw new UserError(`--seed must be a whole number ≥ 0, got "${flags.seed}"`)
    const out = flags.out ?? `runs/${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}`

    const json = this.jsonEnabled()
    const ac = new AbortController()
    // 128 + signal number, as a shell reports a process killed by it.
    const exitCodeOf = (sig: NodeJS.Signals) => (sig === 'SIGINT' ? 130 : 143)
    let stoppedBy: NodeJS.Signals | undefined
    const onSignal = (sig: NodeJS.Signals) => {
      if (ac.signal.aborted) process.exit(exitCodeOf(sig))
      process.stderr.write(`\neffscale: ${sig}: stopping; results so far are kept in ${out} (again to quit at once)\n`)
      stoppedBy = sig
      ac.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    let summary: SweepSummary
    try {
      summary = await runSweep(
        {
          out,
          ep: flags.ep as EpChoice,
          deviceId,
          grid: plan.grid,
          gridSource: plan.source,
          shard: plan.shard,
          resume: flags.resume,
          timing: plan.timing,
          profile: flags.profile,
          cacheDir: flags.cache ?? defaultCacheDir(),
          seed,
          maxMemory: parseMaxMemory(flags['max-memory']),
        },
        {
          factory: ortFactory,
          clock: realClock,
          loadEmitter,
          warn: (line) => process.stderr.write(`effscale: ${line}\n`),
          progress: makeProgress(json ? 'off' : process.stderr.isTTY ? 'bar' : 'lines'),
          signal: ac.signal,
        },
      )
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    const records = readRecords(out).records
    const result: SweepResult = {...summary, records}
    this.log(render(result))
    const failed = records.filter((r) => r.status === 'failed').length
    if (summary.interrupted) process.exitCode = exitCodeOf(stoppedBy ?? 'SIGINT')
    else if (failed > 0) {
      // CI must not pass a sweep with holes; every record, failed ones included, is written.
      process.stderr.write(`effscale: ${failed} of ${records.length} points in ${out} failed (status "failed", reason in "error"; exit 1)\n`)
      process.exitCode = EXIT.incomplete
    }
    return result
  }
}

function render(r: SweepResult): string {
  const f = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d))
  const profiled = r.records.some((y) => y.kernel_ms !== null)
  const rows = r.records.map((x) => [
    x.model,
    x.infer_img_size,
    x.infer_batch_size,
    x.ep,
    x.status === 'ok' ? f(x.p50_ms) : 'failed',
    f(x.p90_ms),
    f(x.infer_samples_per_sec, 1),
    (x.macs / 1e9).toFixed(3),
    ...(profiled ? [f(x.kernel_ms)] : []),
  ])
  const headers = ['model', 'image', 'batch', 'ep', 'p50 ms', 'p90 ms', 'samples/s', 'GMACs']
  if (profiled) headers.push('kernel ms')
  const state = r.interrupted ? 'interrupted' : 'done'
  return [
    renderTable(headers, rows),
    '',
    `${state}: ${r.measured} measured (${r.failed} failed), ${r.skipped} already there, ${r.points} points of grid ${r.grid_id} on ${r.ep}`,
    `wrote ${r.files.jsonl}, ${r.files.csv}, ${r.files.run}`,
  ].join('\n')
}
