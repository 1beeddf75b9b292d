/** File edges of the search commands: reading inputs and writing CSV, errors naming the flag. */
import {writeFileSync} from 'node:fs'
import {stringify} from 'csv-stringify/sync'
import type {BaseSpec} from '../arch/spec.js'
import {baseByName} from '../arch/target.js'
import {parseBaseSpec} from '../arch/user-spec.js'
import {readText} from '../cli/target-flags.js'
import {UserError} from '../errors.js'

/** --base NAME or --spec FILE (a user's base network). */
export function baseFromFlags(base: string | undefined, spec: string | undefined): BaseSpec {
  if (base !== undefined && spec !== undefined) throw new UserError('--base conflicts with --spec: give one of them')
  if (spec !== undefined) return parseBaseSpec(readText(spec, '--spec'), spec)
  return baseByName(base ?? 'efficientnet-b0')
}

/** Write flat records as CSV with a header; the columns are the first record's keys. */
export function writeCsv(file: string, records: ReadonlyArray<Record<string, string | number | boolean | null>>): void {
  const text = stringify(records as Array<Record<string, unknown>>, {header: true, columns: Object.keys(records[0] ?? {})})
  try {
    writeFileSync(file, text)
  } catch (e) {
    throw new UserError(`--csv ${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
}
