// The one `Error` body of openapi.yaml, built the same way by the server's error handler and the msw mock.
import type { components } from '../generated/openapi.js';
import type { ErrorCode, ErrorDetail } from './contract-error.js';

export type ErrorBody = components['schemas']['Error'];

/** What a failure says: a ContractError, or the server's mapping of anything else thrown. */
export interface ErrorFacts {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: ErrorDetail[] | undefined;
}

/** `{ error, code, status, request_id, details? }`; `details` only when there is at least one. */
export function errorBody(failure: ErrorFacts, requestId: string): ErrorBody {
  const body: ErrorBody = { error: failure.message, code: failure.code, status: failure.status, request_id: requestId };
  if (failure.details && failure.details.length > 0) body.details = failure.details;
  return body;
}
