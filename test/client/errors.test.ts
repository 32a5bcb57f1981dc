import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  MaasClient,
  MaasError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../../src/index.js';
import { errorBody, type MockServer, recordingSleep, sendJson, startMockServer } from './support/mock-server.js';

const CASES: [number, string, typeof APIError][] = [
  [400, 'invalid_input', BadRequestError],
  [401, 'unauthorized', AuthenticationError],
  [403, 'unauthorized', PermissionDeniedError],
  [404, 'model_not_found', NotFoundError],
  [409, 'idempotency_conflict', ConflictError],
  [413, 'payload_too_large', PayloadTooLargeError],
  [422, 'dataset_invalid', UnprocessableEntityError],
  [429, 'rate_limited', RateLimitError],
  [500, 'internal', InternalServerError],
  [503, 'unavailable', ServiceUnavailableError],
  [418, 'invalid_input', APIError],
];

describe('error mapping', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each(CASES)(
    'maps %i to its class with the body code, message, details and request id',
    async (status, code, Class) => {
      server = await startMockServer((_req, res) =>
        sendJson(res, status, {
          ...errorBody(status, code, `it failed: ${code}`),
          details: [{ line: 2, message: 'bad' }],
        }),
      );
      const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
      const err = await client.datasets.retrieve('ds_1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Class);
      expect(err).toBeInstanceOf(APIError);
      expect(err).toBeInstanceOf(MaasError);
      if (Class === APIError) expect(Object.getPrototypeOf(err)).toBe(APIError.prototype);
      const e = err as APIError;
      expect(e.status).toBe(status);
      expect(e.code).toBe(code);
      expect(e.requestId).toBe('req_test');
      expect(e.details).toEqual([{ line: 2, message: 'bad' }]);
      expect(e.headers.get('content-type')).toBe('application/json');
      // The first details are in the message too, so a log line says where the problem is.
      expect(e.message).toBe(`${status} ${code}: it failed: ${code}: line 2: bad (request req_test)`);
      expect(e.name).toBe(Class.name);
    },
  );

  it('ServiceUnavailableError is also an InternalServerError', () => {
    const err = APIError.generate(503, errorBody(503, 'overloaded'), undefined, new Headers());
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.requestId).toBe('req_body');
    expect(APIError.generate(599, '', undefined, new Headers())).toBeInstanceOf(InternalServerError);
  });

  it('never shows the API key in errors, logs or an inspected client', async () => {
    const key = 'sk-very-secret-key-123';
    const lines: string[] = [];
    const logger = {
      debug: (...args: unknown[]) => lines.push(inspect(args)),
      info: (...args: unknown[]) => lines.push(inspect(args)),
      warn: (...args: unknown[]) => lines.push(inspect(args)),
    };
    server = await startMockServer((req, res) => {
      expect(req.headers.authorization).toBe(`Bearer ${key}`);
      sendJson(res, req.pathname === '/v2' ? 503 : 401, errorBody(401, 'unauthorized'));
    });
    const { sleep } = recordingSleep();
    const client = new MaasClient({ baseUrl: server.baseUrl, apiKey: key, logger, sleep, maxRetries: 1 });
    const errors: unknown[] = [];
    errors.push(await client.models.retrieve('m').catch((e: unknown) => e));
    errors.push(await client.server.metadata().catch((e: unknown) => e));
    const dead = new MaasClient({ baseUrl: 'http://127.0.0.1:1', apiKey: key, logger, sleep, maxRetries: 0 });
    errors.push(await dead.server.metadata().catch((e: unknown) => e));
    expect(errors[0]).toBeInstanceOf(AuthenticationError);
    expect(errors[2]).toBeInstanceOf(APIConnectionError);
    for (const err of errors) {
      expect(inspect(err, { depth: 10 })).not.toContain(key);
      expect(JSON.stringify(err)).not.toContain(key);
      expect(String(err)).not.toContain(key);
    }
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join('\n')).not.toContain(key);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(key);
    expect(JSON.stringify(client)).not.toContain(key);
  });
});
