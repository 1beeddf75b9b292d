/** Every CSV effscale writes escapes cells a spreadsheet would run as formulas; numbers stay numbers. */
import assert from 'node:assert/strict'
import {cpSync, appendFileSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {readCsv} from '../../src/accuracy/csv.js'
import {toCsv} from '../../src/io/csv.js'
import {PACKAGE_ROOT} from '../../src/paths.js'
import {dataCsv} from '../../src/report/index.js'
import {writeCsv as writeSearchCsv} from '../../src/search/io.js'
import type {SweepRecord} from '../../src/sweep/record.js'
import {writeCsv as writeResultsCsv} from '../../src/sweep/store.js'
import {sweepRow} from '../budget/helpers.js'
import {runCli} from '../helpers/cli.js'
import {tmpDir} from '../sweep/helpers.js'

/** What a spreadsheet would evaluate: a text cell starting with one of these (csv-stringify's list). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/
const LEADING = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']

/** The cells of one-column CSV text, read back by effscale's own RFC 4180 reader. */
const column = (text: string, name: string) => readCsv(text, 'x.csv').rows.map((r) => r.cells[name])

describe('CSV formula escaping', () => {
  it('each leading character is escaped with a quote; the text after it is kept', () => {
    for (const c of LEADING) {
      const value = `${c}HYPERLINK("http://evil.example/","x")`
      const [cell] = column(toCsv([{v: value}], ['v']), 'v')
      assert.equal(cell, `'${value}`, JSON.stringify(c))
    }
    assert.deepEqual(column(toCsv([{v: 'efficientnet-b0'}, {v: 'a=b'}], ['v']), 'v'), ['efficientnet-b0', 'a=b'])
  })

  it('numbers, negative ones included, stay numbers; a number written as text is text', () => {
    const text = toCsv([{n: -0.5, big: -1e21, zero: -0, s: '-0.5'}], ['n', 'big', 'zero', 's'])
    assert.equal(text.split('\n')[1], "-0.5,-1e+21,0,'-0.5")
    assert.equal(Number(column(text, 'n')[0]), -0.5)
  })

  it('results.csv, data.csv and --csv files all escape', () => {
    const dir = tmpDir('csv')
    const evil = '=HYPERLINK("http://evil.example/","click")'
    writeResultsCsv(dir, [sweepRow({model: evil, p50_ms: -0.25}) as unknown as SweepRecord])
    const results = readFileSync(path.join(dir, 'results.csv'), 'utf8')
    assert.deepEqual(column(results, 'model'), [`'${evil}`])
    assert.deepEqual(column(results, 'p50_ms'), ['-0.25'])

    const data = dataCsv([{id: 'c', rows: [{accName: evil, top1: -1}]}])
    assert.deepEqual(column(data, 'accname'), [`'${evil}`])
    assert.deepEqual(column(data, 'top1'), ['-1'])

    const file = path.join(dir, 'search.csv')
    writeSearchCsv(file, [{base: '@mine', macs: -3}])
    assert.deepEqual(readCsv(readFileSync(file, 'utf8'), 'x').rows[0].cells, {base: "'@mine", macs: '-3'})
  })

  it('report: a =HYPERLINK(...) model name in the accuracy CSV is text in data.csv, not a formula', () => {
    const dir = tmpDir('csv-report')
    const acc = path.join(dir, 'acc.csv')
    const names = ['=HYPERLINK("http://evil.example/","click")', '-2+3', '@SUM(A1)', '+1']
    writeFileSync(acc, 'model,base,width,top1\n' + names.map((n, i) => `"${n.replaceAll('"', '""')}",efficientnet-b0,${1.1 + i / 10},${78 + i}\n`).join(''))
    // The sweep's last line was torn by a kill -9: the report reads it as --resume and check do.
    const sweep = path.join(dir, 'sweep')
    cpSync(path.join(PACKAGE_ROOT, 'fixtures/sweeps/sample-cpu'), sweep, {recursive: true})
    appendFileSync(path.join(sweep, 'results.jsonl'), '{"key": "width|efficientnet-b0 w=1.4|d=1')
    const r = runCli(['report', '--accuracy', acc, '--sweep', sweep, '--out', path.join(dir, 'r')])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stderr, /^effscale: warning: .*results\.jsonl:43: skipped an unterminated last line/m)
    const table = readCsv(readFileSync(path.join(dir, 'r', 'data.csv'), 'utf8'), 'data.csv')
    const placed = table.rows.filter((x) => x.cells.chart === 'user-accuracy').map((x) => x.cells.accname)
    assert.deepEqual(placed, names.map((n) => `'${n}`))
    for (const row of table.rows) {
      for (const [k, v] of Object.entries(row.cells)) {
        if (v !== null && FORMULA_START.test(v)) assert.ok(Number.isFinite(Number(v)), `data.csv line ${row.line} ${k}: ${v}`)
      }
    }
  })
})
