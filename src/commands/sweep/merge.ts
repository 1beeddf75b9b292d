import {Args, Flags} from '@oclif/core'
import {EffscaleCommand} from '../../cli/base-command.js'
import {mergeSweeps, type MergeSummary} from '../../sweep/merge.js'

export default class SweepMerge extends EffscaleCommand<MergeSummary> {
  static override summary = 'Combine shard directories of one sweep into one directory'
  static override description = 'Refuses directories of different grids and points present in more than one directory.'
  static override strict = false
  static override args = {dirs: Args.string({description: 'sweep directories (shards of one grid)', required: true})}
  static override examples = ['<%= config.bin %> sweep merge runs/shard1 runs/shard2 runs/shard3 --out runs/all']
  static override flags = {out: Flags.string({description: 'directory to write the merged sweep into', required: true})}

  async run(): Promise<MergeSummary> {
    const {argv, flags} = await this.parse(SweepMerge)
    const r = mergeSweeps(argv as string[], flags.out)
    this.log(
      `merged ${r.merged_from.length} directories: ${r.records} records of grid ${r.grid_id} into ${r.out}` +
        (r.missing ? ` (${r.missing} grid points still missing)` : ' (complete)'),
    )
    if (r.missing) process.stderr.write(`effscale: ${r.missing} points of grid ${r.grid_id} have no record yet\n`)
    return r
  }
}
