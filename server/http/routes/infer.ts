import type { FastifyReply, FastifyRequest } from 'fastify';
import { INFERENCE_HEADER_CONTENT_LENGTH } from '../../../src/protocol/index.js';
import { decodeInferRequest, encodeInferResponse } from '../../../src/protocol/oip-request.js';
import { UnsupportedMediaTypeError } from '../../errors.js';
import type { ServerFeature } from '../../services.js';
import { modelParam, versionParam } from '../params.js';

/** OIP v2 inference: JSON tensors or the binary tensor extension, in and out. Parse once, run, encode once. */
export const inferRoutes: ServerFeature = {
  name: 'oip-infer',
  setup(app, { dataPlane }) {
    const infer = async (request: FastifyRequest, reply: FastifyReply) => {
      const name = modelParam(request.params);
      const version = versionParam(request.params);
      if (typeof request.body === 'string') {
        throw new UnsupportedMediaTypeError(request.headers['content-type'], [
          'application/json',
          'application/octet-stream',
        ]);
      }
      const decoded = decodeInferRequest(request.body, request.headers[INFERENCE_HEADER_CONTENT_LENGTH]);
      const result = await dataPlane.infer(
        name,
        version,
        decoded.inputs,
        decoded.outputs?.map((o) => o.name),
      );
      const encoded = encodeInferResponse(decoded, result);
      reply.header('content-type', encoded.contentType);
      if (encoded.headerLength !== undefined) reply.header(INFERENCE_HEADER_CONTENT_LENGTH, encoded.headerLength);
      const { body } = encoded;
      // Fastify sends a Buffer as raw bytes; a view over the same memory, no copy.
      return reply.send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    };
    app.post('/v2/models/:model/infer', infer);
    app.post('/v2/models/:model/versions/:version/infer', infer);
  },
};
