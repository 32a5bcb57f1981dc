import type { FastifyInstance } from 'fastify';
import { parseJsonLossless } from '../../src/protocol/json-tensor.js';

/**
 * One parser per media type, each reading the body once:
 * - JSON → parsed (lossless for 16+ digit integers, plain JSON.parse otherwise); an empty body is `undefined`.
 *   `application/x-www-form-urlencoded` is read as JSON too: it is what `curl -d '{...}'` sends.
 * - application/octet-stream → Buffer (binary tensor extension, model uploads).
 * - text/csv, application/x-ndjson → string (dataset uploads).
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
}
