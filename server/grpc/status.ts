// Failures as gRPC statuses. The error body's facts come from the ONE mapping (http/error-handler.ts mapError, handed over as HttpRules); the
// gRPC code is derived from its HTTP status by one table (src/protocol/grpc/status-codes.ts), and the message is the
// same text the HTTP body carries. The body's code, status and request id travel as trailing metadata.

import type { Metadata } from '@grpc/grpc-js';
import {
  ERROR_CODE_KEY,
  ERROR_STATUS_KEY,
  grpcStatusForHttp,
  REQUEST_ID_KEY,
  RETRY_AFTER_KEY,
} from '../../src/protocol/grpc/status-codes.js';
import type { ServerLogger } from '../services.js';
import type { Grpc } from './grpc-js.js';
import type { MappedError } from './http-rules.js';

/** What grpc-js takes to end a call with an error (`callback(error)`, `call.emit('error', error)`). */
export interface GrpcFailure {
  code: number;
  details: string;
  metadata: Metadata;
}

/** The gRPC status for anything thrown while serving a call; 5xx are logged (their message says nothing inside). */
export function grpcFailure(
  grpc: Grpc,
  mapped: MappedError,
  err: unknown,
  requestId: string,
  log: ServerLogger,
  rpc: string,
): GrpcFailure {
  if (mapped.status >= 500 && mapped.code === 'internal') log.error({ err, reqId: requestId, rpc }, 'gRPC call failed');
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_KEY, mapped.code);
  metadata.set(ERROR_STATUS_KEY, String(mapped.status));
  metadata.set(REQUEST_ID_KEY, requestId);
  const retryAfter = mapped.headers?.['retry-after'];
  if (retryAfter !== undefined) metadata.set(RETRY_AFTER_KEY, retryAfter);
  return { code: grpcStatusForHttp(mapped.status), details: mapped.message, metadata };
}
