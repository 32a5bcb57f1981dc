import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_REPOSITORY, demoRepositoryFiles } from '../../scripts/make-demo-models.js';
import { mlpForward, mlpLayers } from '../../server/onnx/fixtures.js';
import { parseModel } from '../../server/onnx/model.js';
import { runOnce } from './ort-helpers.js';

/** Files under `dir` that git tracks (every file there when this is not a git checkout). */
function trackedFiles(dir: string): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '.'], { cwd: dir, encoding: 'utf8' });
  if (git.status === 0) return git.stdout.split('\0').filter(Boolean);
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('demo model repository (examples/models)', () => {
  it('is exactly what scripts/make-demo-models.ts generates now (run it and commit if this fails)', async () => {
    const expected = demoRepositoryFiles();
    // What git tracks there; untracked files a user added (e.g. by serving this folder) are theirs, not the demo's.
    expect(trackedFiles(DEMO_REPOSITORY).sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) {
      const committed = await readFile(join(DEMO_REPOSITORY, path));
      expect(committed.equals(Buffer.from(bytes)), `${path} differs from the generator's output`).toBe(true);
    }
  });

  it('uses the Triton layout with a config.json per model', () => {
    expect([...demoRepositoryFiles().keys()].sort()).toEqual([
      'iris_classifier/1/model.onnx',
      'iris_classifier/config.json',
      'keras_mlp/1/model.onnx',
      'keras_mlp/config.json',
      'multi_io/1/model.onnx',
      'multi_io/config.json',
    ]);
    const config = JSON.parse(new TextDecoder().decode(demoRepositoryFiles().get('keras_mlp/config.json')));
    expect(config.version_policy).toEqual({ latest: { num_versions: 1 } });
    expect(config.description).toMatch(/Keras/);
  });

  it('serves keras_mlp as the seed-42 100→64→64→10 softmax network', async () => {
    const bytes = await readFile(join(DEMO_REPOSITORY, 'keras_mlp/1/model.onnx'));
    const graph = parseModel(bytes).graph!;
    expect(graph.input!.map((i) => i.name)).toEqual(['input']);
    expect(graph.output!.map((o) => o.name)).toEqual(['probabilities']);
    const input = Float32Array.from({ length: 2 * 100 }, (_, i) => Math.sin(i));
    const out = await runOnce(bytes, { input: { datatype: 'FP32', shape: [2, 100], data: input } });
    const want = mlpForward(mlpLayers({ seed: 42 }), input, 2);
    const got = out.probabilities!.data as Float32Array;
    expect(got.length).toBe(20);
    for (let i = 0; i < 20; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5);
  });
});
