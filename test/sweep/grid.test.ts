import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {UserError} from '../../src/errors.js'
import {fileShapes, parseGridFile} from '../../src/sweep/grid-file.js'
import {buildGrid, cpuDefault, FIGURE3, gpuDefault, parseShard, shardPoints, type GridSpec} from '../../src/sweep/grid.js'
import {sweepPlan} from '../../src/sweep/options.js'

const spec = (over: Partial<GridSpec> = {}): GridSpec => ({base: 'efficientnet-b0', batches: [1], dtype: 'fp32', input: 'float32-nchw', ...over})
const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && re.test(e.message) && !e.message.includes('\n')

describe('sweep grids', () => {
  it('Figure 3: one dimension at a time, the paper values', () => {
    const g = buildGrid(spec({dims: ['width', 'depth', 'resolution']}))
    const of = (grid: string) => g.points.filter((p) => p.grid === grid)
    assert.deepEqual(of('width').map((p) => p.width), [...FIGURE3.width])
    assert.ok(of('width').every((p) => p.depth === 1 && p.imageSize === 224))
    assert.deepEqual(of('depth').map((p) => p.depth), [...FIGURE3.depth])
    assert.deepEqual(of('resolution').map((p) => p.imageSize), [224, 291, 336, 381, 426, 493, 560])
    assert.equal(g.points.length, 6 + 6 + 7)
  })

  it('Figure 4: width under four (d, r) pairs; compound φ = 0…N', () => {
    const g = buildGrid(spec({dims: ['figure4', 'compound'], phiMax: 3}))
    assert.deepEqual([...new Set(g.points.map((p) => p.grid))], ['width@d1r1', 'width@d1r1.3', 'width@d2r1', 'width@d2r1.3', 'compound'])
    const c = g.points.filter((p) => p.grid === 'compound')
    assert.deepEqual(c.map((p) => p.phi), [0, 1, 2, 3])
    assert.equal(c[2].depth, 1.44)
    assert.equal(c[2].width, 1.21)
    const d2 = g.points.filter((p) => p.grid === 'width@d2r1.3')
    assert.ok(d2.every((p) => p.depth === 2 && p.imageSize === 291))
  })

  it('crosses batches, dtype and input into stable, unique keys; gridId follows the keys', () => {
    const a = buildGrid(spec({models: ['efficientnet-b0', 'efficientnet-b3'], batches: [1, 16, 64], dtype: 'fp16', input: 'uint8-nhwc'}))
    assert.equal(a.points.length, 6)
    assert.equal(new Set(a.points.map((p) => p.key)).size, 6)
    assert.equal(a.points[0].key, 'variant|efficientnet-b0|d=1|w=1|s=224|b=1|fp16|uint8-nhwc')
    const b = buildGrid(spec({models: ['efficientnet-b0', 'efficientnet-b3'], batches: [1, 16, 64], dtype: 'fp16', input: 'uint8-nhwc'}))
    assert.equal(a.id, b.id)
    assert.notEqual(a.id, buildGrid(spec({models: ['efficientnet-b0'], batches: [1, 16, 64], dtype: 'fp16', input: 'uint8-nhwc'})).id)
  })

  it('embedded defaults: GPU = full Figure 3 + B0–B7 at batch 1 and 64; CPU = a small grid at batch 1', () => {
    const gpu = buildGrid(gpuDefault())
    assert.equal(gpu.points.length, (6 + 6 + 7 + 8) * 2)
    const cpu = buildGrid(cpuDefault())
    assert.ok(cpu.points.length <= 25 && cpu.points.every((p) => p.batch === 1 && p.imageSize <= 320))
    // docs/sweep.md: 54 and 21 points.
    assert.equal(gpu.points.length, 54)
    assert.equal(cpu.points.length, 5 + 6 + 7 + 3)
  })

  it('shards partition the grid: union = full grid, no overlap, deterministic', () => {
    const g = buildGrid(gpuDefault())
    for (const n of [1, 2, 3, 7]) {
      const parts = Array.from({length: n}, (_, i) => shardPoints(g.points, {k: i + 1, n}).map((p) => p.key))
      const all = parts.flat()
      assert.equal(all.length, g.points.length)
      assert.deepEqual(new Set(all), new Set(g.points.map((p) => p.key)))
      assert.deepEqual(parts, Array.from({length: n}, (_, i) => shardPoints(g.points, {k: i + 1, n}).map((p) => p.key)))
    }
  })

  it('bad input: one-line UserErrors naming the input', () => {
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0', '']) assert.throws(() => parseShard(bad), userError(/--shard/))
    assert.throws(() => buildGrid(spec({models: ['efficientnet-b9']})), userError(/unknown model "efficientnet-b9"/))
    assert.throws(() => buildGrid(spec({})), userError(/grid is empty/))
    assert.throws(() => buildGrid(spec({models: ['efficientnet-b0'], batches: [0]})), userError(/--batch/))
    assert.throws(() => sweepPlan({batch: '1,-4'}), userError(/--batch/))
    assert.throws(() => sweepPlan({batch: '1,,4'}), userError(/--batch/))
    assert.throws(() => sweepPlan({dims: 'width,height'}), userError(/--dims must be one of/))
    assert.throws(() => sweepPlan({runs: '0'}), userError(/--runs/))
  })
})

describe('grid files', () => {
  it('reads points, models, batches; errors name the file and the field', () => {
    const g = parseGridFile(JSON.stringify({points: [{grid: 'mine', width: 1.2, imageSize: 160}], models: ['efficientnet-b1'], batch: [2]}), 'g.json')
    const shapes = fileShapes(g, 'g.json')
    assert.deepEqual(shapes.map((s) => [s.grid, s.width, s.imageSize]), [['variant', 1, 240], ['mine', 1.2, 160]])
    const plan = sweepPlan({grid: 'g.json', gridText: JSON.stringify({dims: ['depth'], batch: [4, 8]})})
    assert.equal(buildGrid(plan.grid as GridSpec).points.length, 12)

    assert.throws(() => parseGridFile('{"points": [', 'g.json'), userError(/^--grid g\.json: not valid JSON/))
    assert.throws(() => parseGridFile('{}', 'g.json'), userError(/^--grid g\.json: the grid is empty/))
    assert.throws(() => parseGridFile('{"points": []}', 'g.json'), userError(/empty/))
    assert.throws(() => parseGridFile('{"points": [{"width": "big"}]}', 'g.json'), userError(/^--grid g\.json: points\.0\.width must be number/))
    assert.throws(() => parseGridFile('{"batch": [0], "models": ["efficientnet-b0"]}', 'g.json'), userError(/batch\.0 must be >= 1/))
    assert.throws(() => parseGridFile('{"colour": 1}', 'g.json'), userError(/unknown field "colour"/))
    assert.throws(() => parseGridFile('{"dtype": "int4", "models": ["efficientnet-b0"]}', 'g.json'), userError(/dtype must be one of fp32, fp16/))
    assert.throws(() => fileShapes(parseGridFile('{"models": ["efficientnet-b0", "efficientnet-b12"]}', 'g.json'), 'g.json'), userError(/^--grid g\.json: models\.1: unknown model "efficientnet-b12"/))
    const tooSmall = parseGridFile('{"points": [{"imageSize": 8}]}', 'g.json')
    assert.throws(() => fileShapes(tooSmall, 'g.json'), userError(/^--grid g\.json: points\.0: image size 8 px is too small/))
  })
})
