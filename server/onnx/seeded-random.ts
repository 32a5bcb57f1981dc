// Deterministic weights for fixtures and demo models: the same seed gives the same bytes on every machine.

/** mulberry32: a tiny 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` floats uniform in [-limit, limit). */
export function uniform(random: () => number, count: number, limit: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (random() * 2 - 1) * limit;
  return out;
}

/** Glorot (Xavier) uniform, Keras' default Dense initializer: limit = sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(random: () => number, fanIn: number, fanOut: number): Float32Array {
  return uniform(random, fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)));
}
