import { describe, expect, it } from 'vitest';
import { ModelLoadError, ModelRunError, openOnnxModel } from '../../server/inference/onnx-model.js';
import type { Tensor } from '../../src/protocol/tensor.js';
import { addModel, corruptModel, identityModel, multiIoModel } from '../support/models.js';

describe('openOnnxModel', () => {
  it('reports OIP metadata: datatype names and -1 for dynamic dimensions', async () => {
    const model = await openOnnxModel(identityModel('FP16', [-1, 'seq', 4]));
    try {
      expect(model.inputs).toEqual([{ name: 'x', datatype: 'FP16', shape: [-1, -1, 4] }]);
      expect(model.outputs).toEqual([{ name: 'y', datatype: 'FP16', shape: [-1, -1, 4] }]);
    } finally {
      await model.close();
    }
  });

  it('runs canonical tensors in and out (BOOL bytes, INT64 bigints, strings), outputs in the order asked', async () => {
    const model = await openOnnxModel(multiIoModel());
    try {
      const inputs: Tensor[] = [
        { name: 'ids', datatype: 'INT64', shape: [1, 3], data: new BigInt64Array([2n ** 62n, -1n, 0n]) },
        { name: 'mask', datatype: 'BOOL', shape: [1, 3], data: new Uint8Array([1, 0, 1]) },
        { name: 'text', datatype: 'BYTES', shape: [2], data: ['ä', ''] },
      ];
      const out = await model.run(inputs, ['text_out', 'mask_not', 'ids_plus_one']);
      expect(out).toEqual([
        { name: 'text_out', datatype: 'BYTES', shape: [2], data: ['ä', ''] },
        { name: 'mask_not', datatype: 'BOOL', shape: [1, 3], data: new Uint8Array([0, 1, 0]) },
        { name: 'ids_plus_one', datatype: 'INT64', shape: [1, 3], data: new BigInt64Array([2n ** 62n + 1n, 0n, 1n]) },
      ]);
      expect((await model.run(inputs)).map((t) => t.name)).toEqual(['ids_plus_one', 'mask_not', 'text_out', 'count']);
    } finally {
      await model.close();
    }
  });

  it('adds FP16 as raw half bits, in and out, also where the runtime has Float16Array (Node 24)', async () => {
    const model = await openOnnxModel(addModel('FP16', [2]));
    try {
      // 1.5 + 0.25 = 1.75; 2 + -3 = -1. `a` is a view at an offset, as the binary extension decodes it.
      const [y] = await model.run([
        { name: 'a', datatype: 'FP16', shape: [2], data: new Uint16Array([0xffff, 0x3e00, 0x4000]).subarray(1) },
        { name: 'b', datatype: 'FP16', shape: [2], data: new Uint16Array([0x3400, 0xc200]) },
      ]);
      expect(y?.data).toBeInstanceOf(Uint16Array);
      expect(y?.data).toEqual(new Uint16Array([0x3f00, 0xbc00]));
    } finally {
      await model.close();
    }
  });

  it("turns ONNX Runtime's failures into ModelLoadError / ModelRunError with its message", async () => {
    const err = await openOnnxModel(corruptModel()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toBe('Failed to load model because protobuf parsing failed.');
    const missing = await openOnnxModel('/nonexistent/model.onnx').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelLoadError);

    const model = await openOnnxModel(addModel('FP32', [-1, 4]));
    try {
      // Shapes the data plane would reject reach the runtime here: a and b cannot broadcast.
      const run = model.run([
        { name: 'a', datatype: 'FP32', shape: [2, 4], data: new Float32Array(8) },
        { name: 'b', datatype: 'FP32', shape: [3, 4], data: new Float32Array(12) },
      ]);
      await expect(run).rejects.toBeInstanceOf(ModelRunError);
    } finally {
      await model.close();
    }
  });
});
