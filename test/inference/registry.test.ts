import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaasServerError } from '../../server/errors.js';
import { ModelLoadError, type OnnxModel } from '../../server/inference/onnx-model.js';
import { ModelRegistry } from '../../server/inference/registry.js';
import { ModelRepository } from '../../server/inference/repository.js';
import type { Tensor } from '../../src/protocol/tensor.js';

// A stand-in session so the registry's bookkeeping (states, leases, policies) is tested without ONNX Runtime:
// a file saying "corrupt" fails to load; every run waits until the test lets it finish.
interface FakeModel extends OnnxModel {
  closed: boolean;
  label: string;
}
let opened: FakeModel[] = [];
let gate: Promise<void> = Promise.resolve();

async function fakeOpen(source: string | Uint8Array): Promise<OnnxModel> {
  const text = typeof source === 'string' ? readFileSync(source, 'utf8') : Buffer.from(source).toString('utf8');
  if (text.startsWith('corrupt')) throw new ModelLoadError('Failed to load model because protobuf parsing failed.');
  const model: FakeModel = {
    label: text,
    closed: false,
    inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
    outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
    async run(inputs: readonly Tensor[]) {
      await gate;
      return inputs.map((t) => ({ ...t, name: 'y' }));
    },
    async close() {
      model.closed = true;
    },
  };
  opened.push(model);
  return model;
}

let root: string;
let registry: ModelRegistry;

function place(model: string, version: number, content = `${model}@${version}`): void {
  mkdirSync(join(root, model, String(version)), { recursive: true });
  writeFileSync(join(root, model, String(version), 'model.onnx'), content);
}

function states(name: string): Record<number, string> {
  const out: Record<number, string> = {};
  for (const v of registry.getModel(name)?.versions ?? []) out[v.version] = v.state;
  return out;
}

async function expectError(
  promise: Promise<unknown> | (() => unknown),
  status: number,
  code: string,
  message?: string,
) {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(MaasServerError);
  const e = caught as MaasServerError;
  expect([e.status, e.code]).toEqual([status, code]);
  if (message) expect(e.message).toContain(message);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'maas-registry-'));
  opened = [];
  gate = Promise.resolve();
  registry = new ModelRegistry({ repository: new ModelRepository(root), openModel: fakeOpen });
});
afterEach(async () => {
  await registry.close(100);
  rmSync(root, { recursive: true, force: true });
});

