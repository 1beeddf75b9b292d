import {Args, Flags} from '@oclif/core'
import {EffscaleCommand} from '../../cli/base-command.js'
import {EXIT} from '../../errors.js'
import {mergeSweeps, type MergeSummary} from '../../sweep/merge.js'

export default class SweepMerge extends EffscaleCommand<MergeSummary> {
  static override summary = 'Combine shard directories of one sweep into one directory'
  static override description = `Refuses directories of different grids, EPs or devices, records outside the grid, and points present in more than one directory.
Exit codes: 0 every grid point has a record; 1 merged, but some grid points have none yet (everything found is written); 2 bad input. See docs/sweep.md.`
  static override strict = false
  static override args = {dirs: Args.string({description: 'sweep directories (shards of one grid)', required: true})}
  static override examples = ['<%= config.bin %> sweep merge runs/shard1 runs/shard2 runs/shard3 --out runs/all']
  static override flags = {out: Flags.string({description: 'directory to write the merged sweep into', required: true})}

  async run(): Promise<MergeSummary> {
    const {argv, flags} = await this.parse(SweepMerge)
    const note = (line: string) => void process.stderr.write(`effscale: ${line}\n`)
    const r = mergeSweeps(argv as string[], flags.out, note)
    for (const w of r.warnings) note(`warning: ${w}`)
    this.log(
      `merged ${r.merged_from.length} directories: ${r.records} records of grid ${r.grid_id} into ${r.out}` +
        (r.missing ? ` (${r.missing} grid points still missing)` : ' (complete)'),
    )
    if (r.missing) {
      note(`${r.missing} points of grid ${r.grid_id} have no record yet (exit 1)`)
      // Not this.exit(): under --json that would print a second (error) document after the result.
      process.exitCode = EXIT.incomplete
    }
    return r
  }
}
