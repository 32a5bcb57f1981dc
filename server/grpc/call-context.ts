// What every RPC does before and after its own work: the request id, the API key (the HTTP check, reused), and turning
// a result or a failure into grpc-js's callback. The RPCs themselves only translate to the data plane.

import type { IncomingMessage } from 'node:http';
import type { Metadata, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { REQUEST_ID_KEY } from '../../src/protocol/grpc/status-codes.js';
import { createAuthCheck } from '../http/auth.js';
import { requestIdFor } from '../http/request-id.js';
import type { ServerLogger } from '../services.js';
import type { Grpc } from './grpc-js.js';
import { grpcFailure } from './status.js';

export interface CallContext {
  requestId: string;
  metadata: Metadata;
}

export interface CallPolicy {
  grpc: Grpc;
  apiKeys: readonly string[];
  maxBodySize: number;
  log: ServerLogger;
}

/** First value of a metadata key as a string. */
export function metadataValue(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** The client's `x-request-id` when it is a sane token, else a fresh one (the HTTP rule). */
export function requestIdOf(metadata: Metadata): string {
  const given = metadataValue(metadata, REQUEST_ID_KEY);
  return requestIdFor({ headers: given === undefined ? {} : { [REQUEST_ID_KEY]: given } } as IncomingMessage);
}

export type UnaryHandler<Req> = (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>) => void;

/**
 * Builds the RPCs' wrapper: `open` RPCs (liveness, readiness, server metadata, health) need no API key, like their
 * HTTP routes. A failure ends the call with the gRPC status of the HTTP mapping and the same message.
 */
export function callWrapper(policy: CallPolicy) {
  const auth = createAuthCheck(policy.apiKeys);
  const { grpc, maxBodySize, log } = policy;
  /** Checks the key (throws UnauthorizedError) unless the RPC is open. */
  const authorize = (metadata: Metadata, open: boolean) => {
    if (!open) auth(undefined, metadataValue(metadata, 'authorization'));
  };
  const fail = (err: unknown, requestId: string, rpc: string) =>
    grpcFailure(grpc, err, requestId, maxBodySize, log, rpc);

  function unary<Req>(
    rpc: string,
    open: boolean,
    run: (request: Req, context: CallContext, call: ServerUnaryCall<Req, unknown>) => unknown,
  ): UnaryHandler<Req> {
    return (call, callback) => {
      const requestId = requestIdOf(call.metadata);
      const done = (value: unknown) => {
        const trailer = new grpc.Metadata();
        trailer.set(REQUEST_ID_KEY, requestId);
        callback(null, value, trailer);
      };
      const failed = (err: unknown) => callback(fail(err, requestId, rpc));
      try {
        authorize(call.metadata, open);
        const result = run(call.request, { requestId, metadata: call.metadata }, call);
        if (result instanceof Promise) result.then(done, failed);
        else done(result);
      } catch (err) {
        failed(err);
      }
    };
  }

  return { unary, authorize, fail };
}

export type CallWrapper = ReturnType<typeof callWrapper>;