describe('ModelRegistry', () => {
  it('loads the latest version by default and reports the others as not selected', async () => {
    place('m', 1);
    place('m', 2);
    await registry.refresh();
    expect(states('m')).toEqual({ 1: 'UNAVAILABLE', 2: 'READY' });
    expect(registry.getVersion('m', 1)?.reason).toBe('not selected by the version policy (latest 1)');
    expect(registry.getModel('m')?.defaultVersion).toBe(2);
    const lease = registry.acquire('m');
    expect(lease.version).toBe(2);
    expect((lease.model as FakeModel).label).toBe('m@2');
    lease.release();
  });

  it('follows config.json version policies and description', async () => {
    for (const v of [1, 2, 3]) place('m', v);
    writeFileSync(
      join(root, 'm', 'config.json'),
      JSON.stringify({ description: 'demo', version_policy: { specific: { versions: [1, 3] } } }),
    );
    await registry.refresh();
    expect(states('m')).toEqual({ 1: 'READY', 2: 'UNAVAILABLE', 3: 'READY' });
    expect(registry.getModel('m')?.description).toBe('demo');

    writeFileSync(join(root, 'm', 'config.json'), JSON.stringify({ version_policy: { all: {} } }));
    await registry.refresh();
    expect(states('m')).toEqual({ 1: 'READY', 2: 'READY', 3: 'READY' });

    writeFileSync(join(root, 'm', 'config.json'), JSON.stringify({ version_policy: { latest: { num_versions: 2 } } }));
    await registry.refresh();
    expect(states('m')).toEqual({ 1: 'UNAVAILABLE', 2: 'READY', 3: 'READY' });
    expect(opened.find((m) => m.label === 'm@1')?.closed).toBe(true);
  });

  it('reports an unusable config.json as the reason on every version', async () => {
    place('m', 1);
    writeFileSync(join(root, 'm', 'config.json'), JSON.stringify({ version_policy: { newest: {} } }));
    await registry.refresh();
    expect(registry.getVersion('m', 1)).toMatchObject({
      state: 'UNAVAILABLE',
      reason: "config.json: version_policy: unknown kind 'newest'; expected latest, all or specific",
    });
  });

  it('isolates a model that fails to load: UNAVAILABLE with the runtime message, others serve', async () => {
    place('good', 1);
    place('bad', 1, 'corrupt');
    await registry.refresh();
    expect(registry.getVersion('bad', 1)).toMatchObject({
      state: 'UNAVAILABLE',
      reason: 'Failed to load model because protobuf parsing failed.',
    });
    expect(states('good')).toEqual({ 1: 'READY' });
    await expectError(
      () => registry.acquire('bad'),
      503,
      'model_not_ready',
      "Model 'bad' is not ready (state UNAVAILABLE): Failed to load model",
    );
    await expectError(() => registry.acquire('bad', 1), 503, 'model_not_ready', "Model 'bad' version 1 is not ready");
    await expectError(() => registry.acquire('nope'), 404, 'model_not_found', "Model 'nope' not found");
    await expectError(() => registry.acquire('good', 7), 404, 'version_not_found', "Model 'good' has no version 7");
  });

  it('an explicit load retries a failed version once the file is fixed; a missing model is 404', async () => {
    place('m', 1, 'corrupt');
    await registry.refresh();
    await expectError(registry.loadModel('m'), 422, 'model_invalid', 'version 1: Failed to load model');
    place('m', 1, 'fixed');
    expect(await registry.loadModel('m')).toEqual([1]);
    await expectError(registry.loadModel('ghost'), 404, 'model_not_found');
  });

  it('unload waits for running requests before releasing the session, and polling leaves it unloaded', async () => {
    place('m', 1);
    await registry.refresh();
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const lease = registry.acquire('m');
    const running = lease.model.run([{ name: 'x', datatype: 'FP32', shape: [1, 2], data: new Float32Array([1, 2]) }]);
    const unloading = registry.unloadModel('m');
    await new Promise((r) => setTimeout(r, 20));
    expect(states('m')).toEqual({ 1: 'UNLOADING' });
    expect(opened[0]?.closed).toBe(false);
    await expectError(() => registry.acquire('m'), 503, 'model_not_ready');
    open();
    const out = await running;
    lease.release();
    await unloading;
    expect(out[0]?.data).toEqual(new Float32Array([1, 2]));
    expect(opened[0]?.closed).toBe(true);
    expect(registry.getVersion('m', 1)).toMatchObject({ state: 'UNAVAILABLE', reason: 'unloaded' });
    await registry.refresh();
    expect(states('m')).toEqual({ 1: 'UNAVAILABLE' });
    expect(await registry.loadModel('m')).toEqual([1]);
  });

  it('refresh picks up new versions and models, and drops vanished ones', async () => {
    place('a', 1);
    await registry.refresh();
    place('a', 2);
    place('b', 1);
    await registry.refresh();
    expect(states('a')).toEqual({ 1: 'UNAVAILABLE', 2: 'READY' });
    expect(states('b')).toEqual({ 1: 'READY' });
    rmSync(join(root, 'a', '2'), { recursive: true });
    rmSync(join(root, 'b'), { recursive: true });
    await registry.refresh();
    expect(states('a')).toEqual({ 1: 'READY' });
    expect(registry.has('b')).toBe(false);
  });

  it('addVersion validates first, writes atomically as the next version and serves it', async () => {
    place('m', 1);
    await registry.refresh();
    expect(await registry.nextVersionNumber('m')).toBe(2);
    await expectError(
      registry.addVersion('m', Buffer.from('corrupt bytes'), { source: 'upload' }),
      422,
      'model_invalid',
      'protobuf parsing failed',
    );
    expect((await readdir(join(root, 'm'))).sort()).toEqual(['1']);

    const status = await registry.addVersion('m', Buffer.from('trained'), {
      source: 'training',
      trainingJob: 'job_1',
      description: 'v2',
    });
    expect(status).toMatchObject({
      name: 'm',
      version: 2,
      state: 'READY',
      source: 'training',
      trainingJob: 'job_1',
      sizeBytes: 7,
    });
    expect((await readdir(join(root, 'm'))).sort()).toEqual(['1', '2', 'config.json']);
    expect(readFileSync(join(root, 'm', '2', 'model.onnx'), 'utf8')).toBe('trained');
    expect(registry.getModel('m')?.description).toBe('v2');
    expect(states('m')).toEqual({ 1: 'UNAVAILABLE', 2: 'READY' });

    // A new model starts at version 1.
    expect((await registry.addVersion('fresh', Buffer.from('x'), { source: 'upload' })).version).toBe(1);
  });

  it('concurrent addVersion calls get distinct versions', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((i) => registry.addVersion('m', Buffer.from(`m${i}`), { source: 'upload' })),
    );
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3]);
  });

  it('deleteVersion unloads, removes the folder and re-applies the policy', async () => {
    place('m', 1);
    place('m', 2);
    await registry.refresh();
    await registry.deleteVersion('m', 2);
    expect(states('m')).toEqual({ 1: 'READY' });
    expect(await readdir(join(root, 'm'))).toEqual(['1']);
    await expectError(registry.deleteVersion('m', 2), 404, 'version_not_found');
    await expectError(registry.deleteVersion('zz', 1), 404, 'model_not_found');
  });

  it('index lists every version on disk, including ones not loaded yet', async () => {
    place('a', 1);
    await registry.refresh();
    place('b', 3);
    expect(await registry.index()).toEqual([
      { name: 'a', version: 1, state: 'READY', reason: '' },
      { name: 'b', version: 3, state: 'UNAVAILABLE', reason: 'not loaded yet: load the model or turn polling on' },
    ]);
  });

  it('polling loads and unloads without a restart', async () => {
    registry.startPolling(20);
    place('p', 1);
    await waitFor(() => registry.getVersion('p', 1)?.state === 'READY');
    rmSync(join(root, 'p'), { recursive: true });
    await waitFor(() => !registry.has('p'));
    registry.stopPolling();
  });

  it('rejects names that could escape the repository', async () => {
    await expectError(registry.addVersion('../etc', Buffer.from('x'), { source: 'upload' }), 400, 'invalid_parameter');
    await expectError(registry.loadModel('.hidden'), 400, 'invalid_parameter');
  });
});

