// The only place that talks to an HTTP stack. In Node it uses undici (loaded lazily, so the fetch path — browsers,
// Deno, Bun, msw — never pulls a Node built-in); with a `fetch` option it uses that fetch as is.
import type { Agent, Dispatcher } from 'undici';
import type { FetchLike } from '../options.js';
import type { AttemptAbort } from './attempt-abort.js';
import { dispatchRequest } from './undici-exchange.js';

/** One HTTP attempt, fully resolved by the client. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** Aborts the attempt (user abort, per-attempt timeout, stream close). */
  abort: AttemptAbort;
  /** Milliseconds undici may wait for response headers, and between body chunks. */
  headersTimeout: number;
  bodyTimeout: number;
}

/** A response whose body has not been read yet. */
export interface TransportResponse {
  status: number;
  /** All headers (built on first access: most calls only need `header()`). */
  readonly headers: Headers;
  /** One header's value (joined with `, ` when repeated), without building `headers`. */
  header(name: string): string | null;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  /** The body as chunks, for streaming (SSE). */
  chunks(): AsyncIterable<Uint8Array>;
  /** Releases the body without reading it. */
  discard(): void;
}

/** Sends one attempt. Implementations never retry and never decide what a status means. */
export interface Transport {
  readonly kind: 'undici' | 'fetch';
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Closes connections this transport owns (not an injected dispatcher). */
  close(): Promise<void>;
  /** A sentence to add to a connection error, when the environment suggests why the request went nowhere. */
  connectionHint?(): string | undefined;
}

export interface TransportOptions {
  fetch?: FetchLike | undefined;
  dispatcher?: Dispatcher | undefined;
}

/**
 * Picks the transport: an injected `fetch` wins; otherwise undici in Node (with the injected dispatcher or an owned
 * keep-alive Agent, which hands a call to the global fetch while msw intercepts it); otherwise the global fetch,
 * looked up at call time so msw's patched fetch is seen (mswjs/msw#2180).
 */
export function createTransport(options: TransportOptions): Transport {
  if (options.fetch) {
    // `fetch: globalThis.fetch` passed before msw patched it would pin the unpatched fetch: look it up per call.
    const pinned = options.fetch === globalThis.fetch ? undefined : options.fetch;
    return new FetchTransport(pinned, options.dispatcher);
  }
  if (options.dispatcher || isNode()) return new UndiciTransport(options.dispatcher);
  return new FetchTransport(undefined, undefined);
}

// msw (and nock 14), through @mswjs/interceptors, keep their running fetch interceptor under this global symbol while
// `server.listen()` is in effect; it is gone after `server.close()`.
const FETCH_INTERCEPTOR = Symbol.for('fetch-interceptor');
// Node's own fetch, as it was when this module loaded (before a test framework patched it, usually).
const BOOT_FETCH = (globalThis as { fetch?: unknown }).fetch;
let checkedFetch: unknown = BOOT_FETCH;
let checkedFetchIsInterceptor = false;

/** Whether msw (or another @mswjs/interceptors user) is intercepting the global fetch right now. */
export function fetchIsIntercepted(): boolean {
  const g = globalThis as unknown as Record<string | symbol, unknown>;
  if (g[FETCH_INTERCEPTOR] !== undefined) return true;
  const current = g.fetch;
  if (current === BOOT_FETCH) return false;
  // Older @mswjs/interceptors (msw < 2.8) register under an unregistered Symbol('fetch'); look once per new fetch.
  if (current !== checkedFetch) {
    checkedFetch = current;
    checkedFetchIsInterceptor = Object.getOwnPropertySymbols(g).some(
      (sym) => sym.description === 'fetch' && g[sym] !== undefined,
    );
  }
  return checkedFetchIsInterceptor;
}

function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; Bun?: unknown; Deno?: unknown };
  return typeof g.process?.versions?.node === 'string' && g.Bun === undefined && g.Deno === undefined;
}

class FetchTransport implements Transport {
  readonly kind = 'fetch';
  constructor(
    private readonly fetchOption: FetchLike | undefined,
    private readonly dispatcher: Dispatcher | undefined,
  ) {}

  async send(request: TransportRequest): Promise<TransportResponse> {
    const fetchImpl = this.fetchOption ?? (globalThis.fetch as FetchLike | undefined);
    if (!fetchImpl) throw new Error('No fetch implementation: pass the `fetch` option to MaasClient');
    const init: RequestInit & { dispatcher?: unknown } = {
      method: request.method,
      headers: request.headers,
      body: request.body as BodyInit | undefined,
      signal: request.abort.signal,
    };
    if (this.dispatcher) init.dispatcher = this.dispatcher;
    const response = await fetchImpl(request.url, init);
    return {
      status: response.status,
      headers: response.headers,
      header: (name) => response.headers.get(name),
      bytes: async () => new Uint8Array(await response.arrayBuffer()),
      text: () => response.text(),
      chunks: () => readableChunks(response.body),
      discard: () => {
        response.body?.cancel().catch(() => {});
      },
    };
  }

  async close(): Promise<void> {}
}

// ReadableStream is not async-iterable in every browser, so read it with a reader.
async function* readableChunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

type Undici = typeof import('undici');
// A variable specifier keeps bundlers (esbuild, webpack, vite) from following undici into a browser bundle.
const UNDICI_MODULE = 'undici';
let undiciModule: Promise<Undici> | undefined;
// Set once the import settles, so every later send calls undici synchronously (no await per call).
let undiciLoaded: Undici | undefined;
function loadUndici(): Promise<Undici> {
  undiciModule ??= (import(/* webpackIgnore: true */ /* @vite-ignore */ UNDICI_MODULE) as Promise<Undici>).then((m) => {
    undiciLoaded = m;
    return m;
  });
  return undiciModule;
}

class UndiciTransport implements Transport {
  readonly kind = 'undici';
  private owned: Agent | undefined;
  private intercepted: FetchTransport | undefined;
  constructor(private readonly injected: Dispatcher | undefined) {}

  send(request: TransportRequest): Promise<TransportResponse> {
    // msw sees only the global fetch, never undici's own request(): while it intercepts, the default transport goes
    // through fetch so an app test needs no client option. An injected dispatcher is an explicit choice: kept.
    if (!this.injected && fetchIsIntercepted()) {
      this.intercepted ??= new FetchTransport(undefined, undefined);
      return this.intercepted.send(request);
    }
    const undici = undiciLoaded;
    if (!undici) return loadUndici().then(() => this.send(request));
    // undici's own defaults (300 s) for headersTimeout/bodyTimeout would cut long calls below or above the SDK timeout
    // (openai-node#2153): the request carries them, set from the client's timeout.
    return dispatchRequest(this.injected ?? this.agent(undici), request);
  }

  private agent(undici: Undici): Agent {
    this.owned ??= new undici.Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
    return this.owned;
  }

  async close(): Promise<void> {
    const owned = this.owned;
    this.owned = undefined;
    await owned?.close();
  }

  connectionHint(): string | undefined {
    if (this.injected && fetchIsIntercepted()) {
      return 'msw intercepts only the global fetch, and this client sends through the `dispatcher` it was given: drop `dispatcher`, or pass `fetch: globalThis.fetch`, in tests that use msw';
    }
    if (!this.injected && (globalThis as { fetch?: unknown }).fetch !== BOOT_FETCH) {
      return 'the global fetch has been replaced (msw?), but this client sends with undici, which such mocks do not see: pass `fetch: globalThis.fetch` to MaasClient to send through it';
    }
    return undefined;
  }
}
