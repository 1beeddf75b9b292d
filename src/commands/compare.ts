import {Args, Flags} from '@oclif/core'
import {EffscaleCommand} from '../cli/base-command.js'
import {renderTable} from '../cli/table.js'
import {EXIT} from '../errors.js'
import {compareRuns, deltaCell, type Comparison, type MatchBy} from '../sweep/compare.js'
import {parseFraction} from '../sweep/options.js'

export default class Compare extends EffscaleCommand<Comparison> {
  static override summary = 'Compare the latencies of two sweep directories, point by point (like benchstat)'
  static override description = `For each point measured in both: B/A latency with a 95% interval and a Mann–Whitney U test over the points' round medians; "~" when the difference is not significant; a geometric-mean row.
Exit codes: 0 no significant regression beyond --threshold; 1 a point is significantly slower in RUN_B by more than --threshold (for CI); 2 bad input. See docs/compare.md.`

  static override examples = [
    '<%= config.bin %> compare runs/main runs/branch',
    '<%= config.bin %> compare runs/main runs/branch --threshold 10% --json',
    '<%= config.bin %> compare runs/b0 runs/b0-wider --match order',
  ]

  static override args = {
    a: Args.string({description: 'sweep directory A (the baseline)', required: true}),
    b: Args.string({description: 'sweep directory B', required: true}),
  }

  static override flags = {
    threshold: Flags.string({description: 'a significant slowdown beyond this is a regression (exit 1)', default: '5%'}),
    alpha: Flags.string({description: 'significance level of the test', default: '0.05'}),
    match: Flags.string({description: 'pair points by key, or by position in the two grids', options: ['key', 'order'], default: 'key'}),
  }

  async run(): Promise<Comparison> {
    const {args, flags} = await this.parse(Compare)
    const c = compareRuns(args.a, args.b, {
      threshold: parseFraction('--threshold', flags.threshold),
      alpha: parseFraction('--alpha', flags.alpha),
      match: flags.match as MatchBy,
    })
    for (const n of c.notes) process.stderr.write(`effscale: note: ${n}\n`)
    this.log(render(c))
    if (c.regressions > 0) {
      process.stderr.write(`effscale: ${c.regressions} point${c.regressions === 1 ? '' : 's'} significantly slower in ${c.b} by more than ${+(100 * c.threshold).toFixed(2)}% (exit 1)\n`)
      process.exitCode = EXIT.overBudget
    }
    return c
  }
}

function render(c: Comparison): string {
  const rows = c.points.map((p) => [p.grid, p.model, p.a_p50_ms.toFixed(2), p.b_p50_ms.toFixed(2), deltaCell(p)])
  const g = c.geomean
  const pct = (g.ratio - 1) * 100
  rows.push(['', 'geomean', g.a_ms.toFixed(2), g.b_ms.toFixed(2), `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`])
  const only = c.only_a || c.only_b ? `; not compared: ${c.only_a} point(s) only in A, ${c.only_b} only in B` : ''
  return [
    renderTable(['grid', 'point', 'A p50 ms', 'B p50 ms', 'B vs A'], rows),
    '',
    `A = ${c.a}, B = ${c.b}: ${c.points.length} points, ${c.points.filter((p) => p.significant).length} significant (p < ${c.alpha}), ${c.regressions} slower by more than ${+(100 * c.threshold).toFixed(2)}%${only}`,
  ].join('\n')
}