describe('ModelRegistry hooks', () => {
  it('serves what `loaded` returns, passes the version and config, and fails the version when a hook throws', async () => {
    place('m', 1);
    place('bad', 1);
    writeFileSync(join(root, 'm', 'config.json'), JSON.stringify({ description: 'wrapped' }));
    const seen: string[] = [];
    registry.addHooks({
      loaded(model, context) {
        seen.push(`${context.name}@${context.version}:${context.config.description}`);
        if (context.name === 'bad') throw new Error('warmup failed: input x: expected FP32');
        return {
          ...model,
          run: async () => [{ name: 'y', datatype: 'FP32', shape: [1], data: new Float32Array([7]) }],
        };
      },
    });
    await registry.refresh();
    expect(seen).toEqual(['bad@1:', 'm@1:wrapped']);
    expect(registry.getVersion('bad', 1)).toMatchObject({
      state: 'UNAVAILABLE',
      reason: 'warmup failed: input x: expected FP32',
    });
    // The session of the version that failed its hook was closed.
    expect(opened.find((m) => m.label === 'bad@1')?.closed).toBe(true);
    const lease = registry.acquire('m');
    expect((await lease.model.run([]))[0]?.data).toEqual(new Float32Array([7]));
    lease.release();
  });

  it('runs the loaded hooks on an upload too, and a throw there is a 422 with nothing written', async () => {
    registry.addHooks({
      loaded(model) {
        if ((model as FakeModel).label === 'second') throw new Error('warmup failed');
        return model;
      },
    });
    await registry.addVersion('u', Buffer.from('first'), { source: 'upload' });
    await expectError(
      registry.addVersion('u', Buffer.from('second'), { source: 'upload' }),
      422,
      'model_invalid',
      'The model loaded but is not ready to serve: warmup failed',
    );
    expect(await readdir(join(root, 'u'))).toEqual(['1']);
    expect(opened.find((m) => m.label === 'second')?.closed).toBe(true);
  });

  it('tells `unloading` before waiting for the requests in flight', async () => {
    place('m', 1);
    await registry.refresh();
    const events: string[] = [];
    registry.addHooks({ unloading: (context, reason) => events.push(`unloading ${context.version}: ${reason}`) });
    let release!: () => void;
    gate = new Promise((r) => {
      release = r;
    });
    const lease = registry.acquire('m');
    const running = lease.model.run([]).then(() => {
      events.push('run finished');
      lease.release();
    });
    const unloaded = registry.unloadModel('m').then(() => events.push('unloaded'));
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['unloading 1: unloaded']);
    release();
    await Promise.all([running, unloaded]);
    expect(events).toEqual(['unloading 1: unloaded', 'run finished', 'unloaded']);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
