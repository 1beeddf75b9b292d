import {test} from 'node:test'
import assert from 'node:assert/strict'
import {halfBits, halfBitsInto} from '../../src/onnx/half.js'

// Reference bit patterns from the IEEE 754 binary16 definition.
test('float32 → fp16 bits: normal, extreme, subnormal and rounding cases', () => {
  const cases: Array<[number, number]> = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest finite half
    [65520, 0x7c00], // halfway to the next (2^16) rounds to even: inf
    [1e6, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // halfway to 0 rounds to even: 0
    [3 * 2 ** -26, 0x0001], // above halfway rounds up
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [1 + 2 ** -11, 0x3c00], // tie, even mantissa stays
    [1 + 3 * 2 ** -11, 0x3c02], // tie, odd mantissa rounds up
  ]
  for (const [x, bits] of cases) assert.equal(halfBits(x), bits, `halfBits(${x})`)
  assert.equal(halfBits(NaN) & 0x7c00, 0x7c00)
  assert.notEqual(halfBits(NaN) & 0x3ff, 0)
})

test('halfBitsInto equals halfBits value by value, across and beyond the normal half range', () => {
  const values = [0, -0, 1e-9, -6e-5, 2 ** -14, 2 ** -14 * (1 - 2 ** -12), 0.1, -0.3, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65504, 65519.99, 65520, -1e9, Infinity, NaN]
  let s = 1
  for (let i = 0; i < 20000; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    values.push((s / 2 ** 32 - 0.5) * 2 ** ((i % 40) - 25))
  }
  const src = Float32Array.from(values)
  const dst = new Uint16Array(src.length + 3)
  halfBitsInto(src, dst, 3, src.length)
  src.forEach((x, i) => assert.equal(dst[i + 3], halfBits(x), `value ${x}`))
})
