import {Flags} from '@oclif/core'
import {EffscaleCommand} from '../cli/base-command.js'
import {parseNumber, parsePositiveInt} from '../cli/numbers.js'
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
import {onnxGrid} from '../sweep/onnx-grid.js'
import {parseInputShape} from '../onnx/cli.js'

export interface SweepResult extends SweepSummary {
  records: SweepRecord[]
}

export default class Sweep extends EffscaleCommand<SweepResult> {
  static override summary = 'Timed ONNX Runtime inference sweeps over scaled networks (CUDA or CPU)'
  static override description = `Emits each grid point as an ONNX model (cached) and times it with onnxruntime-node in interleaved rounds: each round times every point and the reference (the grid's base network) once, in an order shuffled by --seed, so a slow phase of the machine hits all points alike. Each point's timed runs go to OUT/runs.jsonl per round; once it is stable (95% interval of the median within --max-ci) or the rounds end, its record goes to OUT/results.jsonl; OUT/results.csv and OUT/run.json are written too.
With no grid flags, runs the embedded default: on a GPU the paper's Figure 3 grids of EfficientNet-B0 plus B0–B7 at batch 1 and 64; on a CPU the same grids at a 128 px base (widths ≤ 3.8) plus B0–B2, batch 1, in under a minute on 2 cores.
MACs = multiply-accumulates (the paper's "FLOPs"). Every column is documented in docs/sweep.md; timm's names (infer_step_time, param_count, ...) mean what they mean in timm's CSVs.
Exit codes: 0 every point measured; 1 a point failed or the machine did (disk full), everything finished is kept; 2 bad input (or another sweep writes to --out); 130/143 stopped by Ctrl-C/SIGTERM. See docs/sweep.md.`

  static override examples = [
    '<%= config.bin %> sweep --out runs/default',
    '<%= config.bin %> sweep --ep cuda --batch 1,16,64 --dims width,depth,resolution,compound --out runs/h200',
    '<%= config.bin %> sweep --grid my-grid.json --resume --out runs/h200',
    '<%= config.bin %> sweep --models efficientnet-b0,efficientnet-b3,efficientnet-b7 --dtype fp16 --input uint8-nhwc',
    '<%= config.bin %> sweep --shard 2/4 --device-id 1 --out runs/shard2',
    '<%= config.bin %> sweep --onnx model.onnx --onnx other.onnx --input-shape 1x3x224x224 --out runs/mine',
  ]

  static override flags = {
    out: Flags.string({description: 'output directory (default runs/<date-time>)'}),
    ep: Flags.string({description: 'execution provider: auto tries CUDA, then falls back to the CPU', options: [...EP_CHOICES], default: 'auto'}),
    'device-id': Flags.string({description: 'CUDA device index', default: '0'}),
    dims: Flags.string({description: 'comma list of grids of --base: width, depth, resolution (Figure 3), figure4 (width under (d, r)), compound, fast (dWr α = 0.8 at the compound grid’s MACs per φ)', helpGroup: 'GRID'}),
    base: Flags.string({description: 'base network for --dims (default efficientnet-b0)', helpGroup: 'GRID'}),
    'phi-max': Flags.string({description: 'compound and fast grids of --dims: φ = 0…N (default 7)', helpGroup: 'GRID'}),
    models: Flags.string({description: 'comma list of named models, e.g. efficientnet-b0,efficientnet-b7', helpGroup: 'GRID'}),
    grid: Flags.string({description: 'grid file (JSON; see docs/sweep.md)', helpGroup: 'GRID'}),
    onnx: Flags.string({description: 'time these ONNX files instead of emitted networks (repeatable)', multiple: true, helpGroup: 'GRID'}),
    'input-shape': Flags.string({description: "with --onnx: shape of the files' first input where it has dynamic dims, e.g. 1x3x224x224", helpGroup: 'GRID'}),
    batch: Flags.string({description: 'comma list of batch sizes (default 1 on CPU, 1,64 on GPU)', helpGroup: 'GRID'}),
    dtype: Flags.string({description: 'model precision', options: [...DTYPES], helpGroup: 'GRID'}),
    input: Flags.string({description: 'model input: float32 NCHW, or uint8 NHWC normalised inside the graph', options: [...INPUTS], helpGroup: 'GRID'}),
    runs: Flags.string({description: 'per round: at least this many timed runs per point (default 3 CPU, 20 CUDA)', helpGroup: 'TIMING'}),
    'min-time-ms': Flags.string({description: 'per round: and at least this much timed time per point (default 50 CPU, 200 CUDA)', helpGroup: 'TIMING'}),
    warmup: Flags.string({description: 'untimed runs after a session opens, after the first (default 3 CPU, 10 CUDA)', helpGroup: 'TIMING'}),
    rounds: Flags.string({description: 'at least this many rounds (CPU 12, CUDA 6; 6 is the fewest with a 95% interval)', helpGroup: 'TIMING'}),
    'max-rounds': Flags.string({description: 'at most this many rounds (default 40)', helpGroup: 'TIMING'}),
    'max-ci': Flags.string({description: "stable when the 95% interval's half-width is at most this share of the median (default 5%)", helpGroup: 'TIMING'}),
    'time-budget': Flags.string({description: 'start no round past this many seconds from the first, once 2 are done (default 40 CPU, 300 CUDA)', helpGroup: 'TIMING'}),
    threads: Flags.string({description: 'intra-op threads of CPU sessions (default: one fewer than the CPUs this process may use, at least 1)', helpGroup: 'TIMING'}),
    profile: Flags.boolean({description: 'ORT profiling in a session of its own after each point (no timed run pays for it): kernel_ms, ort_run_ms, traces in OUT/profiles for calibrate', helpGroup: 'TIMING'}),
    seed: Flags.string({description: 'seed of weights and inputs', default: '0', helpGroup: 'TIMING'}),
    resume: Flags.boolean({description: 'continue the sweep in --out: skip points already in results.jsonl'}),
    shard: Flags.string({description: 'run shard k of n (k/n) of the grid: points whose index ≡ k−1 mod n'}),
    cache: Flags.string({description: 'model cache directory (default $XDG_CACHE_HOME or ~/.cache/effscale/models)'}),
    'max-memory': maxMemoryFlag,
  }

