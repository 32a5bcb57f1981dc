import type { ErrorCode, ErrorDetail } from './types.js';

/**
 * Base class of every error the SDK throws.
 *
 * @example
 * ```ts
 * try {
 *   await client.models.retrieve('nope');
 * } catch (err) {
 *   if (err instanceof MaasError) console.error(err.message);
 * }
 * ```
 */
export class MaasError extends Error {
  override name = 'MaasError';
}

/**
 * The server answered with a non-2xx status. `code` is the contract's stable machine code (when the body is the
 * contract's error body), `requestId` the server's `x-request-id`.
 *
 * @example
 * ```ts
 * try {
 *   await client.trainingJobs.cancel('job_123');
 * } catch (err) {
 *   if (err instanceof APIError && err.code === 'invalid_job_state') console.log('already finished');
 * }
 * ```
 */
export class APIError extends MaasError {
  override name = 'APIError';
  /** HTTP status code. */
  readonly status: number;
  /** Stable machine code from the error body (`model_not_found`, …); undefined when the body was not ours. */
  readonly code: ErrorCode | undefined;
  /** The parsed response body (or its text when it was not JSON). */
  readonly body: unknown;
  /** Response headers. */
  readonly headers: Headers;
  /** The server's `x-request-id` (or the body's `request_id`). */
  readonly requestId: string | undefined;
  /** Per-field details (e.g. the bad rows of a rejected dataset). */
  readonly details: ErrorDetail[] | undefined;

  constructor(status: number, body: unknown, message: string | undefined, headers: Headers) {
    const fields = errorFields(body);
    const requestId = headers.get('x-request-id') ?? fields.requestId;
    super(formatMessage(status, fields.message ?? message, fields.code, requestId, fields.details));
    this.status = status;
    this.code = fields.code;
    this.body = body;
    this.headers = headers;
    this.requestId = requestId;
    this.details = fields.details;
  }

  /**
   * The one factory: picks the subclass for the status.
   *
   * @example
   * ```ts
   * const err = APIError.generate(404, { error: 'no', code: 'model_not_found', status: 404, request_id: 'r1' }, undefined, new Headers());
   * err instanceof NotFoundError; // true
   * ```
   */
  static generate(status: number, body: unknown, message: string | undefined, headers: Headers): APIError {
    const Class = errorClassForStatus(status);
    return new Class(status, body, message, headers);
  }
}

/** 400 — the request was malformed. @example `catch (e) { if (e instanceof BadRequestError) console.log(e.code); }` */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
/** 401 — missing or wrong API key. @example `catch (e) { if (e instanceof AuthenticationError) askForKey(); }` */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
/** 403 — the key may not do this. @example `catch (e) { if (e instanceof PermissionDeniedError) … }` */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
/** 404 — no such model, version, dataset, job or route. @example `catch (e) { if (e instanceof NotFoundError) return null; }` */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
/** 409 — wrong state, or an Idempotency-Key reused with another body. @example `catch (e) { if (e instanceof ConflictError) … }` */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
/** 413 — the body is over the server's limit. @example `catch (e) { if (e instanceof PayloadTooLargeError) … }` */
export class PayloadTooLargeError extends APIError {
  override name = 'PayloadTooLargeError';
}
/**
 * 422 — well-formed but unusable (invalid ONNX, bad dataset rows). The message shows the first `details` (e.g.
 * `line 3, column 'x': …`); `.details` has them all. @example `catch (e) { if (e instanceof UnprocessableEntityError) console.table(e.details); }`
 */
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
/** 429 — rate limited (retried automatically first). @example `catch (e) { if (e instanceof RateLimitError) … }` */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
/** 5xx — the server failed. @example `catch (e) { if (e instanceof InternalServerError) console.log(e.requestId); }` */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}
/** 503 — the server or model is not ready. @example `catch (e) { if (e instanceof ServiceUnavailableError) … }` */
export class ServiceUnavailableError extends InternalServerError {
  override name = 'ServiceUnavailableError';
}

/**
 * The request never got an HTTP answer (refused, reset, DNS, TLS…). `cause` holds the underlying error.
 *
 * @example
 * ```ts
 * try {
 *   await client.server.live();
 * } catch (e) {
 *   if (e instanceof APIConnectionError) console.log('server unreachable', e.cause);
 * }
 * ```
 */
