// What every RPC does before and after its own work: the request id, the API key (the HTTP check, reused), and turning
// a result or a failure into grpc-js's callback. The RPCs themselves only translate to the data plane.

import type { Metadata, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { REQUEST_ID_KEY } from '../../src/protocol/grpc/status-codes.js';
import type { ServerLogger } from '../services.js';
import type { Grpc } from './grpc-js.js';
import type { HttpRules } from './http-rules.js';
import { grpcFailure } from './status.js';

export interface CallContext {
  requestId: string;
  metadata: Metadata;
}

export interface CallPolicy {
  grpc: Grpc;
  rules: HttpRules;
  /** Counts one answered call (or stream message) by RPC and the HTTP status its outcome maps to. */
  count: (rpc: string, status: number) => void;
  maxBodySize: number;
  log: ServerLogger;
}

/** First value of a metadata key as a string. */
export function metadataValue(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

export type UnaryHandler<Req> = (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>) => void;

/**
 * Builds the RPCs' wrapper: `open` RPCs (liveness, readiness, server metadata, health) need no API key, like their
 * HTTP routes. A failure ends the call with the gRPC status of the HTTP mapping and the same message.
 */
export function callWrapper(policy: CallPolicy) {
  const { grpc, rules, maxBodySize, log, count } = policy;
  /** Checks the key (throws UnauthorizedError) unless the RPC is open. */
  const authorize = (metadata: Metadata, open: boolean) => {
    rules.authorize(open, metadataValue(metadata, 'authorization'));
  };
  /** The client's `x-request-id` when it is a sane token, else a fresh one (the HTTP rule). */
  const requestIdOf = (metadata: Metadata) => rules.requestId(metadataValue(metadata, REQUEST_ID_KEY));
  const fail = (err: unknown, requestId: string, rpc: string) => {
    const mapped = rules.mapError(err, maxBodySize);
    count(rpc, mapped.status);
    return grpcFailure(grpc, mapped, err, requestId, log, rpc);
  };

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
        count(rpc, 200);
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

  return { unary, authorize, requestIdOf, fail, count, rules };
}

export type CallWrapper = ReturnType<typeof callWrapper>;
