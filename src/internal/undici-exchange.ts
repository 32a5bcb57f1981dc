// One request/response over an undici Dispatcher, on its handler API (`dispatch()`), not `undici.request()`: no
// Readable stream, async resource or abort-signal plumbing per call — measured at 20–50 µs of client CPU per call
// (bench/sdk.ts). The body is buffered for `text()`/`bytes()`, or handed out chunk by chunk (with backpressure) for
// streams. Node only: reached from the undici transport, which the browser bundle never loads.
import type { Dispatcher } from 'undici';
import type { AttemptAbort } from './attempt-abort.js';
import type { TransportRequest, TransportResponse } from './transport.js';

type RawHeaders = Record<string, string | string[] | undefined>;
/** undici hands out Buffers: Uint8Arrays whose toString('utf8') decodes without a TextDecoder. */
type Chunk = Uint8Array & { toString(encoding?: 'utf8'): string };

/** Above this many buffered bytes a stream that is not being read is paused. */
const STREAM_HIGH_WATER = 64 * 1024;
const streamDecoder = new TextDecoder();

/** Sends `request` on `dispatcher`; resolves at the response headers. */
export function dispatchRequest(dispatcher: Dispatcher, request: TransportRequest): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const { origin, path } = splitUrl(request.url);
    const exchange = new UndiciExchange(request.abort, resolve, reject);
    dispatcher.dispatch(
      {
        origin,
        path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body ?? null,
        headersTimeout: request.headersTimeout,
        bodyTimeout: request.bodyTimeout,
      },
      exchange,
    );
  });
}

/** `http://host:port/a/b?c` → origin `http://host:port`, path `/a/b?c`, without a URL object for the plain case. */
function splitUrl(url: string): { origin: string; path: string } {
  const at = url.indexOf('/', url.indexOf('//') + 2);
  const origin = at < 0 ? url : url.slice(0, at);
  if (origin.includes('@')) {
    // Credentials in the base URL: let URL parsing drop them from the origin, as undici.request() does.
    const parsed = new URL(url);
    return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  }
  return { origin, path: at < 0 ? '/' : url.slice(at) };
}

function abortError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  const error = new Error('This operation was aborted');
  error.name = 'AbortError';
  return error;
}

class UndiciExchange implements TransportResponse, Dispatcher.DispatchHandler {
  status = 0;
  #raw: RawHeaders = {};
  #headers: Headers | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #resolve: ((response: TransportResponse) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #chunks: Chunk[] = [];
  #buffered = 0;
  #ended = false;
  #error: unknown;
  #failed = false;
  #streaming = false;
  /** Wakes a reader waiting for more data, the end or an error. */
  #wake: (() => void) | undefined;
  readonly #abort: AttemptAbort;

  constructor(abort: AttemptAbort, resolve: (response: TransportResponse) => void, reject: (error: unknown) => void) {
    this.#abort = abort;
    this.#resolve = resolve;
    this.#reject = reject;
    abort.addEventListener('abort', this.#onAbort);
  }

  // ---- Dispatcher handler ---------------------------------------------------------------------------------------

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#abort.aborted) controller.abort(abortError(this.#abort.reason));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: RawHeaders): void {
    if (statusCode < 200) return; // 1xx informational: the real answer follows
    this.status = statusCode;
    this.#raw = headers;
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#reject = undefined;
    resolve?.(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Uint8Array): void {
    this.#chunks.push(chunk as Chunk);
    this.#buffered += chunk.length;
    if (this.#streaming && this.#buffered > STREAM_HIGH_WATER) controller.pause();
    this.#signal();
  }

  onResponseEnd(): void {
    this.#ended = true;
    this.#release();
    this.#signal();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#failed = true;
    this.#error = error;
    this.#release();
    const reject = this.#reject;
    this.#resolve = undefined;
    this.#reject = undefined;
    reject?.(error);
    this.#signal();
  }

  // ---- TransportResponse ----------------------------------------------------------------------------------------

  get headers(): Headers {
    this.#headers ??= toHeaders(this.#raw);
    return this.#headers;
  }

  // undici lower-cases header names. An arrow so it can be passed around detached.
  header = (name: string): string | null => {
    const value = this.#raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  };

  async bytes(): Promise<Uint8Array> {
    await this.#whole();
    const chunks = this.#chunks;
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(this.#buffered);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  async text(): Promise<string> {
    await this.#whole();
    const chunks = this.#chunks;
    if (chunks.length === 0) return '';
    // As undici.request()'s text(): UTF-8, a leading BOM dropped.
    const first = chunks[0]!;
    const bom = first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
    if (chunks.length === 1 && !bom) return first.toString('utf8');
    let text = '';
    for (let i = 0; i < chunks.length; i++) {
      text += streamDecoder.decode(chunks[i], { stream: i < chunks.length - 1 });
    }
    return text;
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    this.#streaming = true;
    try {
      for (;;) {
        if (this.#chunks.length > 0) {
          const chunk = this.#chunks.shift()!;
          this.#buffered -= chunk.length;
          if (this.#buffered <= STREAM_HIGH_WATER && this.#controller?.paused) this.#controller.resume();
          yield chunk;
          continue;
        }
        if (this.#failed) throw this.#error;
        if (this.#ended) return;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      // A reader that stops early (break, an error) does not want the rest.
      if (!this.#ended) this.discard();
    }
  }

  discard(): void {
    this.#chunks = [];
    this.#buffered = 0;
    if (!this.#ended && !this.#failed) this.#controller?.abort(abortError(undefined));
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  readonly #onAbort = (): void => {
    const error = abortError(this.#abort.reason);
    if (this.#controller) this.#controller.abort(error);
    else this.onResponseError(undefined as never, error); // still connecting: fail now, abort when it connects
  };

  async #whole(): Promise<void> {
    while (!this.#ended) {
      if (this.#failed) throw this.#error;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #release(): void {
    this.#abort.removeEventListener('abort', this.#onAbort);
  }
}

function toHeaders(raw: RawHeaders): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}
