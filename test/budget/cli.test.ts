/**
 * The real command in a child process (after tsc): exit codes, --json against its checked-in
 * schema, --junit, GitHub annotations, YAML, specs, ONNX files and sweep latencies.
 */
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {before, describe, it} from 'node:test'
import {Ajv} from 'ajv'
import {BASES} from '../../src/arch/bases.js'
import {resolveTarget} from '../../src/arch/target.js'
import type {CheckResult} from '../../src/budget/result.js'
import {costTarget, lowerTarget} from '../../src/flops/index.js'
import {emitModel} from '../../src/onnx/emit.js'
import {onnx} from '../../src/onnx/proto.js'
import {effscale, parseXml, ROOT, sweepRow, tempDir, writeFiles, type Run} from './helpers.js'

const schema = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'schemas', 'check-result.schema.json'), 'utf8'))
const validateResult = new Ajv({allErrors: true, allowUnionTypes: true}).compile(schema)

/** stdout under --json: exactly one JSON document, valid against the schema. */
function jsonResult(r: Run): CheckResult {
  const doc = JSON.parse(r.stdout) as CheckResult
  assert.ok(validateResult(doc), JSON.stringify(validateResult.errors))
  return doc
}

/** Exit 2 with one line on stderr naming the input, nothing on stdout, no stack. */
function assertUsage(r: Run, pattern: RegExp): void {
  assert.equal(r.status, 2, `stderr: ${r.stderr}`)
  assert.equal(r.stdout, '')
  const lines = r.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, r.stderr)
  assert.match(lines[0], /^effscale: /)
  assert.match(lines[0], pattern)
}

const b0 = costTarget(resolveTarget({model: 'efficientnet-b0'}))
const small = resolveTarget({base: 'mobilenet-v2', width: 0.5, resolution: 0.5})

let dir: string
before(() => {
  dir = tempDir()
  const net = emitModel(lowerTarget(small), {batch: 1, dtype: 'fp32', input: 'float32-nchw', seed: 0})
  const odd = onnx.ModelProto.decode(net)
  odd.graph!.node!.push({opType: 'FancyOp', input: [odd.graph!.output![0].name!], output: ['extra'], name: 'fancy'})
  writeFiles(dir, {
    'pass.json': {budgets: [
      {name: 'edge-b0', model: 'efficientnet-b0', maxMacs: '400M', maxParams: '5.5M'},
      {name: 'candidate', base: 'efficientnet-b0', depth: 1.2, width: 1.1, resolution: 1.15, maxMacs: '1.2G', maxMemory: '64MiB', batch: 2},
    ]},
    'over.json': {budgets: [
      {name: 'edge-b0', model: 'efficientnet-b0', maxMacs: '400M'},
      {name: 'too-big', model: 'efficientnet-b3', maxMacs: '1G', maxFlops: '2G'},
    ]},
    'budgets.yaml': 'budgets:\n  - name: edge-b0\n    model: efficientnet-b0\n    maxMacs: 400M\n    maxParams: 5.5M\n  - base: mobilenet-v2\n    phi: 1\n    maxFlops: 2G\n',
    'net.onnx': '',
    'odd.onnx': '',
    'not-onnx.onnx': 'this is not a protobuf',
    'my-net.json': JSON.stringify(BASES['mobilenet-v2']),
  })
  writeFileSync(path.join(dir, 'net.onnx'), net)
  writeFileSync(path.join(dir, 'odd.onnx'), onnx.ModelProto.encode(odd).finish())
})

const at = (file: string) => path.join(dir, file)
const write = (file: string, body: object | string) => {
  writeFiles(dir, {[file]: body})
  return at(file)
}

