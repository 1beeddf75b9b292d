import assert from 'node:assert/strict'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'node:test'
import {assertUsageError, runCli} from '../helpers/cli.js'
import {outDir, ROOT} from './helpers.js'

const tmp = outDir('bad-input')

/** `effscale report ARGS`: exit 2 and exactly one line on stderr, matching, no stack trace. */
const fails = (args: string[], re: RegExp) => assertUsageError(['report', ...args], re)

test('missing sweep directory', () => fails(['--out', path.join(tmp, 'o1'), '--sweep', path.join(tmp, 'nope')], /^effscale: --sweep .*nope: no such directory$/))

test('empty sweep directory', () => {
  const d = path.join(tmp, 'empty-sweep')
  rmSync(d, {recursive: true, force: true})
  mkdirSync(d, {recursive: true})
  fails(['--out', path.join(tmp, 'o2'), '--sweep', d], /--sweep .*empty-sweep: no results\.jsonl/)
  writeFileSync(path.join(d, 'results.jsonl'), '\n')
  fails(['--out', path.join(tmp, 'o2'), '--sweep', d], /results\.jsonl has no records/)
})

test('CSV without required columns names them', () => {
  const f = path.join(tmp, 'cols.csv')
  writeFileSync(f, 'name,accuracy\nb0,77\n')
  fails(['--out', path.join(tmp, 'o3'), '--accuracy', f], /cols\.csv: missing columns base or model, top1/)
})

test('non-numeric accuracy', () => {
  const f = path.join(tmp, 'nan.csv')
  writeFileSync(f, 'base,width,top1\nefficientnet-b0,1.2,n/a\n')
  fails(['--out', path.join(tmp, 'o4'), '--accuracy', f], /nan\.csv line 2: top1 "n\/a" is not a number/)
})

test('missing accuracy file', () => fails(['--out', path.join(tmp, 'o5'), '--accuracy', path.join(tmp, 'none.csv')], /--accuracy .*none\.csv: no such file/))

test('unwritable --out (a path under a regular file)', () => {
  const f = path.join(tmp, 'a-file')
  writeFileSync(f, 'x')
  fails(['--out', path.join(f, 'report')], /^effscale: --out .*a-file\/report: .*a-file is not a directory \(ENOTDIR\)$/)
})

test('--json: the error is one JSON document, exit 2', () => {
  const r = runCli(['report', '--out', path.join(tmp, 'o6'), '--sweep', path.join(tmp, 'nope'), '--json'])
  assert.equal(r.status, 2)
  assert.match((JSON.parse(r.stdout) as {error: string}).error, /no such directory/)
})

test('--timm that is not a timm results file', () => fails(['--out', path.join(tmp, 'o7'), '--timm', path.join(ROOT, 'test/report/data/points.csv')], /--timm .*points\.csv: not a timm results file/))

test('--benchmark without timm accuracy to join it to', () =>
  fails(['--out', path.join(tmp, 'o8'), '--benchmark', path.join(ROOT, 'fixtures/timm-excerpt/benchmark-infer-amp-nchw-pt240-cu124-rtx4090-excerpt.csv')], /--benchmark gives throughput to timm models: add their accuracy with --timm/))

test('a benchmark CSV without its columns, or with an impossible value', () => {
  const f = path.join(tmp, 'bench.csv')
  writeFileSync(f, 'model,infer_img_size,infer_samples_per_sec\nx,224,100\n')
  const timm = ['--timm', path.join(ROOT, 'fixtures/timm-excerpt/results-imagenet-excerpt.csv')]
  fails(['--out', path.join(tmp, 'o9'), ...timm, '--benchmark', f], /bench\.csv: missing column infer_gmacs/)
  writeFileSync(f, 'model,infer_img_size,infer_samples_per_sec,infer_gmacs\nx,224,-5,1\n')
  fails(['--out', path.join(tmp, 'o9'), ...timm, '--benchmark', f], /bench\.csv line 2: infer_samples_per_sec must be > 0, got -5/)
})

test('top-1 as fractions: converted, and the report says so on stderr', () => {
  const f = path.join(tmp, 'frac.csv')
  writeFileSync(f, 'base,width,top1\nefficientnet-b0,1,0.771\nefficientnet-b0,1.4,0.781\n')
  const r = runCli(['report', '--out', path.join(tmp, 'o10'), '--accuracy', f, '--json'])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /frac\.csv: every top1 is ≤ 1, read as fractions and converted to percent/)
})
