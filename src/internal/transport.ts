// The only place that talks to an HTTP stack. In Node it uses undici (loaded lazily, so the fetch path — browsers,
// Deno, Bun, msw — never pulls a Node built-in); with a `fetch` option it uses that fetch as is.
import type { Agent, Dispatcher } from 'undici';
import type { FetchLike } from '../options.js';

/** One HTTP attempt, fully resolved by the client. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** Aborts the attempt (user abort, per-attempt timeout, stream close). */
  signal: AbortSignal;
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
}

export interface TransportOptions {
  fetch?: FetchLike | undefined;
  dispatcher?: Dispatcher | undefined;
}

/**
 * Picks the transport: an injected `fetch` wins; otherwise undici in Node (with the injected dispatcher or an owned
 * keep-alive Agent); otherwise the global fetch, looked up at call time so msw's patched fetch is seen
 * (mswjs/msw#2180).
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
      signal: request.signal,
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
  constructor(private readonly injected: Dispatcher | undefined) {}

  send(request: TransportRequest): Promise<TransportResponse> {
    const undici = undiciLoaded;
    if (!undici) return loadUndici().then(() => this.send(request));
    const dispatcher = this.injected ?? this.agent(undici);
    return undici
      .request(request.url, {
        dispatcher,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        // undici's own defaults (300 s) would cut long calls below or above the SDK timeout (openai-node#2153).
        headersTimeout: request.headersTimeout,
        bodyTimeout: request.bodyTimeout,
      })
      .then(toTransportResponse);
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
}

type RawHeaders = Record<string, string | string[] | undefined>;

function toTransportResponse(response: Dispatcher.ResponseData): TransportResponse {
  return new UndiciResponse(response.statusCode, response.headers as RawHeaders, response.body);
}

// A class rather than a literal of closures: one shape, methods shared, Headers built only on demand.
class UndiciResponse implements TransportResponse {
  #headers: Headers | undefined;
  constructor(
    readonly status: number,
    private readonly raw: RawHeaders,
    private readonly body: Dispatcher.ResponseData['body'],
  ) {}

  get headers(): Headers {
    this.#headers ??= toHeaders(this.raw);
    return this.#headers;
  }

  // undici lower-cases header names. An arrow so it can be passed around detached.
  header = (name: string): string | null => {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  };

  bytes(): Promise<Uint8Array> {
    return this.body.bytes();
  }

  text(): Promise<string> {
    return this.body.text();
  }

  chunks(): AsyncIterable<Uint8Array> {
    return this.body as AsyncIterable<Uint8Array>;
  }

  discard(): void {
    this.body.destroy();
  }
}

function toHeaders(raw: RawHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}
