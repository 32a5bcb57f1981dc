import {
  ContractError,
  describeReceived as describe,
  type ErrorCode,
  type ErrorDetail,
} from '../src/protocol/contract-error.js';
import { didYouMean } from '../src/protocol/suggest.js';

export type { ErrorCode, ErrorDetail } from '../src/protocol/contract-error.js';

/**
 * Every failure the server reports on purpose. `server/http/error-handler.ts` is the one place that turns it
 * (and anything else thrown) into the `Error` body of openapi.yaml.
 */
export class MaasServerError extends ContractError {
  override name = 'MaasServerError';
}

/** Runs shared contract code (src/protocol), so that what it rejects is a MaasServerError like every server failure. */
export function asServerError<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof ContractError && !(err instanceof MaasServerError)) {
      throw new MaasServerError(err.status, err.code, err.message, err.details, err.headers);
    }
    throw err;
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
  /** `known`: the models there are, to suggest near matches of a mistyped name. */
  constructor(model: string, known: Iterable<string> = []) {
    super('model_not_found', `Model '${model}' not found.${didYouMean(model, known)}`.replace(/\.$/, ''));
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

export class ModelNotReadyError extends ServiceUnavailableError {
  constructor(model: string, version: number | string | undefined, state: string, reason = '') {
    const which = version === undefined ? `Model '${model}'` : `Model '${model}' version ${version}`;
    super('model_not_ready', `${which} is not ready (state ${state})${reason ? `: ${reason}` : ''}`);
  }
}
