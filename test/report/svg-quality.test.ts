/**
 * Chart quality, read back from the rendered SVG of every chart the registry builds (so charts
 * added later are checked too): axis titles with units, every decade of a log axis labelled, no
 * repeated tick labels, no text overlapping other text, x-axes on the plots they belong to,
 * device / EP / threads / dtype on every latency chart, one scale across panels meant to be
 * compared. Reports: the default one, one with two real H200 sweeps, one with trials and timm
 * data.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'node:test'
import {parseBenchmarkCsv} from '../../src/accuracy/benchmark.js'
import {parseAccuracyCsv} from '../../src/accuracy/csv.js'
import type {Chart} from '../../src/report/chart.js'
import {buildCharts, type ChartInputs} from '../../src/report/charts/index.js'
import {placeLabels} from '../../src/report/labels.js'
import {readPaperTables} from '../../src/report/paper.js'
import {toSvg} from '../../src/report/render.js'
import {distinctLabels, loadSweep} from '../../src/report/sweep.js'
import {ROOT} from './helpers.js'
import {qualityProblems, readSvg} from './svg-check.js'

const paper = readPaperTables()
const sweep = (name: string) => loadSweep(path.join(ROOT, 'fixtures/sweeps', name))
const csv = (file: string) => parseAccuracyCsv(readFileSync(path.join(ROOT, file), 'utf8'), path.basename(file))
const excerpt = (name: string) => parseBenchmarkCsv(readFileSync(path.join(ROOT, 'fixtures/timm-excerpt', name), 'utf8'), name)

/** Panels that show different things on purpose, and why. */
const INDEPENDENT: Record<string, string> = {
  transfer: 'one panel per dataset: accuracies of different datasets are not compared',
  'other-scaling': 'one panel per network (MobileNetV1, V2, ResNet-50), costs a decade apart',
  'scaling-paths': 'MACs per step on the left, latency against MACs on the right: different quantities',
  'latency-predictors': 'one panel per predictor: MACs, activations and model milliseconds are different units',
}

const LATENCY_AXIS = /latency|throughput|speed-up|images\/s/i

const REPORTS: Record<string, ChartInputs> = {
  default: {paper, runs: []},
  'two H200 sweeps (fp32, fp16-uint8)': {paper, runs: distinctLabels([sweep('h200-fp32'), sweep('h200-fp16-uint8')])},
  'a MobileNetV3-Small CPU sweep on the four scaling paths': {paper, runs: [sweep('mnv3-small-cpu')]},
  'trials, timm excerpt and its benchmarks': {
    paper,
    runs: [sweep('h200-default')],
    accuracy: csv('test/report/data/trials.csv'),
    timm: csv('fixtures/timm-excerpt/results-imagenet-excerpt.csv'),
    benchmarks: [excerpt('benchmark-infer-amp-nchw-pt240-cu124-rtx4090-excerpt.csv'), excerpt('benchmark-infer-fp32-nchw-pt240-cpu-i7_12700h-dynamo-excerpt.csv')],
  },
}

async function rendered(c: Chart) {
  const placed = await placeLabels(c)
  return readSvg(await toSvg(placed.spec))
}

for (const [name, inputs] of Object.entries(REPORTS)) {
  const {charts} = buildCharts(inputs)
  for (const chart of charts) {
    test(`${name}: ${chart.id} passes every chart rule`, {timeout: 120_000}, async () => {
      const svg = await rendered(chart)
      assert.ok(svg.axes.length >= 2, `${chart.id}: ${svg.axes.length} axes read`)
      assert.ok(svg.texts.length > 10)
      const latency = svg.axes.some((a) => LATENCY_AXIS.test(a.title ?? ''))
      assert.deepEqual(qualityProblems(svg, {latency, independentPanels: chart.id in INDEPENDENT}), [])
    })
  }
}

test('the two-sweep report has every latency chart, each naming both runs\' device, EP, threads and dtype', async () => {
  const {charts} = buildCharts(REPORTS['two H200 sweeps (fp32, fp16-uint8)'])
  const latency = charts.filter((c) => ['sweep-latency', 'sweep-throughput', 'accuracy-latency', 'sweep-speedup'].includes(c.id))
  assert.equal(latency.length, 4)
  for (const c of latency) {
    const sub = (await rendered(c)).subtitle.join('\n')
    assert.match(sub, /h200-fp32: device NVIDIA H200 · EP cuda · threads ORT default, 16 CPUs · dtype fp32 \(input float32-nchw\)/, c.id)
    assert.match(sub, /h200-fp16-uint8: device NVIDIA H200 · EP cuda · threads ORT default, 16 CPUs · dtype fp16 \(input uint8-nhwc\)/, c.id)
  }
})

test('a sweep of a new base on the four paths gets the Figure 8 chart: every path from the same base point', () => {
  const {charts} = buildCharts(REPORTS['a MobileNetV3-Small CPU sweep on the four scaling paths'])
  const chart = charts.find((c) => c.id === 'scaling-paths')
  assert.ok(chart, 'scaling-paths chart built')
  const paths = new Set(chart.rows.map((r) => r.path))
  assert.deepEqual([...paths], ['width', 'depth', 'resolution', 'compound'])
  const starts = chart.rows.filter((r) => r.step === 0)
  assert.equal(starts.length, 4)
  assert.equal(new Set(starts.map((r) => r.macsB)).size, 1, 'every path starts at the base')
  assert.equal(buildCharts(REPORTS['two H200 sweeps (fp32, fp16-uint8)']).charts.some((c) => c.id === 'scaling-paths'), false, 'B0-only sweeps: no such chart')
})

test('the rules catch what they forbid (the checker can fail)', async () => {
  // vega-lite's own log ticks on 12…360 ms drop the 100 label (as accuracy-latency did); two labels on one point overlap;
  // a row facet puts the shared x-axis below the last row, off the plots; rows differ in scale.
  const bad: Chart = {
    id: 'bad',
    title: 'bad',
    rows: [],
    spec: {
      data: {values: [{x: 13, y: 1, t: 'first label', g: 'a'}, {x: 13, y: 1, t: 'second label', g: 'a'}, {x: 330, y: 1000, t: 'z', g: 'b'}, {x: 40, y: 2, t: 'w', g: 'b'}]},
      facet: {row: {field: 'g', type: 'nominal'}},
      spec: {
        width: 300,
        height: 80,
        layer: [
          {mark: 'point', encoding: {x: {field: 'x', type: 'quantitative', scale: {type: 'log', nice: false, padding: 12}, title: 'no unit'}, y: {field: 'y', type: 'quantitative', title: 'y (u)'}}},
          {mark: {type: 'text', dx: 4, align: 'left'}, encoding: {x: {field: 'x', type: 'quantitative'}, y: {field: 'y', type: 'quantitative'}, text: {field: 't'}}},
        ],
      },
      resolve: {scale: {y: 'independent'}},
    },
  }
  const problems = qualityProblems(readSvg(await toSvg(bad.spec)), {latency: true})
  const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `${re} not in:\n${problems.join('\n')}`)
  has(/X-axis "no unit": title has no unit/)
  has(/log axis from .* has no label at 100$/)
  has(/text "first label" \(mark\) overlaps "second label"/)
  has(/axis line at y=.* is not on the bottom edge of a plot/)
  has(/latency chart subtitle does not say device/)
  has(/panels meant to be compared have different Y scales/)
})
