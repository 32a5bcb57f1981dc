import { activateInPlace, activationBackward } from './activations.js';
import { accumulateWeightGrad, affineForward, backpropInput } from './matrix.js';
import { instantiateKernels } from './wasm/kernels.js';

/**
 * The dense kernels a network runs on: WebAssembly SIMD where available (3–4× faster), else plain JavaScript.
 * Both compute the same bits (same summation order, no FMA), so the choice never changes a result.
 */
export interface Kernels {
  readonly name: 'wasm-simd' | 'js';
  affineForward(
    X: Float64Array,
    W: Float64Array,
    b: Float64Array,
    Y: Float64Array,
    m: number,
    k: number,
    n: number,
  ): void;
  accumulateWeightGrad(X: Float64Array, dY: Float64Array, dW: Float64Array, m: number, k: number, n: number): void;
  backpropInput(dY: Float64Array, W: Float64Array, dX: Float64Array, m: number, k: number, n: number): void;
  /** ReLU in place on the first len values. */
  relu(a: Float64Array, len: number): void;
  /** g ← g ⊙ relu′, from the ReLU's outputs y. */
  reluGrad(y: Float64Array, g: Float64Array, len: number): void;
}

/** 'auto' = wasm-simd when the runtime has it; 'js' forces the JavaScript kernels; 'wasm' insists on SIMD. */
export type KernelChoice = 'auto' | 'wasm' | 'js';

export const jsKernels: Kernels = {
  name: 'js',
  affineForward,
  accumulateWeightGrad,
  backpropInput,
  relu: (a, len) => activateInPlace('relu', a, len),
  reluGrad: (y, g, len) => activationBackward('relu', y, g, len),
};

/** Bytes of slack after the last array: the SIMD kernels may read (never write) up to 16 bytes past an array. */
const TAIL_BYTES = 32;
/** Beyond this, stay in plain memory (wasm32 memories top out at 4 GiB, and V8 may refuse less). */
const MAX_WASM_BYTES = 1 << 30;
const PAGE = 65536;

/**
 * Float64 buffers of the given lengths, carved from one allocation with every start 16-byte aligned. With SIMD
 * kernels the allocation is the kernels' WebAssembly memory (which never grows, so the views stay valid), and the
 * kernels accept only arrays that live in it.
 */
export function allocateBuffers(
  lengths: readonly number[],
  choice: KernelChoice = 'auto',
): {
  arrays: Float64Array[];
  kernels: Kernels;
} {
  const offsets: number[] = [];
  let total = 0;
  for (const len of lengths) {
    offsets.push(total);
    total += len + (len % 2); // keep the next start 16-byte aligned
  }
  const bytes = total * 8 + TAIL_BYTES;
  let buffer: ArrayBuffer | null = null;
  let kernels: Kernels = jsKernels;
  if (choice !== 'js' && bytes <= MAX_WASM_BYTES) {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
    const exports = instantiateKernels(memory);
    if (exports) {
      buffer = memory.buffer;
      kernels = wasmKernels(memory.buffer, exports);
    }
  }
  if (!buffer) {
    if (choice === 'wasm') throw new Error('WebAssembly SIMD kernels are not available in this runtime');
    buffer = new ArrayBuffer(bytes);
  }
  const arrays = lengths.map((len, i) => new Float64Array(buffer, offsets[i]! * 8, len));
  return { arrays, kernels };
}

function wasmKernels(buffer: ArrayBuffer, k: NonNullable<ReturnType<typeof instantiateKernels>>): Kernels {
  const at = (a: Float64Array): number => {
    if (a.buffer !== buffer) throw new Error('SIMD kernels need arrays allocated in their own memory');
    return a.byteOffset;
  };
  return {
    name: 'wasm-simd',
    affineForward: (X, W, b, Y, m, kk, n) => k.affine(at(X), at(W), at(b), at(Y), m, kk, n),
    accumulateWeightGrad: (X, dY, dW, m, kk, n) => k.weight_grad(at(X), at(dY), at(dW), m, kk, n),
    backpropInput: (dY, W, dX, m, kk, n) => k.input_grad(at(dY), at(W), at(dX), m, kk, n),
    relu: (a, len) => k.relu(at(a), len),
    reluGrad: (y, g, len) => k.relu_grad(at(y), at(g), len),
  };
}
