import type { FastifyInstance } from 'fastify';
import { parseJsonLossless } from '../../src/protocol/json-tensor.js';

/** A body that came with no Content-Type at all: Triton's own clients send infer requests that way. */
export class UntypedBody {
  constructor(readonly bytes: Buffer) {}
}

/** The routes that read an untyped body (as JSON, or as the binary extension when its header says so). */
const untypedRoutes = new Set([
  '/v2/models/:model/infer',
  '/v2/models/:model/versions/:version/infer',
  '/v1/models/:model(^[^:/]+)::predict',
  '/v1/models/:model/versions/:version(^[^:/]+)::predict',
  '/v1/models/:model/labels/:label(^[^:/]+)::predict',
]);

/** An infer or predict body with no Content-Type: the binary extension when its header is there, else JSON. */
export function readUntyped(body: unknown, binaryHeader: unknown): unknown {
  if (!(body instanceof UntypedBody)) return body;
  if (binaryHeader !== undefined) return body.bytes;
  const text = body.bytes.toString('utf8');
  return /^\s*$/.test(text) ? undefined : parseJsonLossless(text, 'body');
}

/**
 * One parser per media type, each reading the body once:
 * - JSON → parsed (lossless for 16+ digit integers, plain JSON.parse otherwise); an empty body is `undefined`.
 *   `application/x-www-form-urlencoded` is read as JSON too: it is what `curl -d '{...}'` sends.
 * - application/octet-stream → Buffer (binary tensor extension, model uploads).
 * - text/csv, application/x-ndjson → string (dataset uploads).
 * - no Content-Type at all → UntypedBody, for infer and predict only (see readUntyped).
 * Anything else is a 415 (Fastify's FST_ERR_CTP_INVALID_MEDIA_TYPE, mapped by the error handler).
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = body as string;
      if (text.length === 0 || /^\s*$/.test(text)) {
        done(null, undefined);
        return;
      }
      try {
        done(null, parseJsonLossless(text, 'body'));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  app.addContentTypeParser(['text/csv', 'application/x-ndjson'], { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const route = request.routeOptions.url;
    if (request.headers['content-type'] === undefined && route !== undefined && untypedRoutes.has(route)) {
      done(null, new UntypedBody(body as Buffer));
      return;
    }
    done(
      Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }),
      undefined,
    );
  });
}
