// A failed gRPC call as the SDK's typed errors — the same classes, codes and messages an HTTP call would raise, so
// `catch (e) { if (e instanceof NotFoundError) … }` does not care which transport carried the call.

import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError, type MaasError } from '../errors.js';
import {
  ERROR_CODE_KEY,
  ERROR_STATUS_KEY,
  GrpcStatus,
  httpStatusForGrpc,
  REQUEST_ID_KEY,
} from '../protocol/grpc/status-codes.js';
import type { UnaryFailure } from './channel.js';

/** The gRPC failure as a MaasError: APIError subclasses for answers, connection/timeout/abort errors otherwise. */
export function errorFromGrpc(failure: UnaryFailure, aborted: boolean, address: string): MaasError {
  if (aborted) return new APIUserAbortError(undefined, { cause: failure });
  const told = failure.metadata[ERROR_STATUS_KEY];
  if (told === undefined) {
    if (failure.code === GrpcStatus.DEADLINE_EXCEEDED) return new APITimeoutError(undefined, { cause: failure });
    if (failure.connection) {
      return new APIConnectionError(`Connection error: ${failure.details} (gRPC ${address})`, { cause: failure });
    }
  }
  const status = told === undefined ? httpStatusForGrpc(failure.code) : Number(told);
  const code = failure.metadata[ERROR_CODE_KEY];
  const requestId = failure.metadata[REQUEST_ID_KEY];
  // The error body the HTTP API would have sent, rebuilt from the status message and the trailers.
  const body = {
    error: failure.details,
    ...(code === undefined ? {} : { code }),
    status,
    ...(requestId === undefined ? {} : { request_id: requestId }),
  };
  return APIError.generate(status, body, failure.details, new Headers(failure.metadata));
}
