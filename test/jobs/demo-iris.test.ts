import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { IRIS_CSV, trainIrisDemo } from '../../scripts/train-demo-iris.js';

describe('scripts/train-demo-iris.ts', () => {
  it('trains the demo iris classifier deterministically, and it classifies iris', async () => {
    const [a, b] = [trainIrisDemo(), trainIrisDemo()];
    const model = a.files.get('iris_classifier/1/model.onnx')!;
    expect(Buffer.from(model).equals(Buffer.from(b.files.get('iris_classifier/1/model.onnx')!))).toBe(true);
    expect([...a.files.keys()].sort()).toEqual(['iris_classifier/1/model.onnx', 'iris_classifier/config.json']);

    const lines = readFileSync(IRIS_CSV, 'utf8').trim().split(/\r?\n/).slice(1);
    const rows = lines.map((l) => l.split(','));
    const session = await ort.InferenceSession.create(model);
    const input = new ort.Tensor(
      'float32',
      Float32Array.from(rows.flatMap((r) => r.slice(0, 4).map(Number))),
      [150, 4],
    );
    const { label } = await session.run({ input });
    await session.release();
    const predicted = Array.from(label!.data as string[]);
    const accuracy = predicted.filter((p, i) => p === rows[i]![4]).length / 150;
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
