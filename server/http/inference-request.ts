import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import { ModelNotFoundError, ServiceUnavailableError } from '../errors.js';
import type { Cancellation } from '../inference/onnx-model.js';
import type { ModelRegistry } from '../inference/registry.js';
import { modelParam } from './params.js';

/** preParsing hook: an unknown model is a 404 before its body is read (so a bad body does not turn it into a 400). */
export function modelMustExist(registry: ModelRegistry): preParsingHookHandler {
  return (request: FastifyRequest, _reply, payload, done) => {
    let name: string;
    try {
      name = modelParam(request.params);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    if (!registry.has(name)) {
      done(
        new ModelNotFoundError(
          name,
          registry.listModels().map((m) => m.name),
        ),
        undefined,
      );
      return;
    }
    done(null, payload);
  };
}

/**
 * Aborts when the client goes away before its response is written: a request still queued is dropped. Lazy: nothing
 * is attached to the response until the engine listens (only a request that waits in a batcher's queue does).
 */
export function clientGone(reply: FastifyReply): Cancellation {
  return new ClientGone(reply.raw);
}

class ClientGone implements Cancellation {
  private readonly listeners = new Map<() => void, () => void>();

  constructor(private readonly response: ServerResponse) {}

  get aborted(): boolean {
    const { socket } = this.response;
    return !this.response.writableFinished && (socket === null || socket.destroyed);
  }

  get reason(): ServiceUnavailableError {
    return new ServiceUnavailableError('unavailable', 'The client closed the connection before the model ran');
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    const onClose = () => {
      this.listeners.delete(listener);
      if (!this.response.writableFinished) listener();
    };
    this.listeners.set(listener, onClose);
    this.response.once('close', onClose);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const onClose = this.listeners.get(listener);
    if (!onClose) return;
    this.listeners.delete(listener);
    this.response.off('close', onClose);
  }
}
