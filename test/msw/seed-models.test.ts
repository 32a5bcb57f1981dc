import { describe, expect, it } from 'vitest';
import { demoRepositoryFiles } from '../../scripts/make-demo-models.js';
import { DEFAULT_MODELS } from '../../src/msw/index.js';
import { readOnnxSignature } from '../../src/msw/onnx-signature.js';

describe('DEFAULT_MODELS', () => {
  it('are the demo models of examples/models: names, descriptions, versions, signatures and sizes', () => {
    // The generator's output, in memory (test/onnx checks the committed files equal it).
    const files = demoRepositoryFiles();
    const names = [...new Set([...files.keys()].map((path) => path.split('/')[0]))].sort();
    expect(DEFAULT_MODELS.map((m) => m.name).sort()).toEqual(names);
    for (const seed of DEFAULT_MODELS) {
      const config = JSON.parse(new TextDecoder().decode(files.get(`${seed.name}/config.json`))) as {
        description: string;
        max_batch_size?: number;
        dynamic_batching?: unknown;
      };
      expect(seed.description, seed.name).toBe(config.description);
      expect(seed.maxBatchSize ?? 0, seed.name).toBe(config.max_batch_size ?? 0);
      expect(seed.dynamicBatching ?? false, seed.name).toBe(config.dynamic_batching !== undefined);
      const versions = [...files.keys()]
        .filter((p) => p.startsWith(`${seed.name}/`) && p.endsWith('/model.onnx'))
        .map((p) => p.split('/')[1]);
      expect(seed.versions.map((v, i) => v.version ?? String(i + 1))).toEqual(versions);
      seed.versions.forEach((v, i) => {
        const path = `${seed.name}/${v.version ?? String(i + 1)}/model.onnx`;
        const bytes = files.get(path)!;
        expect({ inputs: v.inputs, outputs: v.outputs }, path).toEqual(readOnnxSignature(bytes));
        expect(v.size_bytes, path).toBe(bytes.length);
      });
    }
  });
});
