import type { components } from '../src/generated/openapi.js';

export type ErrorCode = components['schemas']['ErrorCode'];
export type ErrorDetail = components['schemas']['ErrorDetail'];

/**
 * Every failure the server reports on purpose. `server/http/error-handler.ts` is the one place that turns it
 * (and anything else thrown) into the `Error` body of openapi.yaml.
 */
export class MaasServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'MaasServerError';
  }
}

export class BadRequestError extends MaasServerError {
  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(400, code, message, details);
  }
}

export class InvalidParameterError extends BadRequestError {
  constructor(field: string, expected: string, received: unknown) {
    super('invalid_parameter', `${field}: expected ${expected}, got ${describe(received)}`);
  }
}

export class UnauthorizedError extends MaasServerError {
  constructor(message = 'Missing or invalid API key: send Authorization: Bearer <key>') {
    super(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' });
  }
}

export class NotFoundError extends MaasServerError {
  constructor(code: ErrorCode, message: string) {
    super(404, code, message);
  }
}

export class ModelNotFoundError extends NotFoundError {
  constructor(model: string) {
    super('model_not_found', `Model '${model}' not found`);
  }
}

export class VersionNotFoundError extends NotFoundError {
  constructor(model: string, version: string) {
    super('version_not_found', `Model '${model}' has no version ${version}`);
  }
}

export class ConflictError extends MaasServerError {
  constructor(code: ErrorCode, message: string) {
    super(409, code, message);
  }
}

export class PayloadTooLargeError extends MaasServerError {
  constructor(what: string, size: number | undefined, limit: number, setting: string) {
    const got = size === undefined ? 'larger than that' : `${size} bytes`;
    super(413, 'payload_too_large', `${what} is ${got}; the limit is ${limit} bytes (${setting})`);
  }
}

export class UnsupportedMediaTypeError extends MaasServerError {
  constructor(received: string | undefined, expected: string[]) {
    super(
      415,
      'unsupported_media_type',
      `Content-Type '${received ?? '(none)'}' is not supported here; expected ${expected.join(' or ')}`,
    );
  }
}

export class UnprocessableError extends MaasServerError {
  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(422, code, message, details);
  }
}

export class ServiceUnavailableError extends MaasServerError {
  constructor(code: ErrorCode, message: string, retryAfterSeconds?: number) {
    super(
      503,
      code,
      message,
      undefined,
      retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

/** Short, safe rendering of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 60 ? `'${value.slice(0, 57)}...'` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return 'an object';
}

export class ModelNotReadyError extends ServiceUnavailableError {
  constructor(model: string, version: number | string | undefined, state: string, reason = '') {
    const which = version === undefined ? `Model '${model}'` : `Model '${model}' version ${version}`;
    super('model_not_ready', `${which} is not ready (state ${state})${reason ? `: ${reason}` : ''}`);
  }
}
