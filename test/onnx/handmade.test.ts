/**
 * Hand-made graphs (scripts/reference/make-handmade.py): MACs computed by hand here, from the
 * shapes and attributes the script writes, never by the profiler's code.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import * as ort from 'onnxruntime-node'
import {onnx} from '../../src/onnx/proto.js'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {PACKAGE_ROOT} from '../../src/paths.js'
import {profileOnnxFile} from '../../src/onnx/profile.js'
import {loadUserRules} from '../../src/onnx/user-rules.js'
import {profileOnnxFileObserved} from '../../src/onnx/observe.js'
import {runCli} from '../helpers/cli.js'

const at = (name: string) => path.join(PACKAGE_ROOT, 'test', 'onnx', 'fixtures', 'handmade', `${name}.onnx`)
const dir = mkdtempSync(path.join(tmpdir(), 'effscale-handmade-'))

const EXACT: Array<[string, number, string]> = [
  // b·h·q·k·d
  ['einsum', 2 * 4 * 8 * 10 * 16, 'Einsum bhqd,bhkd->bhqk'],
  // batch [3,1] × [4] → [3,4]; each a 5×6 by 6×7 product
  ['matmul-broadcast', 3 * 4 * 5 * 7 * 6, 'MatMul with broadcast batch dims'],
  // every input element (4·5·5) scatters to 6 out-channels × 3·3 kernel
  ['convtranspose-outpad', 4 * 5 * 5 * 6 * 9, 'ConvTranspose with output_padding'],
  // H: floor((20 + 1 + 2 − (2·2 + 1)) / 2) + 1 = 10; W: (17 + 0 + 3 − (3·2 + 1)) / 1 + 1 = 14; × 8 out × 3 in × 9
  ['conv-dilated-asym', 10 * 14 * 8 * 3 * 9, 'Conv with dilations and asymmetric pads'],
  // LayerNormalization has no MACs; then [2,5,8] × [8,4]
  ['layernorm17', 2 * 5 * 4 * 8, 'LayerNormalization (opset 17)'],
  // 3 trips of [2,4] × [4,4]
  ['loop', 3 * 2 * 4 * 4, 'Loop with a constant trip count'],
  // Conv on [1,3,8,8], pads 1: 4 × 8 × 8 outputs × 27
  ['qdq', 4 * 8 * 8 * 27, 'QDQ Conv'],
  // QLinearConv: 4 × 6 × 6 outputs × 27; QLinearMatMul [1,144] × [144,10]
  ['qlinearconv', 4 * 6 * 6 * 27 + 144 * 10, 'QLinearConv + QLinearMatMul'],
]

for (const [name, macs, what] of EXACT) {
  test(`${what}: MACs by hand`, () => {
    const p = profileOnnxFile(at(name))
    assert.deepEqual(p.unsupportedOps, [])
    assert.deepEqual(p.uncountedNodes, [])
    assert.equal(p.macs, macs)
  })
}

test('If: an unknown condition costs the larger branch and says so; a given one picks its branch', () => {
  const p = profileOnnxFile(at('if'))
  assert.equal(p.macs, 2 * (2 * 4 * 4))
  assert.match(p.warnings.join('\n'), /condition is not a constant; costed the larger branch \(then\), an upper bound/)
  assert.equal(profileOnnxFile(at('if'), {inputValues: {flag: [0]}}).macs, 2 * 4 * 4)
  assert.equal(profileOnnxFile(at('if'), {inputValues: {flag: [1]}}).macs, 2 * 2 * 4 * 4)
})

test('a custom-domain op: unsupported, downstream uncounted with its cause, a lower bound', () => {
  const p = profileOnnxFile(at('custom-op'))
  assert.deepEqual(p.unsupportedOps, ['com.example.Fancy'])
  assert.equal(p.macs, 8 * 8 * 4 * 3)
  assert.ok(p.lowerBound)
  assert.deepEqual(p.uncountedNodes.map((n) => n.opType), ['com.example.Fancy', 'Conv'])
  for (const n of p.uncountedNodes) assert.match(n.cause, /com\.example\.Fancy.*no cost rule/)
})

test('flops --onnx prints a lower bound as a lower bound; --json carries uncountedNodes', () => {
  const h = runCli(['flops', '--onnx', at('custom-op')])
  assert.equal(h.status, 0, h.stderr)
  assert.match(h.stdout, /MACs ≥ \(lower bound\)/)
  assert.match(h.stdout, /lower bound: 2 node\(s\) not counted; first cause: .*com\.example\.Fancy/)
  const j = JSON.parse(runCli(['flops', '--onnx', at('custom-op'), '--json']).stdout)
  assert.equal(j.lowerBound, true)
  assert.equal(j.uncountedNodes.length, 2)
})

test('--rules: a user rule costs the custom op, and is named in the output', () => {
  const rules = path.join(dir, 'rules.json')
  writeFileSync(rules, JSON.stringify({rules: {'com.example.Fancy': {outputs: ['in0'], macs: 'numel(in0)', otherOps: 'in0[1] * 2'}}}))
  const p = profileOnnxFile(at('custom-op'), {userRules: loadUserRules(rules)})
  // conv1 + Fancy (one MAC per element of [1,4,8,8]) + conv2 (2 × 8 × 8 outputs × 4 in)
  assert.equal(p.macs, 8 * 8 * 4 * 3 + 4 * 8 * 8 + 2 * 8 * 8 * 4)
  assert.deepEqual(p.userRules, ['com.example.Fancy'])
  assert.equal(p.lowerBound, false)
  const h = runCli(['flops', '--onnx', at('custom-op'), '--rules', rules, '--breakdown', 'node'])
  assert.equal(h.status, 0, h.stderr)
  assert.match(h.stdout, /costed by your rule file: com\.example\.Fancy/)
  assert.match(h.stdout, /com\.example\.Fancy \(rule file\)/)
})

test('--rules: bad files are one-line errors naming the file and field, exit 2', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{rules: {'com.example.Fancy': {outputs: ['in0'], macs: 'numel(in0) *'}}}, /rules\.com\.example\.Fancy\.macs: "numel\(in0\) \*": unexpected end/],
    [{rules: {'com.example.Fancy': {outputs: ['in0'], macs: 'foo[1]'}}}, /"foo" is not a tensor/],
    [{rules: {Conv: {outputs: ['in0']}}}, /rules\.Conv: Conv already has a built-in rule/],
    [{rules: {'com.example.Fancy': {outputs: 'in0'}}}, /outputs must be array/],
    [{rulez: {}}, /rules is required/],
    [{rules: {X: {outputs: ['in0'], extra: 1}}}, /unknown field "extra"/],
  ]
  cases.forEach(([body, pattern], i) => {
    const f = path.join(dir, `bad${i}.json`)
    writeFileSync(f, JSON.stringify(body))
    const r = runCli(['flops', '--onnx', at('custom-op'), '--rules', f])
    assert.equal(r.status, 2, r.stderr)
    const lines = r.stderr.trimEnd().split('\n')
    assert.equal(lines.length, 1, r.stderr)
    assert.match(lines[0], /^effscale: --rules .*bad\d\.json: /)
    assert.match(lines[0], pattern)
  })
  const r = runCli(['flops', '--onnx', at('custom-op'), '--rules', path.join(dir, 'missing.json')])
  assert.equal(r.status, 2)
  assert.match(r.stderr, /missing\.json: no such file/)
})

test('a Reshape whose target is a graph input: uncounted; --input-value resolves it', () => {
  const p = profileOnnxFile(at('reshape-from-input'))
  assert.equal(p.macs, 0)
  assert.deepEqual(p.uncountedNodes.map((n) => n.opType), ['Reshape', 'Conv'])
  const q = profileOnnxFile(at('reshape-from-input'), {inputValues: {shape: [1, 3, 32, 32]}})
  // [1,3,32,32], pads 1, 1 out-channel: 32 × 32 outputs × 27
  assert.equal(q.macs, 32 * 32 * 27)
  assert.deepEqual(q.uncountedNodes, [])
  const j = JSON.parse(runCli(['flops', '--onnx', at('reshape-from-input'), '--input-value', 'shape=1,3,32,32', '--json']).stdout)
  assert.equal(j.macs, 27648)
  for (const [args, pattern] of [
    [['--input-value', 'shape'], /--input-value shape: give NAME=NUMBER/],
    [['--input-value', 'nope=1'], /--input-value nope: .* has no input "nope" \(inputs: x, shape\)/],
    [['--input-value', 'shape=1,3'], /--input-value shape: 2 value\(s\) do not fit input "shape"/],
  ] as const) {
    const r = runCli(['flops', '--onnx', at('reshape-from-input'), ...args])
    assert.equal(r.status, 2, r.stderr)
    assert.match(r.stderr.trim(), pattern)
  }
})

test('check fails an ONNX entry with an uncounted node, saying which op; inputValues make it pass', () => {
  const budget = path.join(dir, 'budget.json')
  const entry = {name: 'reshaped', onnx: at('reshape-from-input'), maxMacs: '1G'}
  writeFileSync(budget, JSON.stringify({budgets: [entry]}))
  const r = runCli(['check', '--budget', budget, '--json'])
  assert.equal(r.status, 1, r.stderr)
  const j = JSON.parse(r.stdout)
  const rows = j.rows as Array<{field: string; verdict: string; message: string}>
  assert.equal(rows.find((x) => x.field === 'maxMacs')!.verdict, 'error')
  assert.match(rows.find((x) => x.field === 'uncountedNodes')!.message, /2 node\(s\) not counted: Reshape_0 \(Reshape\) first/)
  writeFileSync(budget, JSON.stringify({budgets: [{...entry, inputValues: {shape: [1, 3, 32, 32]}}]}))
  const ok = runCli(['check', '--budget', budget, '--json'])
  assert.equal(ok.status, 0, ok.stdout)
  const custom = path.join(dir, 'custom.json')
  writeFileSync(custom, JSON.stringify({budgets: [{onnx: at('custom-op'), maxMacs: '1G'}]}))
  const c = runCli(['check', '--budget', custom])
  assert.equal(c.status, 1)
  assert.match(c.stdout + c.stderr, /com\.example\.Fancy/)
})

test('--shapes ort: a data-dependent NonZero is observed in one run, and the MatMul after it costed', async () => {
  const p = profileOnnxFile(at('nonzero'))
  assert.deepEqual(p.uncountedNodes.map((n) => n.opType), ['NonZero', 'Transpose', 'Cast', 'MatMul'])
  const q = await profileOnnxFileObserved(at('nonzero'))
  // |x| + 1 is never zero: 1·3·4·4 = 48 rows of 4 coordinates, × [4, 8]
  assert.equal(q.macs, 48 * 8 * 4)
  assert.deepEqual(q.uncountedNodes, [])
  assert.deepEqual(q.observed!.nodes, ['NonZero_2'])
  const h = runCli(['flops', '--onnx', at('nonzero'), '--shapes', 'ort'])
  assert.equal(h.status, 0, h.stderr)
  assert.match(h.stdout, /shapes observed in one onnxruntime run \(seed 0; fed x float32\[1×3×4×4\]\): 1 node\(s\): NonZero_2/)
})

test('--shapes ort on a file onnxruntime cannot run: one line, exit 2', () => {
  const r = runCli(['flops', '--onnx', path.join(PACKAGE_ROOT, 'test', 'onnx', 'fixtures', 'torchvision', 'resnet50-legacy.onnx'), '--shapes', 'ort'])
  assert.equal(r.status, 2, r.stderr)
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr)
  assert.match(r.stderr, /^effscale: --shapes ort: onnxruntime could not run .*resnet50-legacy\.onnx/)
})

test('check: an ONNX entry with shapes "ort" is costed from the observed run; without it, it fails', () => {
  const budget = path.join(dir, 'ort.json')
  const entry = {onnx: at('nonzero'), maxMacs: 48 * 8 * 4}
  writeFileSync(budget, JSON.stringify({budgets: [{...entry, shapes: 'ort'}]}))
  const ok = runCli(['check', '--budget', budget, '--json'])
  assert.equal(ok.status, 0, ok.stdout + ok.stderr)
  assert.equal(JSON.parse(ok.stdout).rows.find((r: {field: string}) => r.field === 'maxMacs').value, 48 * 8 * 4)
  writeFileSync(budget, JSON.stringify({budgets: [entry]}))
  const bad = runCli(['check', '--budget', budget])
  assert.equal(bad.status, 1)
  assert.match(bad.stdout, /NonZero/)
})

test('Scan: the scanned axis gives the trip count; outputs stack along it', () => {
  const p = profileOnnxFile(at('scan'), {nodes: true})
  assert.deepEqual(p.uncountedNodes, [])
  // 5 steps of [1,4] × [4,4]
  assert.equal(p.macs, 5 * 4 * 4)
  assert.deepEqual(p.nodes!.at(-1)!.outShape, [1, 4])
})

test('Loop: a trip count from a graph input is data-dependent until --input-value gives it', () => {
  const p = profileOnnxFile(at('loop-dynamic'))
  assert.deepEqual(p.uncountedNodes.map((n) => n.opType), ['Loop'])
  assert.match(p.uncountedNodes[0].cause, /trip count is not a constant/)
  assert.equal(profileOnnxFile(at('loop-dynamic'), {inputValues: {M: [7]}}).macs, 7 * 2 * 4 * 4)
})

test('onnxruntime runs every hand-made graph, to the output shape the profiler infers for its last node', async () => {
  const ARRAYS: Record<number, [string, (n: number) => ort.Tensor['data']]> = {
    1: ['float32', (n) => new Float32Array(n)], 7: ['int64', (n) => new BigInt64Array(n).fill(2n)], 9: ['bool', (n) => new Uint8Array(n)],
  }
  for (const name of ['einsum', 'matmul-broadcast', 'convtranspose-outpad', 'conv-dilated-asym', 'layernorm17', 'loop', 'if', 'qdq', 'qlinearconv', 'scan', 'nonzero']) {
    const model = onnx.ModelProto.decode(readFileSync(at(name)))
    const inits = new Set((model.graph!.initializer ?? []).map((t) => t.name))
    const feeds = Object.fromEntries((model.graph!.input ?? []).filter((i) => !inits.has(i.name)).map((i) => {
      const dims = (i.type!.tensorType!.shape!.dim ?? []).map((d) => Number(d.dimValue))
      const [type, make] = ARRAYS[i.type!.tensorType!.elemType!]
      return [i.name!, new ort.Tensor(type as 'float32', make(dims.reduce((a, b) => a * b, 1)) as Float32Array, dims)]
    }))
    const session = await ort.InferenceSession.create(at(name), {logSeverityLevel: 3})
    const out = (await session.run(feeds))[session.outputNames[0]]
    const p = name === 'nonzero' ? await profileOnnxFileObserved(at(name), {nodes: true}) : profileOnnxFile(at(name), {nodes: true})
    assert.deepEqual(p.nodes!.at(-1)!.outShape, [...out.dims], name)
    await session.release()
  }
})

test('an observed shape that differs from the inferred one is said (the run checks the rules)', () => {
  const observed = {seed: 0, inputs: [], shapes: new Map([['y', {shape: [1, 8, 10, 15], dtype: 1}]])}
  const p = profileOnnxFile(at('conv-dilated-asym'), {observed})
  assert.match(p.warnings.join('\n'), /Conv_0 \(Conv\): inferred output 0 as \[1,8,10,14\] but onnxruntime gave \[1,8,10,15\]/)
  assert.equal(p.macs, 10 * 14 * 8 * 3 * 9)
})
