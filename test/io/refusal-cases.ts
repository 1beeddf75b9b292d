/**
 * Bad output paths for every command that writes, each with the exit code and the one line it
 * must end with. Shared by test/io/refusals.test.ts and bench/io.bench.ts.
 */
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {PACKAGE_ROOT} from '../../src/paths.js'

export interface RefusalCase {
  name: string
  args: string[]
  exit: number
  re: RegExp
}

/** The cases, with the files they need made under `dir`. Pseudo-filesystem cases only where /proc and /sys exist. */
export function refusalCases(dir: string): RefusalCase[] {
  const file = path.join(dir, 'a-file')
  writeFileSync(file, '')
  const folder = path.join(dir, 'a-folder')
  mkdirSync(folder, {recursive: true})
  const budget = path.join(dir, 'budgets.json')
  writeFileSync(budget, JSON.stringify({budgets: [{name: 'b0', model: 'efficientnet-b0', maxMacs: '1G'}]}))
  const sweep = path.join(PACKAGE_ROOT, 'fixtures', 'sweeps', 'sample-cpu')
  const cache = path.join(dir, 'cache')
  const sweepArgs = ['sweep', '--models', 'efficientnet-b0', '--ep', 'cpu', '--cache', cache]
  const proc = (name: string, args: string[], shown = args[args.length - 1]): RefusalCase => ({
    name,
    args,
    exit: 2,
    re: new RegExp(`^effscale: ${escape(args[args.length - 2])} ${escape(shown)}.*: /proc is on the proc pseudo filesystem`),
  })
  const pseudo: RefusalCase[] = !existsSync('/proc/self')
    ? []
    : [
        proc('sweep --out /proc/…', [...sweepArgs, '--out', '/proc/effscale-test/out']),
        {...proc('sweep --out /sys/…', [...sweepArgs, '--out', '/sys/effscale-test/out']), re: /^effscale: --out \/sys\/effscale-test\/out: \/sys is on the sysfs pseudo filesystem/},
        {name: 'sweep --cache /proc/…', args: ['sweep', '--models', 'efficientnet-b0', '--ep', 'cpu', '--out', path.join(dir, 'o1'), '--cache', '/proc/effscale-test/c'], exit: 2, re: /^effscale: --cache \/proc\/effscale-test\/c: \/proc is on the proc pseudo filesystem/},
        proc('sweep merge --out /proc/…', ['sweep', 'merge', sweep, '--out', '/proc/effscale-test/m']),
        proc('report --out /proc/…', ['report', '--out', '/proc/effscale-test/r']),
        proc('export --out /proc/…', ['export', '--model', 'efficientnet-b0', '--out', '/proc/effscale-test.onnx']),
        proc('check --junit /proc/…', ['check', '--budget', budget, '--junit', '/proc/effscale-test/j.xml']),
        proc('search --csv /proc/…', ['search', '--csv', '/proc/effscale-test.csv']),
        proc('family --csv /proc/…', ['family', '--max-phi', '2', '--csv', '/proc/effscale-test.csv']),
      ]
  return [
    ...pseudo,
    {name: 'sweep --out under a file', args: [...sweepArgs, '--out', path.join(file, 'x')], exit: 2, re: /^effscale: --out .*a-file\/x: .*a-file is not a directory \(ENOTDIR\)$/},
    {name: 'sweep merge --out under a file', args: ['sweep', 'merge', sweep, '--out', path.join(file, 'x')], exit: 2, re: /^effscale: --out .*a-file\/x: .*a-file is not a directory \(ENOTDIR\)$/},
    {name: 'report --out under a file', args: ['report', '--out', path.join(file, 'x')], exit: 2, re: /^effscale: --out .*a-file\/x: .*a-file is not a directory \(ENOTDIR\)$/},
    {name: 'check --junit a directory', args: ['check', '--budget', budget, '--junit', folder], exit: 2, re: /^effscale: --junit .*a-folder: cannot write: is a directory \(EISDIR\)$/},
    {name: 'search --csv a directory', args: ['search', '--csv', folder], exit: 2, re: /^effscale: --csv .*a-folder: cannot write: is a directory \(EISDIR\)$/},
    {name: 'family --csv a directory', args: ['family', '--max-phi', '2', '--csv', folder], exit: 2, re: /^effscale: --csv .*a-folder: cannot write: is a directory \(EISDIR\)$/},
    {name: 'export --out a directory', args: ['export', '--model', 'efficientnet-b0', '--out', folder], exit: 2, re: /^effscale: --out .*a-folder: is a directory$/},
  ]
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
