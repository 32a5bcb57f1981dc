// The one request path every method goes through: URL and headers, idempotency key, per-attempt timeout,
// retries with backoff, error mapping and response parsing.
import { APIPromise, type ResponseInfo, type WithResponse } from '../api-promise.js';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  InvalidResponseError,
  type MaasError,
} from '../errors.js';
import type { BackoffPolicy, Logger, RequestOptions } from '../options.js';
import { VERSION } from '../version.js';
import { AttemptAbort } from './attempt-abort.js';
import { parseJson } from './json.js';
import { responseInfo } from './response-info.js';
import { abortableSleep, backoffDelay, isRetryableStatus, retryAfterDelay } from './retry.js';
import type { Transport, TransportResponse } from './transport.js';
import { randomUuid } from './uuid.js';

export type QueryValue = string | number | boolean | null | undefined;

/** One logical call, as the resources describe it. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path with its parameters already encoded (see `path`). */
  path: string;
  query?: Record<string, QueryValue> | undefined;
  body?: { contentType: string; data: string | Uint8Array } | undefined;
  /** Accept header (default application/json). */
  accept?: string | undefined;
  /** A create call: sends an Idempotency-Key. */
  idempotent?: boolean | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  options?: RequestOptions | undefined;
  /** Statuses returned as results rather than thrown (and never retried), e.g. health checks. */
  acceptStatus?: ((status: number) => boolean) | undefined;
  /** For `raw()`: a 2xx body is read as bytes only when the response has this header (else as text). */
  bytesWhenHeader?: string | undefined;
}

