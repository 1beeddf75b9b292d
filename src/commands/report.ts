import {Flags} from '@oclif/core'
import {EffscaleCommand} from '../cli/base-command.js'
import {checkOutDir} from '../io/out-dir.js'
import type {ReportResult} from '../report/index.js'

export default class Report extends EffscaleCommand<ReportResult> {
  static override summary = 'Accuracy-vs-MACs and latency charts as a Vega-Lite report (HTML, SVG, PNG, CSV)'
  static override description = `Writes DIR/report.html (self-contained, opens offline), one <chart>.vl.json, .svg and .png per chart, and data.csv with every plotted row.
With no input: the paper's charts (Tables 2, 3, 5, 7 and MACs growth vs φ) at effscale's computed MACs, and accuracy vs MACs per scaling path from the paper's published points. --accuracy adds your results (a points CSV — drawn per scaling path with a fitted curve each — or a timm results CSV); --timm and --benchmark add timm's models with their Pareto front against MACs and measured throughput; --sweep adds latency and throughput charts (given twice or more: speed-up per point), each naming device, EP, threads and dtype.
MACs = multiply-accumulates (the paper's "FLOPs"); FLOPs = 2 × MACs.`

  static override examples = [
    '<%= config.bin %> report --out reports/paper',
    '<%= config.bin %> report --sweep runs/h200 --accuracy my-runs.csv --out reports/h200',
    '<%= config.bin %> report --sweep runs/h200-fp32 --sweep runs/h200-fp16 --out reports/fp16',
    '<%= config.bin %> report --accuracy trials.csv --timm results-imagenet.csv --benchmark benchmark-infer-amp-nchw-pt240-cu124-rtx4090.csv --out reports/landscape',
  ]

  static override flags = {
    out: Flags.string({description: 'directory to write the report to', required: true}),
    sweep: Flags.string({description: 'sweep directory (results.jsonl); repeat to compare runs', multiple: true}),
    accuracy: Flags.string({description: 'accuracy CSV: base/model, depth, width, resolution or image_size, top1 — or a timm results CSV'}),
    timm: Flags.string({description: 'timm results CSV (results-imagenet.csv): the models drawn with their Pareto front beside your points'}),
    benchmark: Flags.string({description: 'timm benchmark CSV (infer_samples_per_sec, infer_gmacs): throughput and MACs for the Pareto chart; repeatable', multiple: true}),
  }

  async run(): Promise<ReportResult> {
    const {flags} = await this.parse(Report)
    checkOutDir(flags.out, '--out')
    // Imported once the flags and --out are checked: the report's libraries take seconds to load.
    const [{buildReport}, {unknownModelsWarning}] = await Promise.all([import('../report/index.js'), import('../accuracy/csv.js')])
    const result = await buildReport({out: flags.out, sweeps: flags.sweep, accuracy: flags.accuracy, timm: flags.timm, benchmarks: flags.benchmark})
    const unknown = result.accuracy && unknownModelsWarning(result.accuracy, 'not plotted', this.jsonEnabled())
    if (unknown) process.stderr.write(`effscale: ${unknown}\n`)
    for (const n of result.notes) process.stderr.write(`effscale: ${n}\n`)
    this.log(`wrote ${result.charts.length} charts to ${result.out}: ${result.html}, data.csv, ${result.charts.map((c) => c.id).join(', ')} (.vl.json, .svg, .png)`)
    return result
  }
}
