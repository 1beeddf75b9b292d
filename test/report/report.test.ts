import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {before, test} from 'node:test'
import {Resvg} from '@resvg/resvg-js'
import {fromCSV} from 'arquero'
import type {ReportResult} from '../../src/report/index.js'
import {schemaErrors} from '../../src/report/render.js'
import {darkPixels, decodePng, outDir, POINTS_CSV, SWEEP_CPU, SWEEP_UINT8} from './helpers.js'
import {runCli} from '../helpers/cli.js'

const out = outDir('full')
let result: ReportResult

before(() => {
  rmSync(out, {recursive: true, force: true})
  const r = runCli(['report', '--out', out, '--sweep', SWEEP_CPU, '--sweep', SWEEP_UINT8, '--accuracy', POINTS_CSV, '--json'])
  assert.equal(r.status, 0, r.stderr)
  result = JSON.parse(r.stdout) as ReportResult
  assert.match(r.stderr, /1 rows of .*points\.csv name models effscale cannot build, not plotted: my-typo-net/)
})

test('--json: one document listing every chart and its files', () => {
  assert.equal(result.charts.length, 15)
  assert.deepEqual(result.accuracy?.unknown.map((u) => u.name), ['my-typo-net'])
  assert.deepEqual(result.sweeps.map((s) => [s.label, s.failed]), [['sample-cpu', 0], ['sample-cpu-uint8', 0]])
  const files = new Set(readdirSync(out))
  for (const c of result.charts) for (const f of [c.spec, c.svg, c.png]) assert.ok(files.has(f), f)
  assert.ok(files.has('report.html') && files.has('data.csv'))
})

test('every *.vl.json validates against the Vega-Lite schema', () => {
  const specs = readdirSync(out).filter((f) => f.endsWith('.vl.json'))
  assert.equal(specs.length, result.charts.length)
  for (const f of specs) assert.deepEqual(schemaErrors(JSON.parse(readFileSync(path.join(out, f), 'utf8'))), [], f)
})

test('data.csv holds every plotted row, tagged with its chart', () => {
  const rows = fromCSV(readFileSync(path.join(out, 'data.csv'), 'utf8'), {autoType: false}).objects() as Array<Record<string, string>>
  assert.equal(rows.length, result.charts.reduce((n, c) => n + c.rows, 0))
  for (const c of result.charts) assert.equal(rows.filter((r) => r.chart === c.id).length, c.rows, c.id)
})

test('PNGs contain rendered text (title pixels), drawn with the bundled font', () => {
  for (const c of result.charts) {
    const img = decodePng(readFileSync(path.join(out, c.png)))
    // Title: bold 15 px at 2× zoom, inside the top-left band.
    const title = darkPixels(img, 0, 0, Math.min(img.width, 1200), 70)
    assert.ok(title > 500, `${c.png}: ${title} dark pixels in the title band`)
  }
  // Without a font the same SVG renders no text at all: the pixels above come from the bundled font.
  const svg = readFileSync(path.join(out, result.charts[0].svg), 'utf8')
  const bare = new Resvg(svg, {background: 'white', fitTo: {mode: 'zoom', value: 2}, font: {loadSystemFonts: false, fontFiles: []}}).render().asPng()
  assert.equal(darkPixels(decodePng(bare), 0, 0, 1200, 70), 0)
})

test('SVGs have titles, axis titles with units and legends', () => {
  const svg = readFileSync(path.join(out, 'b0-scaling.svg'), 'utf8')
  for (const s of ['EfficientNet-B0: one dimension vs compound', 'MACs per image (billions', 'ImageNet top-1 accuracy (%)', 'Scaling', 'MACs from']) {
    assert.ok(svg.includes(s), s)
  }
})

test('report.html is self-contained: libraries inlined, no external scripts', () => {
  const html = readFileSync(path.join(out, 'report.html'), 'utf8')
  assert.doesNotMatch(html, /<script[^>]+src=/)
  assert.doesNotMatch(html, /cdn\.jsdelivr|unpkg\.com/)
  assert.ok(html.includes('vegaEmbed') && html.length > 700_000)
  assert.ok(existsSync(path.join(out, 'report.html')))
})
