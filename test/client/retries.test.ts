import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  BadRequestError,
  InvalidResponseError,
  MaasClient,
  RateLimitError,
  ServiceUnavailableError,
} from '../../src/index.js';
import {
  errorBody,
  type MockServer,
  recordingSleep,
  sendJson,
  startMockServer,
  TRANSPORTS,
} from './support/mock-server.js';

const JOB_BODY = {
  model: 'm',
  dataset: 'ds_1',
  task: 'classification' as const,
  target: 'y',
  architecture: { type: 'logistic' as const },
  optimizer: { type: 'sgd' as const, learning_rate: 0.1 },
  epochs: 1,
};

describe.each(TRANSPORTS)('retries and timeouts over %s', (_name, transport) => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function client(baseUrl: string, extra: ConstructorParameters<typeof MaasClient>[0] = {}) {
    const sleeper = recordingSleep();
    const c = new MaasClient({ baseUrl, sleep: sleeper.sleep, ...transport, ...extra });
    return { client: c, delays: sleeper.delays };
  }

  it('retries a 503 and then succeeds, with full-jitter delays below the base', async () => {
    let calls = 0;
    server = await startMockServer((_req, res) => {
      calls++;
      if (calls < 3) sendJson(res, 503, errorBody(503, 'overloaded'));
      else sendJson(res, 200, { name: 'maas', version: '1', extensions: [] });
    });
    const { client: c, delays } = client(server.baseUrl, { backoff: { random: () => 0.999 } });
    const meta = await c.server.metadata();
    expect(meta.name).toBe('maas');
    expect(server.requests).toHaveLength(3);
    // Ceilings 500 ms then 1000 ms (base 0.5 s doubling), jitter uniform below them.
    expect(delays).toEqual([499, 999]);
  });

  it('gives up after maxRetries and throws the exact error with code and request id', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 503, errorBody(503, 'model_not_ready')));
    const { client: c, delays } = client(server.baseUrl, { maxRetries: 3 });
    const err = await c.models.retrieve('m').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err).toMatchObject({ status: 503, code: 'model_not_ready', requestId: 'req_test' });
    expect(server.requests).toHaveLength(4);
    expect(delays).toHaveLength(3);
    const ceilings = [500, 1000, 2000];
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(ceilings[i]!);
    });
  });

  it('caps computed delays at 8 s', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 502, errorBody(502, 'internal')));
    const { client: c, delays } = client(server.baseUrl, { maxRetries: 6, backoff: { random: () => 0.999 } });
    await expect(c.server.metadata()).rejects.toMatchObject({ status: 502 });
    expect(delays).toEqual([499, 999, 1998, 3996, 7992, 7992]);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    let calls = 0;
    server = await startMockServer((_req, res) => {
      if (++calls === 1) sendJson(res, 429, errorBody(429, 'rate_limited'), { 'retry-after': '2' });
      else sendJson(res, 200, { name: 'maas', version: '1', extensions: [] });
    });
    const { client: c, delays } = client(server.baseUrl);
    await c.server.metadata();
    expect(delays).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    let calls = 0;
    server = await startMockServer((_req, res) => {
      const when = new Date(Date.now() + 5_000).toUTCString();
      if (++calls === 1) sendJson(res, 429, errorBody(429, 'rate_limited'), { 'retry-after': when });
      else sendJson(res, 200, { name: 'maas', version: '1', extensions: [] });
    });
    const { client: c, delays } = client(server.baseUrl);
    await c.server.metadata();
    expect(delays).toHaveLength(1);
    // The date has one-second resolution: between 3 s and 5 s from now.
    expect(delays[0]).toBeGreaterThan(3_000);
    expect(delays[0]).toBeLessThanOrEqual(5_000);
  });

  it('ignores a Retry-After beyond 60 s and falls back to its own backoff', async () => {
    let calls = 0;
    server = await startMockServer((_req, res) => {
      if (++calls === 1) sendJson(res, 429, errorBody(429, 'rate_limited'), { 'retry-after': '3600' });
      else sendJson(res, 200, { name: 'maas', version: '1', extensions: [] });
    });
    const { client: c, delays } = client(server.baseUrl);
    await c.server.metadata();
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeLessThan(500);
  });

  it('throws RateLimitError when 429 persists', async () => {
    server = await startMockServer((_req, res) =>
      sendJson(res, 429, errorBody(429, 'rate_limited'), { 'retry-after': '0' }),
    );
    const { client: c, delays } = client(server.baseUrl, { maxRetries: 1 });
    const err = await c.server.metadata().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).code).toBe('rate_limited');
    expect(delays).toEqual([0]);
  });

  it('does not retry a 400', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 400, errorBody(400, 'invalid_input')));
    const { client: c, delays } = client(server.baseUrl);
    const err = await c.models.retrieve('m').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([408, 500, 502, 504])('retries a %i', async (status) => {
    let calls = 0;
    server = await startMockServer((_req, res) => {
      if (++calls === 1) sendJson(res, status, errorBody(status, 'internal'));
      else sendJson(res, 200, { name: 'maas', version: '1', extensions: [] });
    });
    const { client: c } = client(server.baseUrl);
    await expect(c.server.metadata()).resolves.toMatchObject({ name: 'maas' });
    expect(server.requests).toHaveLength(2);
  });

  it('retries a connection reset, then succeeds', async () => {
    let calls = 0;
    server = await startMockServer((_req, res) => {
      if (++calls === 1) res.socket?.destroy();
      else sendJson(res, 200, { name: 'maas', version: '1', extensions: [] });
    });
    const { client: c, delays } = client(server.baseUrl);
    await expect(c.server.metadata()).resolves.toMatchObject({ name: 'maas' });
    expect(server.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it('throws APIConnectionError when the server is unreachable, after every retry', async () => {
    const probe = await startMockServer(() => {});
    const deadUrl = probe.baseUrl;
    await probe.close();
    const { client: c, delays } = client(deadUrl, { maxRetries: 2 });
    const err = await c.server.metadata().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APITimeoutError);
    expect(delays).toHaveLength(2);
  });

  it('sends one Idempotency-Key per create, the same on every retry', async () => {
    let calls = 0;
    server = await startMockServer((req, res) => {
      if (req.pathname === '/v1/training-jobs' && ++calls <= 2) res.socket?.destroy();
      else sendJson(res, 201, { id: 'job_1', object: 'training_job', status: 'queued' });
    });
    const { client: c } = client(server.baseUrl);
    const job = await c.trainingJobs.create(JOB_BODY);
    expect(job.id).toBe('job_1');
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(typeof keys[0]).toBe('string');
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    expect(JSON.parse(server.requests[2]!.body.toString())).toEqual(JOB_BODY);

    await c.trainingJobs.create(JOB_BODY);
    expect(server.requests[3]!.headers['idempotency-key']).not.toBe(keys[0]);
    await c.trainingJobs.create(JOB_BODY, { idempotencyKey: 'my-key' });
    expect(server.requests[4]!.headers['idempotency-key']).toBe('my-key');
  });

  it('sends no Idempotency-Key on reads', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 200, { id: 'job_1' }));
    const { client: c } = client(server.baseUrl);
    await c.trainingJobs.retrieve('job_1');
    expect(server.requests[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('times out each attempt and retries, then throws APITimeoutError', async () => {
    server = await startMockServer(() => {
      // never answers
    });
    const { client: c, delays } = client(server.baseUrl, { timeout: 150, maxRetries: 1 });
    const err = await c.server.metadata().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it('times out an attempt whose body stalls after the headers', async () => {
    server = await startMockServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"name":');
    });
    const { client: c, delays } = client(server.baseUrl, { timeout: 150, maxRetries: 1 });
    const err = await c.server.metadata().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it('caps the whole attempt: a body that trickles in under the timeout per chunk still times out', async () => {
    const timers: NodeJS.Timeout[] = [];
    server = await startMockServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"name":"');
      // A chunk every 40 ms never leaves undici's idle timers silent for 150 ms, so only a total cap can end it.
      timers.push(setInterval(() => res.write('x'), 40));
    });
    const { client: c } = client(server.baseUrl, { timeout: 150, maxRetries: 0 });
    const err = await c.server.metadata().catch((e: unknown) => e);
    timers.forEach(clearInterval);
    expect(err).toBeInstanceOf(APITimeoutError);
  });

  it('applies a per-call timeout and maxRetries', async () => {
    server = await startMockServer(() => {});
    const { client: c } = client(server.baseUrl, { timeout: 60_000 });
    const err = await c.server.metadata({ timeout: 100, maxRetries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it('never retries an abort, and removes its abort listeners', async () => {
    let signalled: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      signalled = resolve;
    });
    server = await startMockServer(() => signalled());
    const { client: c, delays } = client(server.baseUrl);
    const controller = new AbortController();
    const pending = c.server.metadata({ signal: controller.signal }).catch((e: unknown) => e);
    await arrived;
    controller.abort();
    const err = await pending;
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('leaves no listener on a long-lived signal after many calls', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 200, { name: 'maas', version: '1', extensions: [] }));
    const { client: c } = client(server.baseUrl);
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await c.server.metadata({ signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once with an already-aborted signal, sending nothing', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 200, {}));
    const { client: c } = client(server.baseUrl);
    const err = await c.server.metadata({ signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('stops retrying when aborted during the backoff wait', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 503, errorBody(503, 'overloaded')));
    const controller = new AbortController();
    const c = new MaasClient({
      baseUrl: server.baseUrl,
      ...transport,
      sleep: (_ms, signal) => {
        controller.abort();
        return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
      },
    });
    const err = await c.server.metadata({ signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it('maps a non-JSON error body to an APIError carrying the text', async () => {
    server = await startMockServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    const { client: c } = client(server.baseUrl, { maxRetries: 0 });
    const err = await c.server.metadata().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: undefined, body: '<html>Bad Gateway</html>' });
    expect((err as Error).message).toContain('Bad Gateway');
  });

  it('throws InvalidResponseError for a 200 whose body is not JSON (not retried)', async () => {
    server = await startMockServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-request-id': 'r9' });
      res.end('hello');
    });
    const { client: c, delays } = client(server.baseUrl);
    const err = await c.server.metadata().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ status: 200, bodyText: 'hello', requestId: 'r9' });
    expect(delays).toEqual([]);
  });
});
