import type { FastifyReply, FastifyRequest } from 'fastify';
import { isProtocolError } from '../../../src/protocol/errors.js';
import { INFERENCE_HEADER_CONTENT_LENGTH } from '../../../src/protocol/index.js';
import { decodeInferRequest, encodeInferResponse } from '../../../src/protocol/oip-request.js';
import { BadRequestError, UnsupportedMediaTypeError } from '../../errors.js';
import { noteServedVersion } from '../../observability/http.js';
import type { ServerFeature } from '../../services.js';
import { readUntyped } from '../body-parsers.js';
import { clientGone, modelMustExist } from '../inference-request.js';
import { modelParam, routingKey, versionRef } from '../params.js';

/**
 * Decodes the body. A binary body (octet-stream) without Inference-Header-Content-Length is read as JSON alone, as
 * Triton does; when that fails, the likely cause is the missing header, so the error says that.
 */
function decodeOrExplain(body: unknown, headerLength: string | string[] | undefined) {
  try {
    return decodeInferRequest(body, headerLength);
  } catch (err) {
    if (Buffer.isBuffer(body) && headerLength === undefined && isProtocolError(err) && err.code === 'invalid_json') {
      throw new BadRequestError(
        'invalid_input',
        `Inference-Header-Content-Length header: missing. A binary infer body (application/octet-stream) is a JSON header followed by raw tensor bytes; send the JSON header's length in bytes in Inference-Header-Content-Length (or send JSON alone as application/json). Reading the body as JSON failed: ${err.message}`,
      );
    }
    throw err;
  }
}

/** OIP v2 inference: JSON tensors or the binary tensor extension, in and out. Parse once, run, encode once. */
export const inferRoutes: ServerFeature = {
  name: 'oip-infer',
  setup(app, { dataPlane, registry }) {
    const infer = async (request: FastifyRequest, reply: FastifyReply) => {
      const name = modelParam(request.params);
      const { version, label } = versionRef(request.params);
      if (typeof request.body === 'string') {
        throw new UnsupportedMediaTypeError(request.headers['content-type'], [
          'application/json',
          'application/octet-stream',
        ]);
      }
      const headerLength = request.headers[INFERENCE_HEADER_CONTENT_LENGTH];
      const decoded = decodeOrExplain(readUntyped(request.body, headerLength), headerLength);
      const result = await dataPlane.infer(
        name,
        version,
        decoded.inputs,
        decoded.outputs?.map((o) => o.name),
        { signal: clientGone(reply), label, routingKey: routingKey(request.headers) },
      );
      noteServedVersion(request, result.modelVersion);
      const encoded = encodeInferResponse(decoded, result);
      reply.header('content-type', encoded.contentType);
      if (encoded.headerLength !== undefined) reply.header(INFERENCE_HEADER_CONTENT_LENGTH, encoded.headerLength);
      const { body } = encoded;
      // Fastify sends a Buffer as raw bytes; a view over the same memory, no copy.
      return reply.send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    };
    // An unknown model is a 404 whatever the body: checked before the body is read.
    const options = { preParsing: modelMustExist(registry) };
    app.post('/v2/models/:model/infer', options, infer);
    app.post('/v2/models/:model/versions/:version/infer', options, infer);
  },
};
