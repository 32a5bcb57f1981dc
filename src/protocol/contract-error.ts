// The failures the contract defines, shared by the server and the msw mock. Not part of the SDK's surface.
import type { components } from '../generated/openapi.js';

export type ErrorCode = components['schemas']['ErrorCode'];
export type ErrorDetail = components['schemas']['ErrorDetail'];

/**
 * A failure reported on purpose: the status, `code`, message and details of an `Error` body (plus response headers).
 * The server's MaasServerError and the mock's MockError are this; the shared contract code (training-spec) throws it
 * directly, so both sides reject the same input with the same body.
 */
export class ContractError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

/** Short, safe rendering of a received value for error messages (`…, got 'abc'`). */
export function describeReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 60 ? `'${value.slice(0, 57)}...'` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return 'an object';
}

/**
 * Runs `run`; a 404 it throws is thrown again saying which body field named the thing that was not found
 * (`model: Model 'x' not found`). `field` may depend on the error code (a model or its version).
 */
export function notFoundAt<T>(field: string | ((code: ErrorCode) => string), run: () => T): T {
  const rename = (err: unknown): never => {
    if (err instanceof ContractError && err.status === 404) {
      const at = typeof field === 'string' ? field : field(err.code);
      throw new ContractError(404, err.code, `${at}: ${err.message}`, err.details, err.headers);
    }
    throw err;
  };
  try {
    const out = run();
    // An async `run`: its rejection is renamed too.
    return (out instanceof Promise ? out.catch(rename) : out) as T;
  } catch (err) {
    return rename(err);
  }
}

/** Which field of a body with `model` and `version` a 404 is about. */
export const modelOrVersion = (code: ErrorCode): string => (code === 'version_not_found' ? 'version' : 'model');