  async run(): Promise<SweepResult> {
    const {flags} = await this.parse(Sweep)
    if (flags['input-shape'] !== undefined && flags.onnx === undefined) throw new UserError('--input-shape goes with --onnx (the shape of the files\' first input)')
    const onnx = flags.onnx === undefined ? undefined : {grid: onnxGrid(flags.onnx, parseInputShape(flags['input-shape']))}
    const plan = sweepPlan({...flags, gridText: flags.grid === undefined ? undefined : readText(flags.grid, '--grid')}, onnx)
    const deviceId = parseNumber('--device-id', flags['device-id'])!
    if (!Number.isInteger(deviceId) || deviceId < 0) throw new UserError(`--device-id must be a whole number ≥ 0, got "${flags['device-id']}"`)
    const seed = parseNumber('--seed', flags.seed)!
    if (!Number.isInteger(seed) || seed < 0) throw new UserError(`--seed must be a whole number ≥ 0, got "${flags.seed}"`)
    const threads = parsePositiveInt('--threads', flags.threads)
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
          threads,
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
  const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d))
  const profiled = r.records.some((y) => y.kernel_ms !== null)
  const rows = r.records.map((x) => [
    x.model,
    x.infer_img_size,
    x.infer_batch_size,
    x.status === 'ok' ? f(x.p50_ms) : 'failed',
    x.ci_rel === null || x.ci_rel === undefined ? '—' : `±${(100 * x.ci_rel).toFixed(1)}%`,
    x.stable === false ? 'no' : x.stable ? 'yes' : '—',
    x.rounds ?? '—',
    f(x.p99_ms),
    f(x.rel_ref, 3),
    (x.macs / 1e9).toFixed(3),
    ...(profiled ? [f(x.kernel_ms)] : []),
  ])
  const headers = ['model', 'image', 'batch', 'p50 ms', '95% CI', 'stable', 'rounds', 'p99 ms', 'rel ref', 'GMACs']
  if (profiled) headers.push('kernel ms')
  const state = r.interrupted ? 'interrupted' : 'done'
  const lines = [
    renderTable(headers, rows),
    '',
    `${state}: ${r.measured} measured (${r.failed} failed), ${r.skipped} already there, ${r.points} points of grid ${r.grid_id} on ${r.ep}, ${r.rounds} rounds; load average ${r.load_avg.start.toFixed(2)} → ${r.load_avg.end.toFixed(2)}`,
  ]
  if (r.unstable.length) {
    const names = r.unstable.map((u) => `${u.model} (${u.ci_rel === null ? '?' : `±${(100 * u.ci_rel).toFixed(1)}%`}, ${u.rounds} rounds)`)
    const shown = names.length > 6 ? [...names.slice(0, 6), `and ${names.length - 6} more`] : names
    lines.push(`unstable: ${r.unstable.length} of ${r.records.length} points (95% interval wider than ±${+(100 * r.max_ci).toFixed(2)}%, or under 6 rounds): ${shown.join(', ')}`)
    for (const why of r.diagnosis) lines.push(`  likely: ${why}`)
  }
  lines.push(`wrote ${r.files.jsonl}, ${r.files.runs}, ${r.files.csv}, ${r.files.run}`)
  return lines.join('\n')
}
