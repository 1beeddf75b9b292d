import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {lower} from '../../src/arch/lower.js'
import {resolvePoint} from '../../src/arch/point.js'
import {parseBaseSpec} from '../../src/arch/user-spec.js'
import {breakdown, total} from '../../src/flops/count.js'
import {opCost} from '../../src/flops/costs.js'
import {peakActivations} from '../../src/flops/memory.js'
import {FIXTURES} from '../../src/paths.js'
import type {ConvOp, Lowered} from '../../src/arch/ops.js'

const conv = (o: Partial<ConvOp>): ConvOp => ({
  kind: 'conv', name: 'c', stage: 's', inputs: [0], output: 1,
  in: {c: 32, h: 8, w: 8}, out: {c: 64, h: 8, w: 8},
  kernel: 3, stride: 1, pad: 1, groups: 1, bias: false, bn: false, act: null, role: 'main', ...o,
})

test('conv MACs = out elements × in/groups × k²; depthwise counts groups', () => {
  assert.equal(opCost(conv({})).macs, 64 * 8 * 8 * 32 * 9)
  const dw = conv({in: {c: 32, h: 8, w: 8}, out: {c: 32, h: 8, w: 8}, groups: 32})
  assert.equal(opCost(dw).macs, 32 * 8 * 8 * 9)
  assert.equal(opCost(dw).params, 32 * 9)
})

test('BN adds 2 params per channel and no MACs; bias adds one per channel', () => {
  const plain = opCost(conv({}))
  assert.equal(opCost(conv({bn: true})).params - plain.params, 2 * 64)
  assert.equal(opCost(conv({bn: true})).macs, plain.macs)
  assert.equal(opCost(conv({bias: true})).params - plain.params, 64)
})

const tiny = parseBaseSpec(readFileSync(path.join(FIXTURES, 'specs', 'tiny-mbconv.json'), 'utf8'), 'tiny-mbconv.json')

test('a user spec lowers, and breakdowns add up to the totals', () => {
  const net = lower(tiny, resolvePoint(tiny, {}))
  const t = total(net.ops)
  for (const by of ['stage', 'op', 'layer'] as const) {
    const rows = breakdown(net, by)
    assert.equal(rows.reduce((s, r) => s + r.macs, 0), t.macs, by)
    assert.equal(rows.reduce((s, r) => s + r.params, 0), t.params, by)
  }
  assert.deepEqual(breakdown(net, 'stage').map((r) => r.key), ['stem', 'stage1', 'stage2', 'stage3', 'stage4', 'head', 'classifier'])
  assert.equal(net.tensors[net.ops.at(-1)!.output].c, 10)
})

test('peak activations keep a residual input alive across its block', () => {
  const s = {c: 10, h: 2, w: 5}
  const c = (name: string, input: number, output: number) => conv({name, inputs: [input], output, in: s, out: s, kernel: 1, pad: 0, groups: 1})
  // t0 → conv → t1 → conv → t2; add(t2, t0) → t3. While the second conv runs, t0 (read by
  // the add), t1 (its input) and t2 (its output) are alive: 3 × 100 elements.
  const net: Lowered = {
    network: 'toy',
    tensors: [s, s, s, s],
    ops: [c('a', 0, 1), c('b', 1, 2), {kind: 'add', name: 'add', stage: 's', inputs: [2, 0], output: 3, in: s, out: s}],
    stages: ['s'],
    numClasses: 10,
  }
  assert.deepEqual(peakActivations(net), {elements: 300, at: 'b'})
  // Without the residual, t0 is freed after the first conv: the peak is two tensors.
  net.ops[2] = {kind: 'add', name: 'add', stage: 's', inputs: [2, 2], output: 3, in: s, out: s}
  assert.equal(peakActivations(net).elements, 200)
})
