// A tiny node:http server for client tests: records every request and lets each test script the responses.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientOptions } from '../../../src/index.js';

export interface RecordedRequest {
  method: string;
  /** Path with query string. */
  url: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (req: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface MockServer {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startMockServer(handler: Handler): Promise<MockServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (raw, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    const url = new URL(raw.url ?? '/', 'http://x');
    const recorded: RecordedRequest = {
      method: raw.method ?? 'GET',
      url: raw.url ?? '/',
      pathname: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body: Buffer.concat(chunks),
    };
    requests.push(recorded);
    try {
      await handler(recorded, res, raw);
    } catch (err) {
      if (!res.headersSent) res.writeHead(599).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response with an x-request-id. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_test', ...headers });
  res.end(JSON.stringify(body));
}

/** The contract's error body. */
export function errorBody(status: number, code: string, message = `failed with ${code}`) {
  return { error: message, code, status, request_id: 'req_body' };
}

/** A sleeper that records the requested delays and returns at once (still honouring aborts). */
export function recordingSleep() {
  const delays: number[] = [];
  const sleep = (ms: number, signal?: AbortSignal) => {
    delays.push(ms);
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  };
  return { delays, sleep };
}

/** The two transports every behaviour suite runs on. */
export const TRANSPORTS: [string, Partial<ClientOptions>][] = [
  ['undici', {}],
  ['fetch', { fetch: (input, init) => globalThis.fetch(input, init) }],
];
