/**
 * Opens report.html in real headless Chromium (Debian's, driven by playwright-core): no console
 * errors, every chart rendered with marks, no text of a chart overlapping another text as the
 * browser lays it out (its own fonts and metrics: independent of effscale's label placement),
 * a screenshot saved. The report holds every kind of chart: two real H200 sweeps, trials along
 * each path, timm results and both benchmark files (excerpts). Skipped only outside CI when
 * chromium is missing; under CI=true a missing chromium fails the test.
 */
import assert from 'node:assert/strict'
import {existsSync, rmSync} from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {test} from 'node:test'
import {chromium} from 'playwright-core'
import {outDir, ROOT} from './helpers.js'
import {runCli} from '../helpers/cli.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const inCi = Boolean(process.env.CI)
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

test('report.html renders every chart in headless Chromium', {skip: !inCi && !existsSync(CHROMIUM) && `no chromium at ${CHROMIUM}`, timeout: 120_000}, async () => {
  assert.ok(existsSync(CHROMIUM), `CI needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`)
  const out = outDir('browser')
  rmSync(out, {recursive: true, force: true})
  const f = (p: string) => path.join(ROOT, p)
  const excerpt = 'fixtures/timm-excerpt'
  const inputs = [
    '--sweep', f('fixtures/sweeps/h200-fp32'), '--sweep', f('fixtures/sweeps/h200-fp16-uint8'),
    '--accuracy', f('test/report/data/trials.csv'),
    '--timm', f(`${excerpt}/results-imagenet-excerpt.csv`),
    '--benchmark', f(`${excerpt}/benchmark-infer-amp-nchw-pt240-cu124-rtx4090-excerpt.csv`),
    '--benchmark', f(`${excerpt}/benchmark-infer-fp32-nchw-pt240-cpu-i7_12700h-dynamo-excerpt.csv`),
  ]
  const r = runCli(['report', '--out', out, ...inputs, '--json'])
  assert.equal(r.status, 0, r.stderr)
  const written = (JSON.parse(r.stdout) as {charts: unknown[]}).charts.length

  const browser = await chromium.launch({executablePath: CHROMIUM, args: ARGS})
  try {
    const page = await browser.newPage({viewport: {width: 1400, height: 1000}})
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`))
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) problems.push(`network: ${req.url()}`)
    })
    await page.goto(pathToFileURL(path.join(out, 'report.html')).href)
    await page.waitForSelector('body[data-done="true"]', {timeout: 60_000})
    const state = await page.evaluate(() => {
      const w = window as unknown as {__effscale: {total: number; rendered: number; errors: string[]}}
      const charts = Array.from(document.querySelectorAll('.vis')).map((el) => {
        // Every drawn text as the browser laid it out; pairs whose boxes cross by > 1 px.
        const texts = Array.from(el.querySelectorAll('text'))
          .filter((t) => (t.textContent ?? '').trim() !== '' && getComputedStyle(t).display !== 'none' && t.getAttribute('opacity') !== '0')
          .map((t) => ({s: t.textContent ?? '', r: t.getBoundingClientRect()}))
        const overlaps: string[] = []
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            const a = texts[i].r
            const b = texts[j].r
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left)
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
            // Browser boxes span the font's full line height; count ink-sized overlaps only.
            if (w > 1 && h > 0.45 * Math.min(a.height, b.height)) overlaps.push(`"${texts[i].s}" × "${texts[j].s}" (${w.toFixed(1)}×${h.toFixed(1)} px)`)
          }
        }
        return {
          id: el.id,
          rendered: el.getAttribute('data-rendered') === 'true',
          // Drawn marks: paths, lines and text inside vega's mark groups.
          marks: el.querySelectorAll('g[class^="mark-"] path, g[class^="mark-"] line, g.mark-text text').length,
          texts: texts.length,
          overlaps,
        }
      })
      return {...w.__effscale, charts}
    })
    await page.screenshot({path: path.join(out, 'report-screenshot.png'), fullPage: true})
    assert.deepEqual(problems, [])
    assert.deepEqual(state.errors, [])
    // Every chart the report wrote is on the page.
    assert.ok(written >= 16, `${written} charts written`)
    assert.equal(state.total, written)
    assert.equal(state.rendered, state.total)
    for (const c of state.charts) {
      assert.ok(c.rendered, `${c.id} not rendered`)
      assert.ok(c.marks > 10, `${c.id}: ${c.marks} marks`)
      assert.ok(c.texts > 10, `${c.id}: ${c.texts} texts`)
      assert.deepEqual(c.overlaps, [], `${c.id}: texts overlap in Chromium`)
    }
  } finally {
    await browser.close()
  }
})
