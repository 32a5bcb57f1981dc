import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkModelName, checkVersion, parseVersion } from '../../server/inference/names.js';
import { ModelRepository, selectVersions } from '../../server/inference/repository.js';

let root: string;
let repo: ModelRepository;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'maas-repo-'));
  repo = new ModelRepository(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('ModelRepository', () => {
  it('discovers <repo>/<model>/<version>/model.onnx, skipping invalid names and non-numeric folders', async () => {
    for (const dir of ['a/1', 'a/3', 'a/latest', 'a/01', 'b/2', '.hidden/1', 'bad name/1'])
      mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'a', '1', 'model.onnx'), 'abc');
    writeFileSync(join(root, 'README'), 'not a model');
    const models = await repo.scan();
    expect(models.map((m) => [m.name, m.versions.map((v) => v.version)])).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
    expect(models[0]?.versions[0]).toMatchObject({ sizeBytes: 3, source: 'repository', trainingJob: null });
    expect(await repo.readModel('missing')).toBeUndefined();
  });

  it('writes a version atomically with its metadata, and refuses to overwrite one', async () => {
    const written = await repo.writeVersion('m', 1, new Uint8Array([1, 2, 3, 4]), {
      source: 'training',
      trainingJob: 'job_x',
    });
    expect(written).toMatchObject({ version: 1, sizeBytes: 4, source: 'training', trainingJob: 'job_x' });
    expect(readdirSync(join(root, 'm'))).toEqual(['1']);
    await expect(repo.writeVersion('m', 1, new Uint8Array([9]), { source: 'upload' })).rejects.toThrow();
    // The failed attempt leaves no temp folder behind.
    expect(readdirSync(join(root, 'm'))).toEqual(['1']);
    await repo.removeVersion('m', 1);
    await repo.removeVersion('m', 1);
    expect(readdirSync(join(root, 'm'))).toEqual([]);
  });

  it('keeps config.json fields when setting the description', async () => {
    mkdirSync(join(root, 'm'));
    writeFileSync(join(root, 'm', 'config.json'), JSON.stringify({ version_policy: { all: {} } }));
    await repo.writeDescription('m', 'hello');
    const { config, error } = await repo.readConfig('m');
    expect(error).toBeUndefined();
    expect(config).toMatchObject({ name: 'm', description: 'hello', version_policy: { all: {} } });
  });
});

describe('version policies and config.json', () => {
  it('selects latest N (default 1), all, or specific versions', () => {
    expect(selectVersions({ latest: { num_versions: 1 } }, [3, 1, 2])).toEqual([3]);
    expect(selectVersions({ latest: { num_versions: 2 } }, [3, 1, 2])).toEqual([2, 3]);
    expect(selectVersions({ all: {} }, [3, 1])).toEqual([1, 3]);
    expect(selectVersions({ specific: { versions: [1, 5] } }, [1, 2, 3])).toEqual([1]);
  });
});

describe('names and versions', () => {
  it('accepts only safe model names and positive integer versions', () => {
    expect(checkModelName('resnet-50_v1.2')).toBe('resnet-50_v1.2');
    for (const bad of ['', '.', '..', '../x', 'a/b', '-lead', 'a b', 'x'.repeat(129)]) {
      expect(() => checkModelName(bad)).toThrow('model: expected a model name matching');
    }
    expect(parseVersion('12')).toBe(12);
    for (const bad of ['0', '01', '-1', '1.5', '1e3', '99999999999999999']) expect(parseVersion(bad)).toBeUndefined();
    expect(() => checkVersion('x')).toThrow("version: expected a positive integer version, got 'x'");
  });
});
