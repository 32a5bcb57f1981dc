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
