import {Flags} from '@oclif/core'
import {annotations} from '../budget/annotations.js'
import {runCheck} from '../budget/check.js'
import {toJUnit} from '../budget/junit.js'
import {renderCheck} from '../budget/render.js'
import type {CheckResult} from '../budget/result.js'
import {EffscaleCommand} from '../cli/base-command.js'
import {EXIT} from '../errors.js'
import {ensureParentDir} from '../io/out-dir.js'
import {writeFileAtomic} from '../io/write.js'

export default class Check extends EffscaleCommand<CheckResult> {
  static override summary = 'Gate CI on MACs, FLOPs, params, activations, memory and latency budgets'
  static override description = `Reads a budget file (JSON or YAML) and checks each entry's figures against its limits.
Exit codes: 0 all within budget, 1 any over budget (or a figure that could not be measured), 2 bad input.
MACs = multiply-accumulates (the paper's "FLOPs"); FLOPs = 2 × MACs. See docs/check.md.`

  static override examples = [
    '<%= config.bin %> check --budget budgets.json',
    '<%= config.bin %> check --budget budgets.yaml --sweep runs/latest --junit check.xml',
    '<%= config.bin %> check --budget budgets.json --json',
  ]

  static override flags = {
    budget: Flags.string({description: 'budget file (.json, .yaml or .yml)', required: true}),
    sweep: Flags.string({description: 'sweep directory (or its results.jsonl) to read latencies from'}),
    'latency-model': Flags.string({description: 'latency model (effscale calibrate) predicting the latencies the sweep lacks, marked "predicted"'}),
    junit: Flags.string({description: 'also write the checks as JUnit XML to this file'}),
  }

  async run(): Promise<CheckResult> {
    const {flags} = await this.parse(Check)
    const result = await runCheck({budget: flags.budget, sweep: flags.sweep, latencyModel: flags['latency-model']})
    for (const w of result.warnings) process.stderr.write(`effscale: warning: ${w}\n`)
    if (flags.junit !== undefined) writeOut(flags.junit, toJUnit(result))
    this.log(renderCheck(result))
    if (process.env.GITHUB_ACTIONS === 'true') {
      // Workflow commands are read from stdout and stderr; under --json stdout is one document.
      const out = this.jsonEnabled() ? process.stderr : process.stdout
      for (const line of annotations(result)) out.write(`${line}\n`)
    }
    // Not this.exit(): under --json that would print a second (error) document after the result.
    if (!result.ok) process.exitCode = EXIT.overBudget
    return result
  }
}

function writeOut(file: string, text: string): void {
  ensureParentDir(file, '--junit')
  writeFileAtomic(file, text, `--junit ${file}: cannot write`)
}
