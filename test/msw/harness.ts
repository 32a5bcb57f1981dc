import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createMaasHandlers, type MaasHandlersOptions } from '../../src/msw/index.js';
import { validateFetchResponse } from '../support/openapi-validator.js';

export const BASE = 'http://127.0.0.1:8000';

export interface Call {
  status: number;
  headers: Headers;
  /** Parsed JSON for JSON responses, else text (or bytes for octet-stream). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any;
  raw: string | Uint8Array;
}

/**
 * An msw server with the maas handlers for one test file, and `call()`: plain fetch whose every response is
 * validated against openapi.yaml (a mismatch fails the test).
 */
export function useMock(options: MaasHandlersOptions = {}) {
  const mock = createMaasHandlers({ baseUrl: BASE, ...options });
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => mock.state.reset());
  afterAll(() => server.close());

  async function call(
    method: string,
    path: string,
    init: { body?: BodyInit; headers?: Record<string, string>; json?: unknown } = {},
  ): Promise<Call> {
    const headers: Record<string, string> = { ...init.headers };
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${BASE}${path}`, { method, headers, body: body ?? null });
    const { body: raw, errors } = await validateFetchResponse(`${method} ${path}`, response);
    expect(errors, `${method} ${path} → ${response.status}`).toEqual([]);
    const media = (response.headers.get('content-type') ?? '').split(';')[0];
    const parsed = media === 'application/json' && typeof raw === 'string' ? JSON.parse(raw) : raw;
    return { status: response.status, headers: response.headers, body: parsed, raw };
  }

  return { ...mock, server, call };
}
