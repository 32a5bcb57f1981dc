import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/msw/index.js';
import { readOnnxSignature } from '../../src/msw/onnx-signature.js';

const REPOSITORY = 'examples/models';

describe('DEFAULT_MODELS', () => {
  it('are the models of examples/models: names, descriptions, versions, signatures and sizes', () => {
    const onDisk = readdirSync(REPOSITORY, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(DEFAULT_MODELS.map((m) => m.name).sort()).toEqual(onDisk);
    for (const seed of DEFAULT_MODELS) {
      const dir = join(REPOSITORY, seed.name);
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { description: string };
      expect(seed.description, seed.name).toBe(config.description);
      const versions = readdirSync(dir).filter((v) => /^\d+$/.test(v));
      expect(seed.versions.map((v, i) => v.version ?? String(i + 1))).toEqual(versions);
      seed.versions.forEach((v, i) => {
        const file = join(dir, v.version ?? String(i + 1), 'model.onnx');
        const signature = readOnnxSignature(readFileSync(file));
        expect({ inputs: v.inputs, outputs: v.outputs }, file).toEqual(signature);
        expect(v.size_bytes, file).toBe(statSync(file).size);
      });
    }
  });
});
