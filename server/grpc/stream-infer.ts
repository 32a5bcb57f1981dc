// ModelStreamInfer: a bidirectional stream of ModelInferRequests. Each message runs as its own request through the data
// plane (so a stream's messages batch with each other and with HTTP requests); its answer is written when it is ready
// (responses carry the request's `id`). A failed message is answered with `error_message` and the stream goes on.
// The stream ends once the client has ended its side and every message is answered.

import type { ServerDuplexStream } from '@grpc/grpc-js';
import { encodeStreamError } from '../../src/protocol/grpc/infer-messages.js';
import { ServiceUnavailableError } from '../errors.js';
import type { CallWrapper } from './call-context.js';
import { type InferenceServiceDeps, routingKeyOf, runInfer } from './inference-service.js';

export interface OpenStreams {
  /** Ends every stream once its messages are answered (shutdown); later messages get UNAVAILABLE. */
  closeAll(): void;
  readonly size: number;
}

const RPC = 'ModelStreamInfer';
const SHUTTING_DOWN = 'The server is shutting down; open a new stream (to another replica) and send the request again';

export function streamInfer(
  deps: InferenceServiceDeps & { maxBodySize: number },
  wrap: CallWrapper,
): { handler: (call: ServerDuplexStream<Buffer, Uint8Array>) => void; streams: OpenStreams } {
  const open = new Set<{ close(): void }>();
  let closing = false;

  const handler = (call: ServerDuplexStream<Buffer, Uint8Array>) => {
    const requestId = wrap.requestIdOf(call.metadata);
    try {
      wrap.authorize(call.metadata, false);
    } catch (err) {
      call.emit('error', wrap.fail(err, requestId, RPC));
      return;
    }
    const routingKey = routingKeyOf(deps.rules, call.metadata);
    const controller = new AbortController();
    let pending = 0;
    let clientDone = false;
    let finished = false;
    const finish = (shutdown: boolean) => {
      if (finished) return;
      finished = true;
      open.delete(stream);
      if (shutdown)
        call.emit('error', wrap.fail(new ServiceUnavailableError('unavailable', SHUTTING_DOWN), requestId, RPC));
      else call.end();
    };
    const settle = () => {
      if (pending === 0 && (clientDone || closing)) finish(!clientDone);
    };
    const stream = { close: settle };
    open.add(stream);

    call.on('data', (bytes: Buffer) => {
      if (finished) return;
      pending++;
      const answer = closing
        ? Promise.reject(new ServiceUnavailableError('unavailable', SHUTTING_DOWN))
        : runInfer(deps, bytes, routingKey, controller.signal, true);
      answer
        .then(
          (encoded) => {
            wrap.count(RPC, 200);
            call.write(encoded);
          },
          (err: unknown) => {
            if (finished) return;
            // The same message a unary call would get (counted and, if internal, logged alike), in error_message.
            call.write(encodeStreamError(wrap.fail(err, requestId, RPC).details));
          },
        )
        .finally(() => {
          pending--;
          settle();
        });
    });
    call.on('end', () => {
      clientDone = true;
      settle();
    });
    call.on('cancelled', () => {
      controller.abort(
        new ServiceUnavailableError('unavailable', 'The client cancelled the stream before the model ran'),
      );
      finished = true;
      open.delete(stream);
    });
    call.on('error', () => {
      // A broken stream (the client went away): what is in flight is dropped by the abort above.
    });
  };

  return {
    handler,
    streams: {
      closeAll() {
        closing = true;
        for (const stream of [...open]) stream.close();
      },
      get size() {
        return open.size;
      },
    },
  };
}
