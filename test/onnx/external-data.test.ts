/**
 * External data locations must stay inside the model's folder: absolute paths, `..` and
 * symlinks that lead out are refused (exit 2, one line naming the tensor) by `flops --onnx` and
 * `check` and `sweep --onnx`, with the same message whether the file outside exists or not (nothing leaks).
 */
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {assertUsageError, runCli} from '../helpers/cli.js'
import {assertRefusal, runMeasured} from '../helpers/measured.js'
import {DT, onnx} from '../../src/onnx/proto.js'
import {resolveInside, unsafeLocation} from '../../src/onnx/external-data.js'

const top = mkdtempSync(path.join(tmpdir(), 'effscale-extdata-'))
// The model's folder is top/model; top/secret.bin sits outside it, big enough for any tensor.
const dir = path.join(top, 'model')
mkdirSync(dir)
writeFileSync(path.join(top, 'secret.bin'), Buffer.alloc(4096))
const at = (name: string) => path.join(dir, name)

/** y = x · w, w [4, 3] float32 (48 bytes) stored at each location in turn. */
function modelWith(locations: string[]): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{domain: '', version: 17}],
    graph: {
      name: 'ext',
      node: locations.map((_, i) => ({opType: 'MatMul', input: [i === 0 ? 'x' : `y${i - 1}`, `w${i}`], output: [`y${i}`], name: `mm${i}`})),
      initializer: locations.map((location, i) => ({
        name: `w${i}`,
        dims: i === 0 ? [4, 3] : [3, 3],
        dataType: DT.FLOAT,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [{key: 'location', value: location}],
      })),
      input: [{name: 'x', type: {tensorType: {elemType: DT.FLOAT, shape: {dim: [{dimValue: 2}, {dimValue: 4}]}}}}],
      output: [{name: `y${locations.length - 1}`, type: {tensorType: {elemType: DT.FLOAT}}}],
    },
  }).finish()
}

function write(name: string, locations: string[]): string {
  writeFileSync(at(name), modelWith(locations))
  return at(name)
}

/** flops --onnx, check (an ONNX budget entry) and sweep --onnx all refuse, naming the tensor, before ONNX Runtime opens the file. */
function refusedBoth(file: string, message: RegExp): void {
  assertRefusal(runMeasured(['flops', '--onnx', file]), 2, message)
  const budget = path.join(dir, `${path.basename(file)}.budget.json`)
  writeFileSync(budget, JSON.stringify({budgets: [{name: 'b', onnx: path.basename(file), maxMacs: '1G'}]}))
  assertUsageError(['check', '--budget', budget], message)
  assertUsageError(['sweep', '--onnx', file, '--ep', 'cpu', '--out', path.join(top, 'sweep-out')], message)
}

test('location check on the text: absolute, "..", drive letters, NUL', () => {
  for (const bad of ['/etc/passwd', '../secret.bin', 'a/../../secret.bin', '..\\secret.bin', 'C:\\secret.bin', 'c:secret.bin', '\\\\host\\share\\x', 'x\0y']) {
    assert.ok(unsafeLocation(bad), bad)
  }
  for (const ok of ['w.bin', 'data/w.bin', './w.bin', 'a..b', '..w.bin']) assert.equal(unsafeLocation(ok), undefined, ok)
})

test('an absolute location is refused naming the tensor, whether the file exists or not', () => {
  const msg = /ext-abs\.onnx: tensor "w0": external data location "\/.*secret\.bin" is an absolute path; it must be a file inside the model's folder$/
  refusedBoth(write('ext-abs.onnx', [path.join(top, 'secret.bin')]), msg)
  refusedBoth(write('ext-abs.onnx', [path.join(top, 'no-such.bin')]), /tensor "w0": external data location ".*no-such\.bin" is an absolute path/)
  refusedBoth(write('ext-etc.onnx', ['/etc/passwd']), /tensor "w0": external data location "\/etc\/passwd" is an absolute path/)
})

