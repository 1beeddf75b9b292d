/**
 * Bad output paths for every command that writes, and sweep directories that --resume and
 * `sweep merge` must refuse, each with the exit code and the one line it must end with.
 * Shared by test/io/refusals.test.ts and bench/io.bench.ts.
 */
import {appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {PACKAGE_ROOT} from '../../src/paths.js'
import {runSweep} from '../../src/sweep/run.js'
import {deps, options} from '../sweep/helpers.js'

export interface RefusalCase {
  name: string
  args: string[]
  exit: number
  re: RegExp
}

/** The cases, with the files they need made under `dir`. Pseudo-filesystem cases only where /proc and /sys exist. */
export async function refusalCases(dir: string): Promise<RefusalCase[]> {
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
    ...(await sweepDirCases(dir)),
    {name: 'sweep --out under a file', args: [...sweepArgs, '--out', path.join(file, 'x')], exit: 2, re: /^effscale: --out .*a-file\/x: .*a-file is not a directory \(ENOTDIR\)$/},
    {name: 'sweep merge --out under a file', args: ['sweep', 'merge', sweep, '--out', path.join(file, 'x')], exit: 2, re: /^effscale: --out .*a-file\/x: .*a-file is not a directory \(ENOTDIR\)$/},
    {name: 'report --out under a file', args: ['report', '--out', path.join(file, 'x')], exit: 2, re: /^effscale: --out .*a-file\/x: .*a-file is not a directory \(ENOTDIR\)$/},
    {name: 'check --junit a directory', args: ['check', '--budget', budget, '--junit', folder], exit: 2, re: /^effscale: --junit .*a-folder: cannot write: is a directory \(EISDIR\)$/},
    {name: 'search --csv a directory', args: ['search', '--csv', folder], exit: 2, re: /^effscale: --csv .*a-folder: cannot write: is a directory \(EISDIR\)$/},
    {name: 'family --csv a directory', args: ['family', '--max-phi', '2', '--csv', folder], exit: 2, re: /^effscale: --csv .*a-folder: cannot write: is a directory \(EISDIR\)$/},
    {name: 'export --out a directory', args: ['export', '--model', 'efficientnet-b0', '--out', folder], exit: 2, re: /^effscale: --out .*a-folder: is a directory$/},
  ]
}

/** Sweep directories that the readers refuse: made by a fake-timed sweep, then changed. */
async function sweepDirCases(dir: string): Promise<RefusalCase[]> {
  const edit = (d: string, over: object) => {
    const file = path.join(d, 'run.json')
    writeFileSync(file, JSON.stringify({...JSON.parse(readFileSync(file, 'utf8')), ...over}))
  }
  const sample = path.join(PACKAGE_ROOT, 'fixtures', 'sweeps', 'sample-cpu')
  const stray = path.join(dir, 'stray')
  cpSync(sample, stray, {recursive: true})
  const [first] = readFileSync(path.join(stray, 'results.jsonl'), 'utf8').split('\n')
  appendFileSync(path.join(stray, 'results.jsonl'), JSON.stringify({...JSON.parse(first), key: 'stray-point'}) + '\n')
  const [gpuA, gpuB] = ['gpu-a', 'gpu-b'].map((name) => path.join(dir, name))
  cpSync(sample, gpuA, {recursive: true})
  cpSync(sample, gpuB, {recursive: true})
  edit(gpuB, {device: 'Some Other CPU'})
  // What `sweep --models efficientnet-b0 --ep cpu` measures, recorded as if on another device.
  const moved = path.join(dir, 'moved')
  await runSweep(options(moved, {grid: {models: ['efficientnet-b0'], batches: [1], dtype: 'fp32', input: 'float32-nchw'}}), deps())
  edit(moved, {device: 'Some Other CPU'})
  return [
    {name: 'sweep merge: a record outside the grid', args: ['sweep', 'merge', stray, '--out', path.join(dir, 'm1')], exit: 2, re: /^effscale: sweep merge: .*results\.jsonl:43: point "stray-point" is not in the directory's grid/},
    {name: 'sweep merge: another device', args: ['sweep', 'merge', gpuA, gpuB, '--out', path.join(dir, 'm2')], exit: 2, re: /^effscale: sweep merge: .*gpu-b was measured on cpu \(Some Other CPU\), .*gpu-a on cpu \(AMD EPYC\); merge only runs of one EP and device/},
    {name: 'sweep --resume: another device', args: ['sweep', '--models', 'efficientnet-b0', '--ep', 'cpu', '--resume', '--cache', path.join(dir, 'cache'), '--out', moved], exit: 2, re: /^effscale: --resume: .*moved was measured on Some Other CPU, this run is on .*; use another --out$/},
  ]
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
