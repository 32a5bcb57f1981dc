// The types of what callers pass: client options, per-call options, the logger, the backoff policy, a fetch.
// Public (re-exported by index.ts); the machinery that reads them lives in src/internal/.
import type { Dispatcher } from 'undici';

/**
 * Options of `new MaasClient()`. Every field is optional.
 *
 * @example
 * ```ts
 * const client = new MaasClient({ baseUrl: 'http://models.internal:8000', apiKey: process.env.MAAS_API_KEY, timeout: 10_000 });
 * ```
 */
export interface ClientOptions {
  /** Server URL (a path prefix is kept). Default: `MAAS_BASE_URL`, else `http://127.0.0.1:8000`. */
  baseUrl?: string | undefined;
  /** Sent as `Authorization: Bearer …`. Default: `MAAS_API_KEY`; `null` sends none even when the variable is set. */
  apiKey?: string | null | undefined;
  /** Milliseconds per attempt (default 60 000). Streams use it as their idle timeout. */
  timeout?: number | undefined;
  /** Retries after a failed attempt (connection errors, 408, 429, 500, 502, 503, 504). Default 2. */
  maxRetries?: number | undefined;
  /**
   * A fetch to use instead of undici. Not needed in browsers, Deno or Bun (the global fetch, looked up at call time) nor
   * under msw (while it intercepts, the Node transport sends through the global fetch).
   */
  fetch?: FetchLike | undefined;
  /** An undici Dispatcher (Agent, Pool, ProxyAgent, MockAgent) for the Node transport. */
  dispatcher?: Dispatcher | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
  /** Receives debug (requests) and info (retries) lines. Never the API key. */
  logger?: Logger | undefined;
  /** Tensor data size (bytes) above which `infer()` switches to the binary tensor extension. Default 4096. */
  binaryThreshold?: number | undefined;
  /** Retry backoff tuning (base 500 ms, cap 8 s, Retry-After honoured up to 60 s). */
  backoff?: Partial<BackoffPolicy> | undefined;
  /** @internal Replaces the backoff sleeper (tests). */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/**
 * Console-compatible logger; every level is optional. The API key is never passed to it.
 *
 * @example
 * ```ts
 * const client = new MaasClient({ logger: console }); // debug: each request, info: each retry
 * ```
 */
export interface Logger {
  debug?(message: string, ...args: unknown[]): void;
  info?(message: string, ...args: unknown[]): void;
  warn?(message: string, ...args: unknown[]): void;
  error?(message: string, ...args: unknown[]): void;
}

/**
 * Per-call options, accepted as the last argument of every method.
 *
 * @example
 * ```ts
 * await client.models.retrieve('mnist', { timeout: 5_000, maxRetries: 0, headers: { 'x-request-id': 'abc' } });
 * ```
 */
export interface RequestOptions {
  /** Aborts the call (and any retry); the call then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds per attempt (default: the client's, 60 s). */
  timeout?: number | undefined;
  /** Retries after the first attempt (default: the client's, 2). */
  maxRetries?: number | undefined;
  /** Extra headers; `null` removes a default header. */
  headers?: Record<string, string | null | undefined> | undefined;
  /** For create calls: the Idempotency-Key to send (default: a fresh UUID per call, reused on every retry). */
  idempotencyKey?: string | undefined;
}

/**
 * Retry backoff tuning (client option `backoff`).
 *
 * @example
 * ```ts
 * const client = new MaasClient({ backoff: { baseDelayMs: 100, maxDelayMs: 2_000 } });
 * ```
 */
export interface BackoffPolicy {
  /** First delay ceiling (ms); doubles per attempt. */
  baseDelayMs: number;
  /** Ceiling of any computed delay (ms). */
  maxDelayMs: number;
  /** Longest server-requested wait (Retry-After) honoured as is (ms). */
  maxRetryAfterMs: number;
  /** Uniform [0, 1) source, injectable for tests. */
  random: () => number;
}

/**
 * A fetch-compatible function (the global `fetch`, a polyfill, or a test double).
 *
 * @example
 * ```ts
 * const client = new MaasClient({ fetch: globalThis.fetch }); // e.g. a fetch polyfill, or a fetch-patching mock
 * ```
 */
export type FetchLike = (input: string, init: RequestInit & { dispatcher?: unknown }) => Promise<Response>;
