// Deterministic inputs, so every run (and both sides of a comparison) sends the same numbers.

/** `n` floats in [-1, 1) from a seeded generator (mulberry32). */
export function seededFloats(n: number, seed = 42): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** The OIP v2 JSON body for one FP32 input, as any client would write it. */
export function oipJsonBody(input: string, data: Float32Array, shape: readonly number[]): string {
  return JSON.stringify({ inputs: [{ name: input, datatype: 'FP32', shape, data: Array.from(data) }] });
}

/** Largest absolute difference between two equally long number sequences (Infinity when lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