test('a location with ".." is refused, whether the file exists or not', () => {
  refusedBoth(write('ext-up.onnx', ['../secret.bin']), /ext-up\.onnx: tensor "w0": external data location "\.\.\/secret\.bin" climbs out with "\.\."/)
  refusedBoth(write('ext-up2.onnx', ['../no-such.bin']), /tensor "w0": external data location "\.\.\/no-such\.bin" climbs out with "\.\."/)
  // ".." that would land back inside is refused as well: the rule is on the text.
  refusedBoth(write('ext-inout.onnx', ['../model/w.bin']), /climbs out with "\.\."/)
})

test('every location is checked before any file: a bad second tensor is named although the first file is missing', () => {
  refusedBoth(write('ext-order.onnx', ['missing.bin', '../secret.bin']), /tensor "w1": external data location "\.\.\/secret\.bin" climbs out/)
})

test('a symlink that leads out of the folder is refused; one that stays inside is followed', () => {
  symlinkSync(path.join(top, 'secret.bin'), at('link-out.bin'))
  refusedBoth(write('ext-link.onnx', ['link-out.bin']), /tensor "w0": external data location "link-out\.bin" leads out of the model's folder through a symlink/)
  symlinkSync('../secret.bin', at('link-rel.bin'))
  refusedBoth(write('ext-link-rel.onnx', ['link-rel.bin']), /tensor "w0": .*"link-rel\.bin" leads out of the model's folder through a symlink/)
  symlinkSync('..', at('up'))
  refusedBoth(write('ext-dirlink.onnx', ['up/secret.bin']), /tensor "w0": .*"up\/secret\.bin" leads out of the model's folder through a symlink/)
  // A dangling link out is refused the same way: its target is never stat'ed.
  symlinkSync(path.join(top, 'no-such.bin'), at('link-dangling.bin'))
  refusedBoth(write('ext-dangling.onnx', ['link-dangling.bin']), /"link-dangling\.bin" leads out of the model's folder through a symlink/)

  mkdirSync(at('data'))
  writeFileSync(at('data/w.bin'), Buffer.alloc(48))
  symlinkSync('data/w.bin', at('link-in.bin'))
  symlinkSync(at('data'), at('data-abs'))
  for (const location of ['link-in.bin', 'data-abs/w.bin', 'data/w.bin']) {
    const r = runCli(['flops', '--onnx', write('ext-in.onnx', [location]), '--json'])
    assert.equal(r.status, 0, `${location}: ${r.stderr}`)
    assert.equal(JSON.parse(r.stdout).macs, 2 * 4 * 3)
  }
})

test('resolveInside walks links inside the root and stops at a missing part', () => {
  const root = path.join(top, 'walk')
  mkdirSync(path.join(root, 'a', 'b'), {recursive: true})
  symlinkSync('a/b', path.join(root, 'ab'))
  symlinkSync('../../a', path.join(root, 'a', 'b', 'back'))
  symlinkSync('loop', path.join(root, 'loop'))
  assert.equal(resolveInside(root, 'ab/x.bin'), path.join(root, 'a', 'b', 'x.bin'))
  assert.equal(resolveInside(root, 'ab/back/b/x.bin'), path.join(root, 'a', 'b', 'x.bin'))
  assert.equal(resolveInside(root, 'no/such/x.bin'), path.join(root, 'no', 'such', 'x.bin'))
  assert.equal(resolveInside(root, 'loop'), 'escapes')
})

test('bad offset or length entries are refused naming the tensor', () => {
  writeFileSync(at('w.bin'), Buffer.alloc(48))
  const model = onnx.ModelProto.decode(modelWith(['w.bin']))
  model.graph!.initializer![0].externalData!.push({key: 'offset', value: '-8'})
  writeFileSync(at('ext-offset.onnx'), onnx.ModelProto.encode(model).finish())
  assertUsageError(['flops', '--onnx', at('ext-offset.onnx')], /tensor "w0": external data offset "-8" is not a whole number of bytes/)
})
