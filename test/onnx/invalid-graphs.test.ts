/**
 * Graphs no runtime can execute (fixtures/invalid-onnx, made by scripts/make-invalid-onnx.py)
 * are refused by `flops --onnx` and by `check` with exit 2 and one line naming the node, where
 * they used to be costed (exit 0, a budget passed on a cycle, negative MACs). Independent
 * evidence that each one is really invalid: onnx's own checker (verdicts.json, written by the
 * script) or ONNX Runtime refuses it too. The valid twins are still accepted and costed as
 * counted by hand.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import {FIXTURES} from '../../src/paths.js'
import {onnx} from '../../src/onnx/proto.js'
import {assertUsageError, runCli} from '../helpers/cli.js'
import {assertRefusal, runMeasured} from '../helpers/measured.js'

const DIR = path.join(FIXTURES, 'invalid-onnx')
const file = (name: string) => path.join(DIR, `${name}.onnx`)
const tmp = mkdtempSync(path.join(tmpdir(), 'effscale-invalid-'))

/** Each invalid fixture and the line effscale prints for it (after "effscale: <file>: "). */
const REFUSED: Record<string, RegExp> = {
  cycle: /node "add" \(Add\): is in a cycle: "add" → "relu" → "add"$/,
  'self-loop': /node "accumulate" \(Add\): reads its own output "y" \(a cycle\)$/,
  'duplicate-output': /node "sigmoid" \(Sigmoid\): output "y" is already the output of node "relu"$/,
  'output-shadows-input': /node "relu" \(Relu\): output "x" is already a graph input or initializer$/,
  'undefined-input': /node "add" \(Add\): input "ghost" is produced by no node, graph input or initializer$/,
  'duplicate-initializer': /initializer "w" is defined twice$/,
  'conv-channels': /node "conv" \(Conv\): weight "w" \[4,5,3,3\] expects 5 × group 1 = 5 input channels; input "x" \[1,3,8,8\] has 3$/,
  'conv-group-input': /node "dw" \(Conv\): group 4 does not divide the 6 input channels of "x"$/,
  'conv-group-output': /node "grouped" \(Conv\): group 2 does not divide the 3 output channels of weight "w"$/,
  'conv-bias': /node "conv" \(Conv\): bias "b" \[5\] must be \[4\], one per output channel$/,
  'conv-kernel-too-big': /node "conv" \(Conv\): kernel 3 is larger than the padded input 2 \(size 2\) along spatial axis 0$/,
  'maxpool-kernel-too-big': /node "pool" \(MaxPool\): kernel 5 is larger than the padded input 4 \(size 4\) along spatial axis 0$/,
  'gemm-inner': /node "fc" \(Gemm\): A "x" \[2,4\] has inner size 4; B "w" \[3,5\] has 5$/,
  'matmul-inner': /node "mm" \(MatMul\): A "x" \[2,4\] has inner size 4; B "w" \[3,5\] has 3$/,
  'negative-dim': /initializer "w" has an impossible dim \[4,-3\]/,
  'data-short': /initializer "w" holds 8 bytes of data; its dims \[4,3\] need 48$/,
  'reshape-negative': /node "reshape" \(Reshape\): output "y" would have shape \[-2,-3\]/,
  'convtranspose-negative': /node "up" \(ConvTranspose\): output "y" would have shape \[1,2,-2,-2\] \(sizes must be whole numbers ≥ 1\)$/,
  'negative-input-dim': /graph input "x" has a negative dim \[1,-3\]$/,
  'subgraph-undefined': /node "if\/then\/add" \(Add\): input "ghost" is produced by no node, graph input or initializer$/,
  'subgraph-cycle': /node "if\/then\/add" \(Add\): is in a cycle: "if\/then\/add" → "if\/then\/relu" → "if\/then\/add"$/,
}

/** Valid graphs and their MACs counted by hand: out elements × in channels × kernel area. */
const ACCEPTED: Record<string, {macs: number; params: number}> = {
  'sorted-dag': {macs: 4 * 8 * 8 * (3 * 3 * 3), params: 4 * 3 * 3 * 3},
  'unsorted-dag': {macs: 4 * 8 * 8 * (3 * 3 * 3), params: 4 * 3 * 3 * 3},
  'conv-kernel-padded': {macs: 4 * 2 * 2 * (3 * 3 * 3), params: 4 * 3 * 3 * 3},
  // The If's then-branch (a [1, 4] × [4, 4] MatMul, the larger branch) reads a value made by a node listed after the If.
  'subgraph-outer-order': {macs: 4 * 4, params: 4 * 4},
}

