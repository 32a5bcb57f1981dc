import { ContractError } from '../protocol/contract-error.js';
import { badRequest, invalidParameter, MockError, payloadTooLarge } from './errors.js';
import type { MaasMockState } from './state.js';

export interface ResolvedOptions {
  baseUrl: string;
  apiKeys: readonly string[];
  maxBodyBytes: number;
  maxDatasetBytes: number;
  heartbeatMs: number;
  serverVersion: string;
  openapiSpec: string | undefined;
}

/** The media types the server has body parsers for; anything else is its global 415. */
const PARSED_TYPES = new Set([
  'application/json',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'text/csv',
  'application/x-ndjson',
]);
const JSON_TYPES = new Set(['application/json', 'application/x-www-form-urlencoded']);

/** One request as a handler sees it: params, the request id, and the body read once under the size limit. */
export class RequestContext {
  readonly url: URL;
  private raw: Promise<Uint8Array> | undefined;

  constructor(
    readonly request: Request,
    readonly params: Readonly<Record<string, string>>,
    readonly requestId: string,
    readonly state: MaasMockState,
    readonly options: ResolvedOptions,
    private readonly bodyLimit = options.maxBodyBytes,
  ) {
    this.url = new URL(request.url);
  }

  header(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined;
  }

  /** The Content-Type without parameters, lower-cased; undefined when absent. */
  mediaType(): string | undefined {
    const raw = this.header('content-type');
    return raw === undefined ? undefined : (raw.split(';')[0] ?? '').trim().toLowerCase();
  }

  param(name: string): string {
    return this.params[name] ?? '';
  }

  /** The raw body (empty when none), read once; 413 over `maxBodyBytes` (the server's --max-body-size). */
  bytes(): Promise<Uint8Array> {
    this.raw ??= this.readBody();
    return this.raw;
  }

  /**
   * The parsed body, as the server's content-type parsers leave it before the route runs: JSON (lossless for long
   * integers) for application/json and form-encoded bodies, undefined for an empty one, `NOT_JSON` for the other
   * types (read them with `bytes()`). Set by `prepare`.
   */
  body: unknown = undefined;

  /** What the server does before its route runs: the media-type gate, the size limit, the JSON parse. */
  async prepare(parseJson: (text: string) => unknown): Promise<void> {
    if (this.request.method !== 'POST' && this.request.method !== 'PATCH') return;
    const media = this.mediaType();
    // Infer and predict bodies without a Content-Type (Triton's clients send none): JSON, or binary with its header.
    const untyped = media === undefined && /\/infer$|:predict$/.test(this.url.pathname);
    if (untyped && this.header('inference-header-content-length') !== undefined) {
      this.body = NOT_JSON;
      return;
    }
    if (!untyped) await this.checkMediaType();
    if (!untyped && (media === undefined || !JSON_TYPES.has(media))) {
      this.body = media === undefined ? undefined : NOT_JSON;
      return;
    }
    const text = new TextDecoder().decode(await this.bytes());
    if (/^\s*$/.test(text)) return;
    try {
      this.body = parseJson(text);
    } catch (error) {
      if (error instanceof ContractError) throw error;
      throw badRequest('invalid_json', `Request body is not valid JSON: ${(error as Error).message}`);
    }
  }

  /**
   * The body as a server route sees it whatever its type: parsed JSON, the bytes of an octet-stream body, or the
   * text of a CSV / JSONL body.
   */
  async routeBody(): Promise<unknown> {
    if (this.body !== NOT_JSON) return this.body;
    const bytes = await this.bytes();
    return this.mediaType() === 'application/octet-stream' ? bytes : new TextDecoder().decode(bytes);
  }

  /** `Idempotency-Key`, validated like the server (1–255 printable ASCII characters). */
  idempotencyKey(): string | undefined {
    const key = this.header('idempotency-key');
    if (key === undefined) return undefined;
    if (key.length < 1 || key.length > 255 || !/^[\x20-\x7e]+$/.test(key)) {
      throw invalidParameter('Idempotency-Key header', '1 to 255 printable ASCII characters', key);
    }
    return key;
  }

  /** The server's global media-type gate: a POST with a Content-Type it has no parser for (or a body without one). */
  private async checkMediaType(): Promise<void> {
    const raw = this.header('content-type');
    const media = this.mediaType();
    const unknown = media === undefined ? (await this.bytes()).length > 0 : !PARSED_TYPES.has(media);
    if (unknown) {
      throw new MockError(
        415,
        'unsupported_media_type',
        `Content-Type '${raw ?? '(none)'}' is not supported; this server reads application/json, application/octet-stream, text/csv and application/x-ndjson`,
      );
    }
  }

  private async readBody(): Promise<Uint8Array> {
    const limit = this.bodyLimit;
    const declared = Number(this.header('content-length'));
    if (Number.isFinite(declared) && declared > limit)
      throw payloadTooLarge('Request body', declared, limit, '--max-body-size');
    const bytes = new Uint8Array(await this.request.arrayBuffer());
    if (bytes.length > limit) throw payloadTooLarge('Request body', bytes.length, limit, '--max-body-size');
    return bytes;
  }
}

/** What `RequestContext.json` returns for a body that is not JSON (octet-stream, CSV, JSONL). */
export const NOT_JSON: unique symbol = Symbol('not json');

const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,200}$/;
let requestCounter = 0;

/** The client's `x-request-id` when it is a sane token (as the server echoes it), else a fresh `req_…`. */
export function requestIdFor(request: Request): string {
  const given = request.headers.get('x-request-id');
  if (given !== null && REQUEST_ID.test(given)) return given;
  requestCounter++;
  return `req_${Date.now().toString(16).padStart(12, '0')}${requestCounter.toString(16).padStart(12, '0')}`;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
