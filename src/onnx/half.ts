/**
 * float32 → IEEE 754 binary16 bits, round to nearest even (Node 20 has no Float16Array).
 * Goes through the float32 bit pattern, so the input is first rounded to float32 — the same
 * value a Float32Array would hold, which is what the fp32 model stores.
 */
const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

export function halfBits(x: number): number {
  f32[0] = x
  const b = u32[0]
  const sign = (b >>> 16) & 0x8000
  const exp = (b >>> 23) & 0xff
  const mant = b & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0) // inf, or a quiet NaN
  const e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00 // too large: inf
  if (e <= 0) {
    // Subnormal half (or zero): value = m × 2^-24.
    if (e < -10) return sign
    const full = mant | 0x800000
    const shift = 14 - e
    let h = full >>> shift
    const rem = full & ((1 << shift) - 1)
    const halfway = 1 << (shift - 1)
    if (rem > halfway || (rem === halfway && h & 1)) h++
    return sign | h
  }
  let h = (e << 10) | (mant >>> 13)
  const rem = mant & 0x1fff
  // A carry out of the mantissa correctly bumps the exponent (up to inf).
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++
  return sign | h
}

/**
 * halfBits over a run of values: src[0..count) → dst[offset..offset + count). Values in the
 * normal half range take a branch-free path (rebias the exponent, then add 0xfff plus the
 * result's low bit before the shift: round to nearest even); the rest go through halfBits.
 * About 2× faster than calling halfBits per value, which matters for B7's 66 M weights.
 */
export function halfBitsInto(src: Float32Array, dst: Uint16Array, offset: number, count: number): void {
  const u = new Uint32Array(src.buffer, src.byteOffset, count)
  for (let i = 0; i < count; i++) {
    const b = u[i]
    const a = b & 0x7fffffff
    dst[offset + i] =
      a >= 0x38800000 && a < 0x477ff000 ? ((b >>> 16) & 0x8000) | ((a - 0x38000000 + 0xfff + ((a >>> 13) & 1)) >>> 13) : halfBits(src[i])
  }
}
