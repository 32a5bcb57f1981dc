// The classic Keras example as ONNX: Dense(relu) layers then Dense(softmax), Gemm per layer, seeded weights.
// The weights come back with the bytes so a test can check ONNX Runtime against a plain-JS forward pass.
import { GraphBuilder } from './builder.js';
import type { ModelOptions } from './model.js';
import { glorotUniform, mulberry32, uniform } from './seeded-random.js';

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** [inputs, outputs], row-major (Gemm with transB = 0). */
  weight: Float32Array;
  bias: Float32Array;
  activation: 'relu' | 'softmax';
}

export interface MlpOptions {
  /** Input features; default 100. */
  inputs?: number;
  /** Hidden layer widths; default [64, 64]. */
  hidden?: readonly number[];
  /** Classes; default 10. */
  outputs?: number;
  /** PRNG seed; default 42. */
  seed?: number;
  model?: ModelOptions;
}

export interface MlpFixture {
  bytes: Uint8Array;
  layers: DenseLayer[];
}

/** Biases are small and non-zero (unlike Keras' zeros) so a test also catches a dropped or misplaced bias. */
const BIAS_LIMIT = 0.1;

export function mlpLayers(options: MlpOptions = {}): DenseLayer[] {
  const widths = [options.inputs ?? 100, ...(options.hidden ?? [64, 64]), options.outputs ?? 10];
  const random = mulberry32(options.seed ?? 42);
  const layers: DenseLayer[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const inputs = widths[i]!;
    const outputs = widths[i + 1]!;
    const weight = glorotUniform(random, inputs, outputs);
    const bias = uniform(random, outputs, BIAS_LIMIT);
    layers.push({ inputs, outputs, weight, bias, activation: i + 2 === widths.length ? 'softmax' : 'relu' });
  }
  return layers;
}

/** Input `input` FP32 [-1, inputs] → output `probabilities` FP32 [-1, outputs]; the batch dimension is dynamic. */
export function mlpModel(options: MlpOptions = {}): MlpFixture {
  const layers = mlpLayers(options);
  const g = new GraphBuilder('mlp');
  let x = g.input('input', 'FP32', ['batch', layers[0]!.inputs]);
  layers.forEach((layer, i) => {
    const w = g.initializer(`dense_${i}.weight`, 'FP32', [layer.inputs, layer.outputs], layer.weight);
    const b = g.initializer(`dense_${i}.bias`, 'FP32', [layer.outputs], layer.bias);
    const z = g.node('Gemm', [x, w, b], { transB: 0 });
    x = layer.activation === 'relu' ? g.node('Relu', [z]) : g.node('Softmax', [z], { axis: -1 });
  });
  g.output(x, 'probabilities', 'FP32', ['batch', layers[layers.length - 1]!.outputs]);
  return { bytes: g.toModel(options.model), layers };
}

/** The same network in plain JS (float64 accumulation): `input` is [batch, inputs] row-major. */
export function mlpForward(layers: readonly DenseLayer[], input: ArrayLike<number>, batch: number): Float64Array {
  let x = Float64Array.from(input);
  for (const { inputs, outputs, weight, bias, activation } of layers) {
    const y = new Float64Array(batch * outputs);
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < outputs; o++) {
        let sum = bias[o]!;
        for (let k = 0; k < inputs; k++) sum += x[r * inputs + k]! * weight[k * outputs + o]!;
        y[r * outputs + o] = activation === 'relu' ? Math.max(0, sum) : sum;
      }
      if (activation === 'softmax') {
        const row = y.subarray(r * outputs, (r + 1) * outputs);
        const max = Math.max(...row);
        let total = 0;
        for (let o = 0; o < outputs; o++) total += row[o] = Math.exp(row[o]! - max);
        for (let o = 0; o < outputs; o++) row[o]! /= total;
      }
    }
    x = y;
  }
  return x;
}
