/**
 * Resource bombs and bad multipliers as a hostile user would try them, each with the one line it
 * must end with (exit 2). Shared by test/arch/guard-cli.test.ts and bench/io.bench.ts (time).
 */
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import type {RefusalCase} from '../io/refusal-cases.js'

export function guardCases(dir: string): RefusalCase[] {
  const out = path.join(dir, 'guard-huge.onnx')
  const stage = (repeats: number) => ({block: 'mbconv', repeats, kernel: 3, stride: 1, expand: 6, se: 0.25, out: 16})
  const spec = (file: string, stages: object[], extra: object = {}) => {
    const p = path.join(dir, file)
    writeFileSync(p, JSON.stringify({name: file, imageSize: 64, stem: {out: 16, kernel: 3, stride: 2}, stages, ...extra}))
    return p
  }
  const bomb = spec('bomb.json', [stage(1e9)])
  const deep = spec('deep.json', Array.from({length: 8}, () => stage(1000)))
  const floor = spec('floor.json', [stage(1), stage(2)], {scaling: {depthRounding: 'floor'}})
  const budget = path.join(dir, 'guard-budgets.json')
  writeFileSync(budget, JSON.stringify({budgets: [{name: 'bomb', spec: 'bomb.json', maxMacs: '1G'}]}))
  const grid = path.join(dir, 'guard-grid.json')
  writeFileSync(grid, JSON.stringify({base: 'efficientnet-b0', points: [{width: 1}, {width: 100}]}))

  const cases: Array<Omit<RefusalCase, 'exit'>> = [
    {name: 'export --width 100', args: ['export', '--base', 'efficientnet-b0', '--width', '100', '--out', out], re: /^effscale: --base efficientnet-b0 --width 100: needs ~\d+\.\d GiB \(weights .*\), over the limit of .* \(50% of free memory; --max-memory to change\)$/},
    {name: 'export over --max-memory', args: ['export', '--model', 'efficientnet-b0', '--max-memory', '1MiB', '--out', out], re: /^effscale: --model efficientnet-b0: needs ~25\.\d MiB .* over the limit of 1\.0 MiB \(--max-memory\)$/},
    {name: '--max-memory not a size', args: ['export', '--model', 'efficientnet-b0', '--max-memory', 'lots', '--out', out], re: /^effscale: --max-memory must be a number of bytes/},
    {name: 'a --spec with 1e9 repeats', args: ['flops', '--spec', bomb], re: /^effscale: .*bomb\.json: stages\.0\.repeats must be <= 1000$/},
    {name: 'export of a --spec with 1e9 repeats', args: ['export', '--spec', bomb, '--out', out], re: /^effscale: .*bomb\.json: stages\.0\.repeats must be <= 1000$/},
    {name: 'a budget naming that spec', args: ['check', '--budget', budget], re: /budgets\[0\] "bomb".*bomb\.json: stages\.0\.repeats must be <= 1000$/},
    {name: '--depth over the op cap', args: ['flops', '--spec', deep, '--depth', '100'], re: /^effscale: --depth 100: deep\.json would lower to up to [\d,]+ ops, over the cap of 200,000$/},
    {name: 'sweep of a w=100 point', args: ['sweep', '--grid', grid, '--ep', 'cpu', '--out', path.join(dir, 'sweep'), '--cache', path.join(dir, 'cache')], re: /^effscale: --grid .*guard-grid\.json: point "efficientnet-b0 w=100" at batch 1: needs ~\d+\.\d GiB/},
    {name: '--width 0x10', args: ['flops', '--base', 'efficientnet-b0', '--width', '0x10'], re: /^effscale: --width must be a number written as a plain decimal like 1\.4, got "0x10"$/},
    {name: '--width 1e-9', args: ['export', '--base', 'efficientnet-b0', '--width', '1e-9', '--out', out], re: /^effscale: --width must be a number written as a plain decimal like 1\.4, got "1e-9"$/},
    {name: '--width rounding a stage to zero channels', args: ['flops', '--base', 'mobilenet-v3-small', '--width', '0.001'], re: /^effscale: --width 0\.001: stage1 would have 16 × 0\.001 ≈ 0 channels$/},
    {name: '--depth rounding a stage to zero blocks', args: ['flops', '--spec', floor, '--depth', '0.4'], re: /^effscale: --depth 0\.4: stage1 would have 0 blocks \(1 × 0\.4, rounded by 'floor'\)$/},
  ]
  return cases.map((c) => ({...c, exit: 2}))
}
