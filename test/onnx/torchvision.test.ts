/**
 * ONNX files exported from torchvision by PyTorch 2.11 (both exporters; see
 * fixtures/make-torchvision.py, large tensors' data stripped): the profiler's MACs against
 * PyTorch's own counter (torch.utils.flop_counter, FLOPs / 2), params against the initializer
 * elements the onnx package counted, and no unsupported ops. The acceptance bar is MACs within
 * 0.5%; these files give exact agreement, so exact is asserted.
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {PACKAGE_ROOT} from '../../src/paths.js'
import {profileOnnxFile} from '../../src/onnx/profile.js'

const DIR = path.join(PACKAGE_ROOT, 'test', 'onnx', 'fixtures', 'torchvision')

interface Ref {
  file: string
  image: number
  dynamicBatch: boolean
  torchMacs: number
  initializerElements: number
  opTypes: string[]
}

const refs = JSON.parse(readFileSync(path.join(DIR, 'torchvision-refs.json'), 'utf8')) as {models: Record<string, Ref>}

for (const [name, ref] of Object.entries(refs.models)) {
  test(`torchvision ${name} (${ref.opTypes.join(', ')})`, () => {
    const inputShape = ref.dynamicBatch ? [1, 3, ref.image, ref.image] : undefined
    const p = profileOnnxFile(path.join(DIR, ref.file), {inputShape})
    assert.deepEqual(p.unsupportedOps, [])
    assert.deepEqual(p.warnings, [])
    assert.equal(p.macs, ref.torchMacs)
    assert.equal(p.params, ref.initializerElements)
  })
}

test('all torchvision fixtures are there', () => {
  assert.deepEqual(Object.keys(refs.models).length, 6)
})
