import { describe, expect, it } from 'vitest';
import { float16BitsToNumber, numberToFloat16Bits } from '../../src/protocol/index.js';

// Reference vectors from IEEE 754 binary16.
const VECTORS: [number, number][] = [
  [0, 0x0000],
  [-0, 0x8000],
  [1, 0x3c00],
  [-2, 0xc000],
  [0.5, 0x3800],
  [65504, 0x7bff], // largest finite
  [2 ** -14, 0x0400], // smallest normal (6.103515625e-5)
  [2 ** -24, 0x0001], // smallest subnormal
  [2 ** -14 - 2 ** -24, 0x03ff], // largest subnormal
  [Number.POSITIVE_INFINITY, 0x7c00],
  [Number.NEGATIVE_INFINITY, 0xfc00],
  [1 / 3, 0x3555],
];

describe('FP16 conversion', () => {
  it.each(VECTORS)('encodes %d as its binary16 bits', (x, bits) => {
    expect(numberToFloat16Bits(x)).toBe(bits);
  });

  it.each(VECTORS.filter(([x]) => x !== 1 / 3))('decodes the bits of %d exactly', (x, bits) => {
    expect(Object.is(float16BitsToNumber(bits), x)).toBe(true);
  });

  it('rounds 6.1e-5 (just below the smallest normal) to the nearest subnormal', () => {
    // 6.1e-5 / 2^-24 = 1023.41… → 1023 = 0x03ff
    expect(numberToFloat16Bits(6.1e-5)).toBe(0x03ff);
    expect(float16BitsToNumber(0x03ff)).toBeCloseTo(6.097555e-5, 10);
  });

  it('maps NaN to the quiet NaN and decodes any NaN pattern as NaN', () => {
    expect(numberToFloat16Bits(Number.NaN)).toBe(0x7e00);
    expect(float16BitsToNumber(0x7e00)).toBeNaN();
    expect(float16BitsToNumber(0x7c01)).toBeNaN();
    expect(float16BitsToNumber(0xfe00)).toBeNaN();
  });

  it('rounds ties to even', () => {
    // Between 1 (0x3c00) and 1+2^-10 (0x3c01): the midpoint goes to the even 0x3c00.
    expect(numberToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    // Between 0x3c01 and 0x3c02: the midpoint goes to the even 0x3c02.
    expect(numberToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    // Just above a midpoint rounds up.
    expect(numberToFloat16Bits(1 + 2 ** -11 + 2 ** -30)).toBe(0x3c01);
    // Subnormal midpoints: 0.5 and 1.5 units of 2^-24.
    expect(numberToFloat16Bits(2 ** -25)).toBe(0x0000);
    expect(numberToFloat16Bits(3 * 2 ** -25)).toBe(0x0002);
    // A carry out of the mantissa bumps the exponent: 2 - 2^-12 rounds to 2.
    expect(numberToFloat16Bits(2 - 2 ** -12)).toBe(0x4000);
  });

  it('overflows to infinity only from the rounding threshold 65520 on', () => {
    expect(numberToFloat16Bits(65519.99)).toBe(0x7bff);
    expect(numberToFloat16Bits(65520)).toBe(0x7c00);
    expect(numberToFloat16Bits(-65520)).toBe(0xfc00);
  });

  it('rounds directly from float64, not through float32 (no double rounding)', () => {
    // 1 + 2^-11 + 2^-40 is above the midpoint, but float32 rounding would drop 2^-40 and land on the tie.
    const x = 1 + 2 ** -11 + 2 ** -40;
    expect(Math.fround(x)).toBe(1 + 2 ** -11);
    expect(numberToFloat16Bits(x)).toBe(0x3c01);
  });

  it('round-trips every finite binary16 value', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const exp = (bits >> 10) & 0x1f;
      if (exp === 0x1f) continue;
      const back = numberToFloat16Bits(float16BitsToNumber(bits));
      if (back !== bits) throw new Error(`bits 0x${bits.toString(16)} came back as 0x${back.toString(16)}`);
    }
  });
});