export interface CoreConfig {
  baseUrl: string;
  timeout: number;
  maxRetries: number;
  defaultHeaders: Record<string, string>;
  logger: Logger | undefined;
  backoff: BackoffPolicy;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A response body (bytes, or text when `bytesWhenHeader` said so), with its metadata. */
export interface RawResult {
  body: Uint8Array | string;
  response: ResponseInfo;
  /** One response header, read without building `response.headers`. */
  header(name: string): string | null;
}

/** An open streaming response; `close()` aborts it and releases the caller's signal. */
export interface OpenStream {
  response: TransportResponse;
  info: ResponseInfo;
  close(): void;
}

/**
 * Builds a path from a template and values, percent-encoding each value.
 *
 * @example
 * ```ts
 * path`/v1/models/${name}/versions/${version}`;
 * ```
 */
export function path(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += encodeURIComponent(String(values[i])) + (strings[i + 1] ?? '');
  return out;
}

type BodyMode = 'text' | 'bytes' | 'stream';
type Received = { mode: 'text'; text: string } | { mode: 'bytes'; bytes: Uint8Array } | { mode: 'stream' };

interface Attempt {
  status: number;
  received: Received;
  response: TransportResponse;
  close: () => void;
}

const TIMEOUT = Symbol('maas.timeout');
const IS_NODE =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
const CLIENT_HEADER = `maas-js/${VERSION}`;
/** setTimeout's ceiling; longer timeouts would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function abortOnTimeout(abort: AttemptAbort): void {
  abort.abort(TIMEOUT);
}

export class RequestCore {
  // Private so that logging or inspecting a client never shows the key.
  readonly #apiKey: string | undefined;
  readonly #hasDefaultHeaders: boolean;

  constructor(
    readonly config: CoreConfig,
    readonly transport: Transport,
    apiKey: string | undefined,
  ) {
    this.#apiKey = apiKey;
    this.#hasDefaultHeaders = Object.keys(config.defaultHeaders).length > 0;
  }

  /** A JSON call (parsed losslessly when the body holds 64-bit integers). */
  json<T>(spec: RequestSpec): APIPromise<T> {
    return new APIPromise(this.#run(spec, 'text').then(parseBody<T>));
  }

  /** A call whose body is returned as text (e.g. the OpenAPI document). */
  text(spec: RequestSpec): APIPromise<string> {
    return new APIPromise(
      this.#run(spec, 'text').then(({ attempt, info }) => ({
        data: attempt.received.mode === 'text' ? attempt.received.text : '',
        response: info,
      })),
    );
  }

  /** A call whose body is returned as is, bytes or text (inference responses: binary or JSON). */
  async raw(spec: RequestSpec): Promise<RawResult> {
    const { attempt, info } = await this.#run(spec, 'bytes');
    const { received } = attempt;
    return {
      body: received.mode === 'bytes' ? received.bytes : received.mode === 'text' ? received.text : '',
      response: info,
      header: attempt.response.header,
    };
  }

  /** Opens a streaming response; the per-attempt timeout covers only the wait for its headers. */
  async stream(spec: RequestSpec): Promise<OpenStream> {
    const { attempt, info } = await this.#run(spec, 'stream');
    return { response: attempt.response, info, close: attempt.close };
  }

  async #run(spec: RequestSpec, mode: BodyMode): Promise<{ attempt: Attempt; info: ResponseInfo }> {
    const options = spec.options;
    const signal = options?.signal;
    const timeout = options?.timeout ?? this.config.timeout;
    const maxRetries = Math.max(0, options?.maxRetries ?? this.config.maxRetries);
    const url = this.#url(spec);
    // Built once per logical call, so the Idempotency-Key is identical on every retry.
    const headers = this.#headers(spec);
    const log = this.config.logger;

    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });
      log?.debug?.(`maas: ${spec.method} ${url}${retry ? ` (retry ${retry}/${maxRetries})` : ''}`);
      let attempt: Attempt;
      try {
        attempt = await this.#attempt(spec, url, headers, mode, timeout, signal);
      } catch (err) {
        if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });
        const failure = toConnectionError(err, this.transport);
        if (retry >= maxRetries) throw failure;
        await this.#wait(spec, url, retry, maxRetries, undefined, failure.message, signal);
        continue;
      }
      const info = responseInfo(attempt.status, attempt.response);
      if ((attempt.status >= 200 && attempt.status < 300) || spec.acceptStatus?.(attempt.status)) {
        return { attempt, info };
      }
      const error = toAPIError(attempt);
      if (!isRetryableStatus(attempt.status) || retry >= maxRetries) throw error;
      await this.#wait(spec, url, retry, maxRetries, attempt.response.headers, `status ${attempt.status}`, signal);
    }
  }

  async #wait(
    spec: RequestSpec,
    url: string,
    retry: number,
    maxRetries: number,
    headers: Headers | undefined,
    reason: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const policy = this.config.backoff;
    const delay = (headers && retryAfterDelay(headers, policy)) ?? backoffDelay(retry, policy);
    this.config.logger?.info?.(
      `maas: ${spec.method} ${url} failed (${reason}); retry ${retry + 1}/${maxRetries} in ${delay} ms`,
    );
    try {
      await this.config.sleep(delay, signal);
    } catch (err) {
      throw new APIUserAbortError(undefined, { cause: err });
    }
  }

  // One attempt on either transport. Its abort merges the caller's signal with our own timer, so `timeout` caps the
  // whole attempt (headers and body), not only the silences between chunks that undici's own timers watch.
  async #attempt(
    spec: RequestSpec,
    url: string,
    headers: Record<string, string>,
    mode: BodyMode,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    const abort = new AttemptAbort();
    const onAbort = signal ? () => abort.abort(signal.reason) : undefined;
    if (onAbort) signal!.addEventListener('abort', onAbort, { once: true });
    const timer = timeout > 0 ? setTimeout(abortOnTimeout, Math.min(timeout, MAX_TIMER_MS), abort) : undefined;
    // undici's own timers sit just behind ours so ours decides, yet long calls are never cut at undici's 300 s.
    const undiciTimeout = timeout > 0 ? timeout + 1_000 : 0;
    let keepOpen = false;
    const release = () => {
      if (onAbort) signal!.removeEventListener('abort', onAbort);
    };
    try {
      let response: TransportResponse;
      let received: Received;
      try {
        response = await this.transport.send({
          method: spec.method,
          url,
          headers,
          body: spec.body?.data,
          abort,
          headersTimeout: undiciTimeout,
          bodyTimeout: mode === 'stream' ? 0 : undiciTimeout,
        });
        const ok = response.status >= 200 && response.status < 300;
        const wanted = spec.bytesWhenHeader;
        if (mode === 'stream' && ok) received = { mode: 'stream' };
        else if (mode === 'bytes' && ok && (wanted === undefined || response.header(wanted) !== null)) {
          received = { mode: 'bytes', bytes: await response.bytes() };
        } else received = { mode: 'text', text: await response.text() };
      } catch (err) {
        throw abort.reason === TIMEOUT ? new APITimeoutError(undefined, { cause: err }) : err;
      }
      keepOpen = received.mode === 'stream';
      return {
        status: response.status,
        received,
        response,
        close: keepOpen
          ? () => {
              release();
              abort.abort(undefined);
              response.discard();
            }
          : noop,
      };
    } finally {
      clearTimeout(timer);
      if (!keepOpen) release();
    }
  }

  #url(spec: RequestSpec): string {
    const url = this.config.baseUrl + spec.path;
    if (!spec.query) return url;
    const params = new URLSearchParams();
    for (const key in spec.query) {
      const value = spec.query[key];
      if (value !== undefined && value !== null) params.append(key, String(value));
    }
    const qs = params.toString();
    return qs ? `${url}?${qs}` : url;
  }

  #headers(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = {
      accept: spec.accept ?? 'application/json',
      'x-maas-client': CLIENT_HEADER,
    };
    // Browsers forbid or ignore user-agent; elsewhere it helps server logs.
    if (IS_NODE) headers['user-agent'] = CLIENT_HEADER;
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    if (spec.body) headers['content-type'] = spec.body.contentType;
    if (this.#hasDefaultHeaders) assignHeaders(headers, this.config.defaultHeaders);
    if (spec.headers) assignHeaders(headers, spec.headers);
    if (spec.idempotent && headers['idempotency-key'] === undefined) {
      headers['idempotency-key'] = spec.options?.idempotencyKey ?? randomUuid();
    }
    if (spec.options?.headers) assignHeaders(headers, spec.options.headers);
    return headers;
  }
}

