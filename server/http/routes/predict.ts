import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringifyJson } from '../../../src/protocol/index.js';
import { BadRequestError, NotFoundError, UnsupportedMediaTypeError } from '../../errors.js';
import { noteServedVersion } from '../../observability/http.js';
import type { ServerFeature } from '../../services.js';
import { readUntyped } from '../body-parsers.js';
import { clientGone, modelMustExist } from '../inference-request.js';
import { modelParam, routingKey, versionRef } from '../params.js';

/** TensorFlow Serving's REST `:predict`, row and columnar formats. `::` is a literal colon in Fastify paths. */
export const predictRoutes: ServerFeature = {
  name: 'tf-serving-predict',
  setup(app, { dataPlane, registry }) {
    const predict = async (request: FastifyRequest, reply: FastifyReply) => {
      const name = modelParam(request.params);
      const { version: requested, label } = versionRef(request.params);
      const body = readUntyped(request.body, undefined);
      if (Buffer.isBuffer(body) || typeof body === 'string') {
        throw new UnsupportedMediaTypeError(request.headers['content-type'], ['application/json']);
      }
      if (body === undefined) {
        throw new BadRequestError(
          'invalid_json',
          'Request body is empty; expected {"instances": [...]} or {"inputs": ...}',
        );
      }
      const answered = await dataPlane.predict(name, requested, body, {
        signal: clientGone(reply),
        label,
        routingKey: routingKey(request.headers),
      });
      noteServedVersion(request, answered.version);
      reply.header('content-type', 'application/json; charset=utf-8');
      // TF Serving's response has no version field: say which version answered in a header.
      reply.header('x-model-version', answered.version);
      return reply.send(stringifyJson(answered.response));
    };
    // find-my-way only ends a parameter at `::predict` when the parameter has a regexp; without one the colon
    // becomes part of the parameter's name.
    const options = { preParsing: modelMustExist(registry) };
    app.post('/v1/models/:model(^[^:/]+)::predict', options, predict);
    app.post('/v1/models/:model/versions/:version(^[^:/]+)::predict', options, predict);
    app.post('/v1/models/:model/labels/:label(^[^:/]+)::predict', options, predict);

    // TF Serving's other two verbs work on tf.Example protos, which an ONNX model has no use for: say so.
    for (const verb of ['classify', 'regress']) {
      const notSupported = async () => {
        throw new NotFoundError(
          'not_found',
          `TF Serving's :${verb} is not supported (it takes tf.Example inputs); send the same features to :predict, as rows ({"instances": [...]}) or columns ({"inputs": {...}})`,
        );
      };
      app.post(`/v1/models/:model(^[^:/]+)::${verb}`, notSupported);
      app.post(`/v1/models/:model/versions/:version(^[^:/]+)::${verb}`, notSupported);
    }
  },
};
