/**
 * Opens report.html in real headless Chromium (Debian's, driven by playwright-core): no console
 * errors, every chart rendered with marks, a screenshot saved. Skipped only outside CI when
 * chromium is missing; under CI=true a missing chromium fails the test.
 */
import assert from 'node:assert/strict'
import {existsSync, rmSync} from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {test} from 'node:test'
import {chromium} from 'playwright-core'
import {outDir, POINTS_CSV, SWEEP_CPU, SWEEP_UINT8} from './helpers.js'
import {runCli} from '../helpers/cli.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const inCi = Boolean(process.env.CI)
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

test('report.html renders every chart in headless Chromium', {skip: !inCi && !existsSync(CHROMIUM) && `no chromium at ${CHROMIUM}`, timeout: 120_000}, async () => {
  assert.ok(existsSync(CHROMIUM), `CI needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`)
  const out = outDir('browser')
  rmSync(out, {recursive: true, force: true})
  const r = runCli(['report', '--out', out, '--sweep', SWEEP_CPU, '--sweep', SWEEP_UINT8, '--accuracy', POINTS_CSV])
  assert.equal(r.status, 0, r.stderr)

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
      const charts = Array.from(document.querySelectorAll('.vis')).map((el) => ({
        id: el.id,
        rendered: el.getAttribute('data-rendered') === 'true',
        // Drawn marks: paths, lines and text inside vega's mark groups.
        marks: el.querySelectorAll('g[class^="mark-"] path, g[class^="mark-"] line, g.mark-text text').length,
      }))
      return {...w.__effscale, charts}
    })
    await page.screenshot({path: path.join(out, 'report-screenshot.png'), fullPage: true})
    assert.deepEqual(problems, [])
    assert.deepEqual(state.errors, [])
    assert.equal(state.total, 11)
    assert.equal(state.rendered, state.total)
    for (const c of state.charts) {
      assert.ok(c.rendered, `${c.id} not rendered`)
      assert.ok(c.marks > 10, `${c.id}: ${c.marks} marks`)
    }
  } finally {
    await browser.close()
  }
})