test('the fixtures on disk are exactly the cases tested', () => {
  const onDisk = readdirSync(DIR).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5)).sort()
  assert.deepEqual(onDisk, [...Object.keys(REFUSED), ...Object.keys(ACCEPTED)].sort())
})

for (const [name, message] of Object.entries(REFUSED)) {
  test(`${name}: flops --onnx and check refuse it, naming it in one line`, () => {
    const where = new RegExp(`^effscale: .*${name}\\.onnx: ${message.source}`)
    // Exit 2, one line, no stack, peak memory under LIMITS (time: npm run bench -- validate).
    assertRefusal(runMeasured(['flops', '--onnx', file(name)]), 2, where)
    // check: an ONNX entry with limits the graph would pass if it were costed.
    const budget = path.join(tmp, `${name}.json`)
    writeFileSync(budget, JSON.stringify({budgets: [{name: 'b', onnx: file(name), maxMacs: '1T', maxParams: '1G'}]}))
    assertUsageError(['check', '--budget', budget], new RegExp(`${name}\\.onnx: ${message.source}`))
  })
}

for (const [name, want] of Object.entries(ACCEPTED)) {
  test(`${name}: valid, accepted and costed as counted by hand`, () => {
    const r = runCli(['flops', '--onnx', file(name), '--json'])
    assert.equal(r.status, 0, r.stderr)
    const j = JSON.parse(r.stdout)
    assert.equal(j.macs, want.macs)
    assert.equal(j.params, want.params)
    const budget = path.join(tmp, `${name}.json`)
    writeFileSync(budget, JSON.stringify({budgets: [{name: 'b', onnx: file(name), maxMacs: want.macs}]}))
    assert.equal(runCli(['check', '--budget', budget]).status, 0)
  })
}

/** Open the model in ONNX Runtime and run it on zeros: undefined when it runs, else the error. */
async function ortRefusal(name: string): Promise<string | undefined> {
  ort.env.logLevel = 'fatal'
  try {
    const s = await ort.InferenceSession.create(file(name), {logSeverityLevel: 4})
    const model = onnx.ModelProto.decode(readFileSync(file(name)))
    const inits = new Set((model.graph!.initializer ?? []).map((t) => t.name))
    const feeds: Record<string, ort.Tensor> = {}
    for (const i of model.graph!.input ?? []) {
      if (inits.has(i.name)) continue
      const shape = i.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue))
      if (!shape.every((d) => d >= 1)) return `input ${i.name} [${shape}] cannot be fed`
      const n = shape.reduce((a, b) => a * b, 1)
      const bool = i.type!.tensorType!.elemType === 9
      feeds[i.name!] = bool ? new ort.Tensor('bool', new Uint8Array(n), shape) : new ort.Tensor('float32', new Float32Array(n), shape)
    }
    await s.run(feeds)
    await s.release()
    return undefined
  } catch (error) {
    return (error as Error).message.split('\n')[0]
  }
}

test('each refused graph is invalid by onnx checker or ONNX Runtime too; the valid ones run in ONNX Runtime', async () => {
  const verdicts = JSON.parse(readFileSync(path.join(DIR, 'verdicts.json'), 'utf8')) as {files: Record<string, {onnx: string[]}>}
  // A bias whose length is not the output channels breaks the spec ("B: 1-D of size M") though neither catches it.
  const specOnly = new Set(['conv-bias'])
  for (const name of Object.keys(REFUSED)) {
    const onnxSays = verdicts.files[`${name}.onnx`].onnx.some((v) => !v.endsWith(': ok'))
    const ortSays = await ortRefusal(name)
    assert.ok(onnxSays || ortSays !== undefined || specOnly.has(name), `${name}: neither onnx nor ONNX Runtime refuses it`)
  }
  for (const name of Object.keys(ACCEPTED)) assert.equal(await ortRefusal(name), undefined, name)
})
