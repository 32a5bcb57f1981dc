import { readFileSync } from 'node:fs';
import { Agent, type Dispatcher, MockAgent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MaasClient, VERSION } from '../../src/index.js';
import { createTransport } from '../../src/internal/transport.js';
import { type MockServer, sendJson, startMockServer } from './support/mock-server.js';

const META = { name: 'maas', version: '1', extensions: [] };

describe('client options', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server?.close();
    server = undefined;
  });

  it('keeps VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it('defaults to http://127.0.0.1:8000, 60 s and 2 retries', () => {
    vi.stubEnv('MAAS_BASE_URL', '');
    const client = new MaasClient();
    expect(client.baseUrl).toBe('http://127.0.0.1:8000');
    expect(client.timeout).toBe(60_000);
    expect(client.maxRetries).toBe(2);
  });

  it('falls back to MAAS_BASE_URL and MAAS_API_KEY', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 200, META));
    vi.stubEnv('MAAS_BASE_URL', `${server.baseUrl}/`);
    vi.stubEnv('MAAS_API_KEY', 'env-key');
    const client = new MaasClient();
    expect(client.baseUrl).toBe(server.baseUrl);
    await client.server.metadata();
    expect(server.requests[0]!.headers.authorization).toBe('Bearer env-key');
    await new MaasClient({ apiKey: null }).server.metadata();
    expect(server.requests[1]!.headers.authorization).toBeUndefined();
    await new MaasClient({ apiKey: 'explicit' }).server.metadata();
    expect(server.requests[2]!.headers.authorization).toBe('Bearer explicit');
  });

  it('rejects a relative base URL', () => {
    expect(() => new MaasClient({ baseUrl: 'localhost:8000/x' })).toThrow(/baseUrl/);
  });

  it('sends identification, default and per-call headers; null removes one', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 200, META, { 'x-request-id': 'srv-42' }));
    const client = new MaasClient({ baseUrl: server.baseUrl, defaultHeaders: { 'x-team': 'ml', 'x-drop': 'me' } });
    const { data, response } = await client.server
      .metadata({ headers: { 'x-request-id': 'mine', 'x-drop': null } })
      .withResponse();
    expect(data).toEqual(META);
    expect(response).toMatchObject({ status: 200, requestId: 'srv-42' });
    const headers = server.requests[0]!.headers;
    expect(headers['x-maas-client']).toBe(`maas-js/${VERSION}`);
    expect(headers['user-agent']).toBe(`maas-js/${VERSION}`);
    expect(headers['x-team']).toBe('ml');
    expect(headers['x-request-id']).toBe('mine');
    expect(headers['x-drop']).toBeUndefined();
    expect(headers.accept).toBe('application/json');
  });

  it('keeps a base URL path prefix and percent-encodes path parameters', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 200, {}));
    const client = new MaasClient({ baseUrl: `${server.baseUrl}/maas/` });
    await client.datasets.retrieve('ds_a/b?c');
    expect(server.requests[0]!.url).toBe('/maas/v1/datasets/ds_a%2Fb%3Fc');
  });

  it('withOptions derives a client that shares the pool and overrides options', async () => {
    server = await startMockServer((req, res) => {
      if (req.headers['x-slow']) return; // never answers
      sendJson(res, 200, META);
    });
    const base = new MaasClient({ baseUrl: server.baseUrl, defaultHeaders: { 'x-a': '1' } });
    const derived = base.withOptions({ timeout: 50, maxRetries: 0, defaultHeaders: { 'x-slow': '1' } });
    expect(derived.timeout).toBe(50);
    expect(derived.baseUrl).toBe(base.baseUrl);
    await expect(derived.server.metadata()).rejects.toThrow(/timed out/);
    await expect(base.server.metadata()).resolves.toEqual(META);
    expect(base.timeout).toBe(60_000);
  });

  it('uses undici in Node by default and fetch when given', () => {
    expect(createTransport({}).kind).toBe('undici');
    expect(createTransport({ fetch: globalThis.fetch }).kind).toBe('fetch');
  });

  it('looks up globalThis.fetch at call time (msw patches it after construction)', async () => {
    const client = new MaasClient({ baseUrl: 'http://maas.test', fetch: globalThis.fetch });
    const original = globalThis.fetch;
    const seen: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response(JSON.stringify(META), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    try {
      await expect(client.server.metadata()).resolves.toEqual(META);
    } finally {
      globalThis.fetch = original;
    }
    expect(seen).toEqual(['http://maas.test/v2']);
  });

  it('uses an injected dispatcher (undici MockAgent)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('http://mock.test')
      .intercept({ path: '/v1/models/iris', method: 'GET' })
      .reply(200, { object: 'model', name: 'iris', versions: [] }, { headers: { 'x-request-id': 'mock-1' } });
    const client = new MaasClient({ baseUrl: 'http://mock.test', dispatcher: agent });
    const { data, response } = await client.models.retrieve('iris').withResponse();
    expect(data.name).toBe('iris');
    expect(response.requestId).toBe('mock-1');
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('sets undici headersTimeout and bodyTimeout from the client timeout', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 200, META));
    const seen: { headersTimeout?: number | null; bodyTimeout?: number | null }[] = [];
    class RecordingAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        seen.push({ headersTimeout: options.headersTimeout, bodyTimeout: options.bodyTimeout });
        return super.dispatch(options, handler);
      }
    }
    const agent = new RecordingAgent();
    const client = new MaasClient({ baseUrl: server.baseUrl, dispatcher: agent, timeout: 600_000 });
    await client.server.metadata();
    await client.server.metadata({ timeout: 5_000 });
    // Never undici's 300 s default: the client's timeout (plus a margin so the SDK's own timer decides).
    expect(seen).toEqual([
      { headersTimeout: 601_000, bodyTimeout: 601_000 },
      { headersTimeout: 6_000, bodyTimeout: 6_000 },
    ]);
    await agent.close();
  });

  it('close() releases the owned keep-alive agent', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 200, META));
    const client = new MaasClient({ baseUrl: server.baseUrl });
    await client.server.metadata();
    await client.close();
    // A closed agent is replaced lazily on the next call.
    await expect(client.server.metadata()).resolves.toEqual(META);
    await client.close();
  });
});