export class APIConnectionError extends MaasError {
  override name = 'APIConnectionError';
  constructor(message = 'Connection error.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * An attempt took longer than the timeout (after the retries allowed).
 *
 * @example
 * ```ts
 * try {
 *   await client.models.infer('mnist', { inputs: { image: { data: new Float32Array(784), shape: [1, 784] } } }, { timeout: 1_000 });
 * } catch (e) {
 *   if (e instanceof APITimeoutError) console.log('try a larger timeout');
 * }
 * ```
 */
export class APITimeoutError extends APIConnectionError {
  override name = 'APITimeoutError';
  constructor(message = 'Request timed out.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The caller's `AbortSignal` fired. Never retried.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * const firstPage = client.models.list({}, { signal: ac.signal }).page();
 * ac.abort();
 * await firstPage.catch((e) => e instanceof APIUserAbortError); // true
 * ```
 */
export class APIUserAbortError extends MaasError {
  override name = 'APIUserAbortError';
  constructor(message = 'Request was aborted.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A 2xx response whose body could not be read as what the operation returns (e.g. HTML where JSON was expected).
 *
 * @example
 * ```ts
 * try {
 *   await client.models.list().page();
 * } catch (e) {
 *   if (e instanceof InvalidResponseError) console.log(e.status, e.bodyText);
 * }
 * ```
 */
export class InvalidResponseError extends MaasError {
  override name = 'InvalidResponseError';
  constructor(
    message: string,
    readonly status: number,
    readonly bodyText: string,
    readonly requestId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Arguments rejected by the SDK before any request was sent (e.g. tensor data that does not match its shape).
 *
 * @example
 * ```ts
 * try {
 *   await client.models.infer('iris', { inputs: { x: { data: new Float32Array(3), shape: [1, 4] } } });
 * } catch (e) {
 *   if (e instanceof InvalidInputError) console.log(e.field, e.message); // inputs.x.data: expected 4 values …
 * }
 * ```
 */
export class InvalidInputError extends MaasError {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function errorClassForStatus(status: number): typeof APIError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 413:
      return PayloadTooLargeError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    case 503:
      return ServiceUnavailableError;
    default:
      return status >= 500 ? InternalServerError : APIError;
  }
}

interface ErrorFields {
  message: string | undefined;
  code: ErrorCode | undefined;
  requestId: string | undefined;
  details: ErrorDetail[] | undefined;
}

// Reads our error body, and tolerates OIP servers (`{ error }`) and TF Serving (`{ error }`) as well as plain text.
function errorFields(body: unknown): ErrorFields {
  if (body === null || typeof body !== 'object') {
    const text = typeof body === 'string' ? body.trim().slice(0, 500) : undefined;
    return { message: text || undefined, code: undefined, requestId: undefined, details: undefined };
  }
  const record = body as Record<string, unknown>;
  return {
    message: typeof record.error === 'string' ? record.error : undefined,
    code: typeof record.code === 'string' ? (record.code as ErrorCode) : undefined,
    requestId: typeof record.request_id === 'string' ? record.request_id : undefined,
    details: Array.isArray(record.details) ? (record.details as ErrorDetail[]) : undefined,
  };
}

/** How many of an error's `details` its message shows (all of them stay in `.details`). */
const DETAILS_IN_MESSAGE = 3;

function formatMessage(
  status: number,
  message: string | undefined,
  code: string | undefined,
  requestId: string | undefined,
  details: ErrorDetail[] | undefined,
) {
  const head = code ? `${status} ${code}` : `${status}`;
  const tail = requestId ? ` (request ${requestId})` : '';
  return `${head}: ${message ?? 'status code with no body'}${describeDetails(details, message)}${tail}`;
}

/** `: line 3, column 'x': expected a number, got 'abc'; line 5, …; and 12 more`, or '' when there are none. */
function describeDetails(details: ErrorDetail[] | undefined, message: string | undefined): string {
  if (!details || details.length === 0) return '';
  const shown: string[] = [];
  for (const detail of details.slice(0, DETAILS_IN_MESSAGE)) {
    if (typeof detail?.message !== 'string') continue;
    const where: string[] = [];
    if (typeof detail.line === 'number') where.push(`line ${detail.line}`);
    if (typeof detail.column === 'string') where.push(`column '${detail.column}'`);
    if (typeof detail.field === 'string') where.push(detail.field);
    const text = where.length > 0 ? `${where.join(', ')}: ${detail.message}` : detail.message;
    // A summary that already quotes its only problem ("Dataset is invalid: …") need not say it twice.
    if (!message?.includes(text)) shown.push(text);
  }
  if (shown.length === 0) return '';
  const more = details.length - Math.min(details.length, DETAILS_IN_MESSAGE);
  return `: ${shown.join('; ')}${more > 0 ? `; and ${more} more (see .details)` : ''}`;
}
