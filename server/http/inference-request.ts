import type { FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import { ModelNotFoundError, ServiceUnavailableError } from '../errors.js';
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

/** Aborts when the client goes away before its response is written: a request still queued is dropped. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) {
      controller.abort(
        new ServiceUnavailableError('unavailable', 'The client closed the connection before the model ran'),
      );
    }
  });
  return controller.signal;
}
