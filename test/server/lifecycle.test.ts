import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { features } from '../../server/app.js';
import type { ServerFeature } from '../../server/services.js';
import { repoRoot } from '../support/cli.js';
import { identityModel, slowModel } from '../support/models.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Real sockets on 127.0.0.1:0 for everything here.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fp32Request = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] });
const slowRequest = (n: number) =>
  JSON.stringify({ inputs: [{ name: 'size', datatype: 'INT64', shape: [2], data: [n, n] }] });

describe('over real sockets', () => {
  it('echoes x-request-id, or makes one up', async () => {
    server = await startTestServer({ models: { m: identityModel('FP32', [-1, 3]) } });
    const echoed = await fetch(`${server.baseUrl}/v2/models/m`, { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${server.baseUrl}/v2/models/missing`);
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^req_[0-9a-f]{12}[0-9a-z]{6,}$/);
    expect((await made.json()).request_id).toBe(id);
  });

  it('serves the contract at /openapi.yaml', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.baseUrl}/openapi.yaml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await res.text()).toBe(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
  });

  it('requires a Bearer key everywhere except health, server metadata and the spec', async () => {
    server = await startTestServer({ apiKeys: ['k1', 'k2'], models: { m: identityModel('FP32', [-1, 3]) } });
    const base = server.baseUrl;
    for (const open of ['/v2', '/v2/health/live', '/v2/health/ready', '/openapi.yaml']) {
      expect((await fetch(base + open)).status).toBe(200);
    }
    const missing = await fetch(`${base}/v1/models`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await missing.json()).toMatchObject({
      code: 'unauthorized',
      error: 'Missing or invalid API key: send Authorization: Bearer <key>',
    });
    const wrong = await fetch(`${base}/v2/models/m/infer`, {
      method: 'POST',
      body: fp32Request,
      headers: { authorization: 'Bearer k3', 'content-type': 'application/json' },
    });
    expect([wrong.status, (await wrong.json()).code]).toEqual([401, 'unauthorized']);
    // Unknown routes do not reveal themselves without a key.
    expect((await fetch(`${base}/v9/secret`)).status).toBe(401);
    const ok = await fetch(`${base}/v2/models/m/infer`, {
      method: 'POST',
      body: fp32Request,
      headers: { authorization: 'Bearer k2', 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).outputs[0].data).toEqual([1, 2, 3]);
  });

  it('with polling on, loads versions that appear and unloads ones that vanish', async () => {
    server = await startTestServer({ models: { m: identityModel('FP32', [-1, 3]) }, settings: { pollInterval: 0.05 } });
    const { baseUrl, modelRepository } = server;
    const version2 = join(modelRepository, 'm', '2');
    mkdirSync(version2);
    writeFileSync(join(version2, 'model.onnx'), identityModel('FP32', [-1, 3]));
    await until(async () => (await (await fetch(`${baseUrl}/v2/models/m/ready`)).json()).version === '2');
    mkdirSync(join(modelRepository, 'n', '1'), { recursive: true });
    writeFileSync(join(modelRepository, 'n', '1', 'model.onnx'), identityModel('INT32', [-1]));
    await until(async () => (await fetch(`${baseUrl}/v2/models/n/ready`)).status === 200);

    rmSync(version2, { recursive: true });
    rmSync(join(modelRepository, 'n'), { recursive: true });
    await until(async () => (await (await fetch(`${baseUrl}/v2/models/m/ready`)).json()).version === '1');
    await until(async () => (await fetch(`${baseUrl}/v2/models/n`)).status === 404);
    const infer = await fetch(`${baseUrl}/v2/models/m/infer`, {
      method: 'POST',
      body: fp32Request,
      headers: { 'content-type': 'application/json' },
    });
    expect((await infer.json()).model_version).toBe('1');
  });

  it('while draining, readiness is 503 but requests are still served, with Connection: close', async () => {
    server = await startTestServer({ models: { m: identityModel('FP32', [-1, 3]) } });
    const { app } = server;
    const closing = server.server.close({ drainDelayMs: 60_000 });
    try {
      const ready = await app.inject({ method: 'GET', url: '/v2/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        code: 'unavailable',
        error: 'The server is not ready: it is shutting down',
      });
      expect((await app.inject({ method: 'GET', url: '/v2/health/live' })).json()).toEqual({ live: true });
      const served = await app.inject({ method: 'POST', url: '/v2/models/m/infer', payload: JSON.parse(fp32Request) });
      expect(served.statusCode).toBe(200);
      expect(served.headers.connection).toBe('close');
      expect(served.json().outputs[0].data).toEqual([1, 2, 3]);
    } finally {
      await server.server.close(); // no delay: ends the drain now
      await closing;
    }
  });

  it('reports not ready while it loads models, then ready', async () => {
    server = await startTestServer({ models: { m: identityModel('FP32', [-1, 3]) }, create: { waitForModels: false } });
    const early = await server.app.inject({ method: 'GET', url: '/v2/health/ready' });
    await server.server.loaded;
    const late = await server.app.inject({ method: 'GET', url: '/v2/health/ready' });
    expect([early.statusCode, early.json().error]).toEqual([503, 'The server is not ready: it is loading models']);
    expect(late.json()).toEqual({ ready: true });
  });

  it('close lets the running request finish before releasing sessions', async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const signal: ServerFeature = {
      name: 'test-signal',
      setup(app) {
        app.addHook('preHandler', async (request) => {
          if (request.url.endsWith('/infer')) arrived();
        });
      },
    };
    server = await startTestServer({ models: { slow: slowModel() }, features: [signal, ...features] });
    const n = 1500;
    const running = fetch(`${server.baseUrl}/v2/models/slow/infer`, {
      method: 'POST',
      body: slowRequest(n),
      headers: { 'content-type': 'application/json' },
    });
    await inFlight;
    const closing = server.server.close();
    expect(server.server.dataPlane.isReady()).toBe(false);
    // Soon new connections are no longer accepted (those already waiting to be accepted were answered).
    await until(async () => {
      try {
        await fetch(`${server!.baseUrl}/v2/health/live`);
        return false;
      } catch {
        return true;
      }
    });

    const res = await running;
    expect(res.status).toBe(200);
    const total = (await res.json()).outputs[0].data[0] as number;
    // float32 accumulation of n^2 products of n: close to n^3, not exact.
    expect(Math.abs(total - n ** 3) / n ** 3).toBeLessThan(0.01);
    await closing;
    expect(server.registry.getVersion('slow', 1)).toMatchObject({ state: 'UNAVAILABLE', reason: 'server shut down' });
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(await check()).toBe(true);
}

describe('close() in a script', () => {
  it('settles with nothing else keeping the process alive, a model loaded in a worker thread', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/server/scripts/close-alone.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect([run.status, run.stdout]).toEqual([0, 'closed\n']);
  });
});