describe('effscale check (CLI)', () => {
  it('exit 0: everything within budget, a table on stdout', () => {
    const r = effscale(['check', '--budget', at('pass.json')])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stderr, '')
    assert.match(r.stdout, /^edge-b0\s+maxMacs\s+385\.8M\s+400\.0M\s+\+3\.5%\s+pass$/m)
    assert.match(r.stdout, /^candidate\s+maxMemory\s+[\d.]+ MiB\s+64\.0 MiB\s+\+[\d.]+%\s+pass$/m)
    assert.match(r.stdout, /ok: all 4 check\(s\) within budget/)
  })

  it('exit 1: over budget; --json still prints exactly one result document, valid against the schema', () => {
    const text = effscale(['check', '--budget', at('over.json')])
    assert.equal(text.status, 1)
    assert.match(text.stdout, /^too-big\s+maxMacs\s+1\.83G\s+1\.00G\s+-82\.7%\s+FAIL$/m)
    const r = effscale(['check', '--budget', at('over.json'), '--json'])
    assert.equal(r.status, 1, r.stderr)
    const doc = jsonResult(r)
    assert.equal(doc.ok, false)
    assert.deepEqual(doc.summary, {entries: 2, checks: 3, pass: 1, fail: 2, error: 0})
    assert.equal(doc.rows[0].value, b0.macs)
    assert.deepEqual(doc.rows.map((x) => x.verdict), ['pass', 'fail', 'fail'])
  })

  it('exit 0 --json: valid against the schema, figures equal the analytic cost', () => {
    const r = effscale(['check', '--budget', at('pass.json'), '--json'])
    assert.equal(r.status, 0)
    const doc = jsonResult(r)
    assert.equal(doc.ok, true)
    const cand = costTarget(resolveTarget({base: 'efficientnet-b0', depth: 1.2, width: 1.1, resolution: 1.15}), {batch: 2})
    assert.equal(doc.rows[2].value, cand.macs)
    assert.equal(doc.rows[3].value, cand.memory.weightBytes.fp32 + cand.memory.peakActivationBytes.fp32)
    assert.deepEqual(doc.entries.map((e) => [e.kind, e.label, e.batch]), [['model', 'efficientnet-b0', 1], ['base', 'efficientnet-b0 d=1.2 w=1.1 r=1.15', 2]])
  })

  it('reads YAML budgets', () => {
    const r = effscale(['check', '--budget', at('budgets.yaml'), '--json'])
    assert.equal(r.status, 0, r.stderr)
    const doc = jsonResult(r)
    assert.deepEqual(doc.rows.map((x) => [x.entry, x.field, x.line]), [['edge-b0', 'maxMacs', 4], ['edge-b0', 'maxParams', 5], ['budgets[1]', 'maxFlops', 8]])
  })

  it('--junit writes one testcase per entry and limit, with failures', () => {
    const out = at('check.xml')
    const r = effscale(['check', '--budget', at('over.json'), '--junit', out])
    assert.equal(r.status, 1)
    const suite = parseXml(readFileSync(out, 'utf8')).children[0]
    assert.deepEqual(suite.children.map((c) => [c.attrs.classname, c.attrs.name, c.children.map((k) => k.name).join()]), [
      ['budget.edge-b0', 'maxMacs', ''],
      ['budget.too-big', 'maxMacs', 'failure'],
      ['budget.too-big', 'maxFlops', 'failure'],
    ])
    const nested = at('reports/ci/check.xml')
    assert.equal(effscale(['check', '--budget', at('pass.json'), '--junit', nested]).status, 0)
    assert.equal(parseXml(readFileSync(nested, 'utf8')).attrs.failures, '0')
    assertUsage(effscale(['check', '--budget', at('over.json'), '--junit', at('pass.json/x.xml')]), /--junit .*pass\.json\/x\.xml: .*pass\.json is not a directory \(ENOTDIR\)$/)
  })

  it('GITHUB_ACTIONS=true: ::error annotations on stdout, or on stderr under --json; none otherwise', () => {
    const env = {GITHUB_ACTIONS: 'true'}
    const r = effscale(['check', '--budget', at('over.json')], {env})
    const ann = r.stdout.split('\n').filter((l) => l.startsWith('::'))
    assert.equal(ann.length, 2)
    assert.match(ann[0], new RegExp(`^::error file=${at('over.json').replace(/[.\\/]/g, '\\$&')},line=11,title=effscale check%3A too-big maxMacs over budget::MACs 1\\.83G is over the budget of 1\\.00G by 82\\.7%25$`))
    const j = effscale(['check', '--budget', at('over.json'), '--json'], {env})
    jsonResult(j)
    assert.equal(j.stderr.split('\n').filter((l) => l.startsWith('::error ')).length, 2)
    assert.ok(!effscale(['check', '--budget', at('over.json')]).stdout.includes('::error'))
    assert.ok(!effscale(['check', '--budget', at('pass.json')], {env}).stdout.includes('::'))
  })

  it('latency from a sweep results.jsonl: pass, over, and a missing measurement fails', () => {
    const rows = [
      sweepRow({}),
      sweepRow({key: 'variant/efficientnet-b3/b1/fp32', model: 'efficientnet-b3', p50_ms: 9.5}),
      sweepRow({key: 'variant/efficientnet-b3/b8/fp32', model: 'efficientnet-b3', infer_batch_size: 8, status: 'failed', error: 'out of memory', p50_ms: null}),
    ]
    write('run1.jsonl', rows.map((x) => JSON.stringify(x)).join('\n') + '\n')
    const budget = write('latency.json', {budgets: [
      {name: 'fast-b0', model: 'efficientnet-b0', maxLatencyMs: 5},
      {name: 'fast-b3', model: 'efficientnet-b3', maxLatencyMs: 5, batch: 1},
    ]})
    const r = effscale(['check', '--budget', budget, '--sweep', at('run1.jsonl'), '--json'])
    assert.equal(r.status, 1)
    assert.deepEqual(jsonResult(r).rows.map((x) => [x.entry, x.value, x.verdict]), [['fast-b0', 4, 'pass'], ['fast-b3', 9.5, 'fail']])

    const missing = write('missing.json', {budgets: [
      {name: 'fast-b0', model: 'efficientnet-b0', maxLatencyMs: 5},
      {name: 'b0-fp16', model: 'efficientnet-b0', dtype: 'fp16', maxLatencyMs: 5},
      {name: 'b3-b8', model: 'efficientnet-b3', batch: 8, maxLatencyMs: 50},
    ]})
    const m = effscale(['check', '--budget', missing, '--sweep', at('run1.jsonl'), '--json'])
    assert.equal(m.status, 1)
    const doc = jsonResult(m)
    assert.deepEqual(doc.rows.map((x) => x.verdict), ['pass', 'error', 'error'])
    assert.match(doc.rows[1].message, /no latency measurement for efficientnet-b0 at batch 1 fp16 \(measured only at batch 1 fp32\)/)
    assert.match(doc.rows[2].message, /failed: out of memory/)
  })

  it('--sweep takes a directory holding results.jsonl', () => {
    const d = tempDir()
    writeFiles(d, {'results.jsonl': JSON.stringify(sweepRow({})) + '\n'})
    const budget = write('dir.json', {budgets: [{model: 'efficientnet-b0', maxLatencyMs: 5}]})
    assert.equal(effscale(['check', '--budget', budget, '--sweep', d]).status, 0)
    assertUsage(effscale(['check', '--budget', budget, '--sweep', path.join(d, 'nope')]), /--sweep .*nope: no such file/)
    assertUsage(effscale(['check', '--budget', budget]), /budgets\[0\] maxLatencyMs: latency limits read a sweep's results: give --sweep DIR/)
  })

  it('ONNX entries: costed by the profiler; unsupported ops fail', () => {
    const budget = write('onnx.json', {budgets: [
      {name: 'shipped', onnx: 'net.onnx', maxMacs: '450M', maxParams: 6000000},
      {name: 'odd', onnx: 'odd.onnx', maxParams: 6000000},
    ]})
    const r = effscale(['check', '--budget', budget, '--json'], {cwd: '/'})
    assert.equal(r.status, 1, r.stderr)
    const doc = jsonResult(r)
    assert.equal(doc.rows[0].value, costTarget(small).macs)
    assert.deepEqual(doc.rows.map((x) => [x.entry, x.field, x.verdict]), [
      ['shipped', 'maxMacs', 'pass'], ['shipped', 'maxParams', 'pass'], ['shipped', 'unsupportedOps', 'pass'], ['shipped', 'uncountedNodes', 'pass'],
      ['odd', 'maxParams', 'pass'], ['odd', 'unsupportedOps', 'fail'], ['odd', 'uncountedNodes', 'fail'],
    ])
    assert.deepEqual(doc.entries[1].unsupportedOps, ['FancyOp'])
  })

  it('spec entries: a JSON base spec relative to the budget file', () => {
    const budget = write('spec.json', {budgets: [{name: 'mine', spec: 'my-net.json', width: 0.5, resolution: 0.5, maxMacs: '100M'}]})
    const r = effscale(['check', '--budget', budget, '--json'], {cwd: '/'})
    assert.equal(r.status, 0, r.stderr)
    assert.equal(jsonResult(r).rows[0].value, costTarget(small).macs)
  })

  it('the example budgets pass with a sweep that measured efficientnet-b0', () => {
    const sweep = write('example-sweep.jsonl', JSON.stringify(sweepRow({p90_ms: 20})) + '\n')
    const r = effscale(['check', '--budget', path.join(ROOT, 'examples', 'budgets.json'), '--sweep', sweep])
    assert.equal(r.status, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /^cpu-b0\s+maxLatencyMs\s+20\.00 ms\s+50\.00 ms\s+\+60\.0%\s+pass$/m)
  })

  describe('bad input → exit 2, one line naming the entry and field', () => {
    const bad = (name: string, entry: object) => write(`${name}.json`, {budgets: [{name: 'ok', model: 'efficientnet-b0', maxMacs: '1G'}, entry]})
    it('unknown keys', () => {
      assertUsage(effscale(['check', '--budget', bad('unknown', {name: 'edge', model: 'efficientnet-b0', maxMac: '400M'})]),
        /unknown\.json:11: budgets\[1\] "edge" maxMac: unknown field — did you mean "maxMacs"\?/)
    })
    it('negative limits', () => {
      assertUsage(effscale(['check', '--budget', bad('negative', {name: 'edge', model: 'efficientnet-b0', maxParams: '-5.5M'})]),
        /budgets\[1\] "edge" maxParams: must be > 0, got "-5\.5M"$/)
    })
    it('unknown model', () => {
      assertUsage(effscale(['check', '--budget', bad('model', {name: 'edge', model: 'efficientnet-b9', maxMacs: '1G'})]),
        /budgets\[1\] "edge" model: unknown model "efficientnet-b9" — did you mean "efficientnet-b0"\?/)
    })
    it('missing ONNX file', () => {
      assertUsage(effscale(['check', '--budget', bad('no-onnx', {name: 'shipped', onnx: 'models/gone.onnx', maxMacs: '450M'})]),
        /budgets\[1\] "shipped" onnx: no such file models\/gone\.onnx/)
    })
    it('a file that is not ONNX', () => {
      assertUsage(effscale(['check', '--budget', bad('not-onnx', {name: 'shipped', onnx: 'not-onnx.onnx', maxMacs: '450M'})]),
        /budgets\[1\] "shipped" onnx: /)
    })
    it('no target', () => {
      assertUsage(effscale(['check', '--budget', bad('no-target', {name: 'lost', maxMacs: '1G'})]), /budgets\[1\] "lost": no target: give one of model, base, spec, onnx/)
    })
    it('no limits', () => {
      assertUsage(effscale(['check', '--budget', bad('no-limits', {name: 'free', model: 'efficientnet-b0'})]), /budgets\[1\] "free": no limits/)
    })
    it('a bad point', () => {
      assertUsage(effscale(['check', '--budget', bad('point', {name: 'tiny', base: 'efficientnet-b0', imageSize: 16, maxMacs: '1G'})]),
        /budgets\[1\] "tiny" base: image size 16 px is too small/)
      assertUsage(effscale(['check', '--budget', bad('phi', {name: 'mix', base: 'efficientnet-b0', phi: 1, depth: 2, maxMacs: '1G'})]),
        /budgets\[1\] "mix" base: phi\/alpha\/beta\/gamma conflict with depth/)
    })
    it('a missing spec file', () => {
      assertUsage(effscale(['check', '--budget', bad('spec', {name: 'mine', spec: 'gone.json', maxMacs: '1G'})]), /budgets\[1\] "mine" spec: no such file gone\.json/)
    })
    it('a missing or malformed budget file; a missing flag', () => {
      assertUsage(effscale(['check', '--budget', at('nope.json')]), /--budget .*nope\.json: no such file/)
      assertUsage(effscale(['check', '--budget', write('broken.yaml', 'budgets: [\n')]), /broken\.yaml: not valid YAML/)
      const r = effscale(['check'])
      assert.equal(r.status, 2)
      assert.match(r.stderr, /Missing required flag budget/)
    })
    it('under --json the error is a JSON document', () => {
      const r = effscale(['check', '--budget', at('negative.json'), '--json'])
      assert.equal(r.status, 2)
      assert.match((JSON.parse(r.stdout) as {error: string}).error, /maxParams: must be > 0/)
    })
  })
})
