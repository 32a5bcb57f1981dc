import type { Rng } from './rng.js';

/**
 * Weight initialisation, uniform variants (as Keras and scikit-learn use):
 * He (Kaiming) uniform, U(±sqrt(6 / fan_in)), for layers feeding a ReLU — keeps activation variance through ReLUs;
 * Glorot (Xavier) uniform, U(±sqrt(6 / (fan_in + fan_out))), for tanh, sigmoid, identity and softmax outputs.
 * Biases start at zero.
 */
export function heUniform(w: Float64Array, fanIn: number, rng: Rng): void {
  fillUniform(w, Math.sqrt(6 / fanIn), rng);
}

export function glorotUniform(w: Float64Array, fanIn: number, fanOut: number, rng: Rng): void {
  fillUniform(w, Math.sqrt(6 / (fanIn + fanOut)), rng);
}

function fillUniform(w: Float64Array, limit: number, rng: Rng): void {
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
}
