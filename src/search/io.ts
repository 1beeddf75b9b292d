/** File edges of the search commands: reading inputs and writing CSV, errors naming the flag. */
import type {BaseSpec} from '../arch/spec.js'
import {baseByName} from '../arch/target.js'
import {parseBaseSpec} from '../arch/user-spec.js'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'
import {toCsv} from '../io/csv.js'
import {writeFileAtomic} from '../io/write.js'

/** --base NAME or --spec FILE (a user's base network). */
export function baseFromFlags(base: string | undefined, spec: string | undefined): BaseSpec {
  if (base !== undefined && spec !== undefined) throw new UserError('--base conflicts with --spec: give one of them')
  if (spec !== undefined) return parseBaseSpec(readText(spec, '--spec'), spec)
  return baseByName(base ?? 'efficientnet-b0')
}

/** Write flat records as CSV with a header (formula-leading text escaped); the columns are the first record's keys. */
export function writeCsv(file: string, records: ReadonlyArray<Record<string, string | number | boolean | null>>): void {
  writeFileAtomic(file, toCsv(records, Object.keys(records[0] ?? {})), `--csv ${file}: cannot write`)
}
