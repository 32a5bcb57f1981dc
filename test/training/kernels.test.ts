import { describe, expect, it } from 'vitest';
import { allocateBuffers, jsKernels, type Kernels } from '../../server/training/kernels.js';
import { Rng } from '../../server/training/rng.js';
import { train } from '../../server/training/trainer.js';
import type { TrainingSpec } from '../../server/training/types.js';
import { kernelCompileError, kernelModule } from '../../server/training/wasm/kernels.js';
import { blobs } from './synthetic.js';

const shapes = [
  [1, 1, 1],
  [2, 4, 4],
  [3, 5, 7],
  [5, 1, 9],
  [4, 6, 2],
  [7, 3, 10],
  [3, 7, 1],
  [1, 2, 3],
  [32, 64, 10],
  [33, 65, 63],
] as const;

// Every Node the package supports (>= 20) has WebAssembly SIMD, so there the kernels must compile: a module that
// does not is a failure here, not a skip. Only an older Node skips, and says so in the suite's name.
const nodeMajor = Number(process.versions.node.split('.')[0]);
const simdRequired = nodeMajor >= 20;

/** Bits of every float64 slot of the memory, to catch a write anywhere but the output. */
const snapshot = (a: Float64Array) => new Float64Array(a.buffer).slice();

function expectOnlyChanged(before: Float64Array, out: Float64Array): void {
  const all = new Float64Array(out.buffer);
  const from = out.byteOffset / 8;
  const to = from + out.length;
  for (let i = 0; i < all.length; i++) {
    if (i >= from && i < to) continue;
    if (!Object.is(all[i], before[i])) expect.fail(`slot ${i} outside the output [${from}, ${to}) was written`);
  }
}

const same = (a: Float64Array, b: Float64Array) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect.fail(`index ${i}: ${a[i]} vs ${b[i]}`);
};

describe.runIf(simdRequired)(
  `WebAssembly SIMD kernels: bit-identical to the JavaScript ones, and write nothing else${simdRequired ? '' : ` (SKIPPED: Node ${process.versions.node} < 20)`}`,
  () => {
    it(`the kernel module compiles on Node ${process.versions.node}`, () => {
      expect(kernelModule(), `the SIMD kernels did not compile: ${kernelCompileError()}`).not.toBeNull();
    });

    const rng = new Rng(17);
    const fill = (...arrays: Float64Array[]) => {
      for (const a of arrays) for (let i = 0; i < a.length; i++) a[i] = rng.float() * 2 - 1;
    };

    for (const [m, k, n] of shapes) {
      it(`m=${m} k=${k} n=${n}`, () => {
        // Odd lengths and a guard array leave gaps and neighbours that a stray lane store would hit.
        const { arrays, kernels } = allocateBuffers([m * k, k * n, n, m * n, m * n, k * n, m * k, 5], 'wasm');
        expect(kernels.name).toBe('wasm-simd');
        const [X, W, b, Y, dY, dW, dX, guard] = arrays as [
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
        ];
        fill(X, W, b, Y, dY, dW, dX, guard);
        const ref = (a: Float64Array) => a.slice();

        let before = snapshot(Y);
        const Yjs = ref(Y);
        kernels.affineForward(X, W, b, Y, m, k, n);
        jsKernels.affineForward(X, W, b, Yjs, m, k, n);
        same(Y, Yjs);
        expectOnlyChanged(before, Y);

        before = snapshot(dW);
        const dWjs = ref(dW);
        kernels.accumulateWeightGrad(X, dY, dW, m, k, n);
        jsKernels.accumulateWeightGrad(X, dY, dWjs, m, k, n);
        same(dW, dWjs);
        expectOnlyChanged(before, dW);

        before = snapshot(dX);
        const dXjs = ref(dX);
        kernels.backpropInput(dY, W, dX, m, k, n);
        jsKernels.backpropInput(dY, W, dXjs, m, k, n);
        same(dX, dXjs);
        expectOnlyChanged(before, dX);

        // ReLU on the m×n outputs, with NaN, −0 and exact zeros in the mix.
        Y[0] = Number.NaN;
        if (Y.length > 1) Y[1] = -0;
        if (Y.length > 2) Y[2] = 0;
        const Yr = ref(Y);
        before = snapshot(Y);
        kernels.relu(Y, Y.length);
        jsKernels.relu(Yr, Yr.length);
        same(Y, Yr);
        expectOnlyChanged(before, Y);

        const g = dY;
        const gjs = ref(g);
        before = snapshot(g);
        kernels.reluGrad(Y, g, g.length);
        jsKernels.reluGrad(Y, gjs, gjs.length);
        same(g, gjs);
        expectOnlyChanged(before, g);
      });
    }

    it('refuses arrays outside their memory', () => {
      const { kernels } = allocateBuffers([4], 'wasm');
      const plain = new Float64Array(4);
      expect(() => kernels.relu(plain, 4)).toThrow(/own memory/);
    });
  },
);

describe('kernel choice never changes a result', () => {
  it('training with the JavaScript kernels gives the same bits as with the default', () => {
    const data = blobs(
      2,
      40,
      [
        [0, 0, 0],
        [2, 1, 0],
        [1, 2, 2],
      ],
      ['a', 'b', 'c'],
      1,
    );
    const spec: TrainingSpec = {
      task: 'classification',
      architecture: { type: 'mlp', hidden_layers: [9, 7], activation: 'relu' },
      optimizer: { type: 'adam', learning_rate: 0.01 },
      epochs: 4,
      batch_size: 5,
      seed: 3,
    };
    const js = train(spec, data, {}, { kernels: 'js' });
    const auto = train(spec, data);
    same(auto.model!.params, js.model!.params);
    expect(auto.history.map((h) => h.train_loss)).toEqual(js.history.map((h) => h.train_loss));
  });

  it('a training run names its kernels in its first message: wasm-simd by default, js when asked', () => {
    const data = blobs(
      4,
      10,
      [
        [0, 0],
        [3, 3],
      ],
      ['a', 'b'],
    );
    const spec: TrainingSpec = { task: 'classification', architecture: { type: 'logistic' }, epochs: 1, seed: 1 };
    const first = (kernels: 'auto' | 'js') => {
      const messages: string[] = [];
      train(spec, data, { onMessage: (m) => messages.push(m) }, { kernels });
      return messages[0];
    };
    expect(first('auto')).toMatch(/^Training logistic 2 → 2 .* \(wasm-simd kernels\)$/);
    expect(first('js')).toMatch(/^Training logistic 2 → 2 .* \(js kernels\)$/);
  });

  it('the JavaScript allocation path works on its own', () => {
    const { arrays, kernels }: { arrays: Float64Array[]; kernels: Kernels } = allocateBuffers([3, 5], 'js');
    expect(kernels.name).toBe('js');
    expect(arrays.map((a) => a.length)).toEqual([3, 5]);
    expect(arrays[1]!.byteOffset % 16).toBe(0);
  });
});