function noop(): void {}

function assignHeaders(target: Record<string, string>, source: Readonly<Record<string, string | null | undefined>>) {
  for (const name in source) {
    const value = source[name];
    const key = name.toLowerCase();
    if (value === null) delete target[key];
    else if (value !== undefined) target[key] = value;
  }
}

function toConnectionError(err: unknown, transport: Transport): MaasError {
  if (err instanceof APIConnectionError) return err;
  const code = (err as { code?: unknown })?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new APITimeoutError(undefined, { cause: err });
  }
  const detail = err instanceof Error ? err.message : String(err);
  const hint = transport.connectionHint?.();
  return new APIConnectionError(`Connection error: ${detail}${hint ? ` (${hint})` : ''}`, { cause: err });
}

function toAPIError(attempt: Attempt): APIError {
  const text = attempt.received.mode === 'text' ? attempt.received.text : '';
  let body: unknown = text;
  if (text) {
    try {
      body = parseJson(text);
    } catch {
      // Not JSON (a proxy's HTML page, Triton's plain text): keep the text.
    }
  }
  return APIError.generate(attempt.status, body, undefined, attempt.response.headers);
}

function parseBody<T>({ attempt, info }: { attempt: Attempt; info: ResponseInfo }): WithResponse<T> {
  const text = attempt.received.mode === 'text' ? attempt.received.text : '';
  // Some OIP servers (Triton) answer repository calls with an empty 200.
  if (text.length === 0) return { data: undefined as T, response: info };
  try {
    return { data: parseJson(text) as T, response: info };
  } catch (err) {
    const snippet = text.slice(0, 200);
    throw new InvalidResponseError(
      `Expected a JSON body (status ${info.status}), got: ${JSON.stringify(snippet)}`,
      info.status,
      text,
      info.requestId,
      { cause: err },
    );
  }
}

/** Resolved client defaults (exported for tests and the client). */
export const DEFAULTS = {
  baseUrl: 'http://127.0.0.1:8000',
  timeout: 60_000,
  maxRetries: 2,
  sleep: abortableSleep,
} as const;
