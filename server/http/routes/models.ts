import type { components } from '../../../src/generated/openapi.js';
import { BadRequestError, UnsupportedMediaTypeError } from '../../errors.js';
import type { ServerFeature } from '../../services.js';
import { idempotencyKeyFrom, requestFingerprint } from '../idempotency.js';
import { listBody, pageOfSorted } from '../list-page.js';
import { modelParam, pageParams, stringQuery, versionParam } from '../params.js';
import { modelBody, modelVersionBody } from '../wire.js';

type ModelList = components['schemas']['ModelList'];
type ModelVersion = components['schemas']['ModelVersion'];
type ModelVersionDeleted = components['schemas']['ModelVersionDeleted'];

/** Our models API: list, retrieve, upload a version, retrieve and delete a version. */
export const modelsRoutes: ServerFeature = {
  name: 'models',
  setup(app, services) {
    const { registry } = services;

    app.get('/v1/models', async (request): Promise<ModelList> => {
      const page = pageOfSorted(registry.listModels(), pageParams(request.query), (m) => m.name);
      return listBody({ items: page.items.map(modelBody), hasMore: page.hasMore }, (m) => m.name);
    });

    app.get('/v1/models/:model', async (request) => modelBody(registry.requireModel(modelParam(request.params))));

    app.post('/v1/models/:model/versions', async (request, reply) => {
      const name = modelParam(request.params);
      const description = stringQuery(request.query, 'description', 1000);
      const key = idempotencyKeyFrom(request.headers);
      const body = request.body;
      if (!Buffer.isBuffer(body)) {
        if (body === undefined && request.headers['content-type'] === undefined) {
          throw new BadRequestError(
            'invalid_input',
            'body: expected the ONNX model file as application/octet-stream, got no body',
          );
        }
        throw new UnsupportedMediaTypeError(request.headers['content-type'], ['application/octet-stream']);
      }
      if (body.length === 0) {
        throw new BadRequestError('invalid_input', 'body: expected the ONNX model file, got 0 bytes');
      }
      const fingerprint = requestFingerprint([name, description ?? '', body]);
      const result = await services.idempotency.run<ModelVersion>('uploadModelVersion', key, fingerprint, async () => {
        const options =
          description === undefined ? { source: 'upload' as const } : { source: 'upload' as const, description };
        const status = await registry.addVersion(name, body, options);
        return { status: 201, body: modelVersionBody(status) };
      });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.status).send(result.body);
    });

    app.get('/v1/models/:model/versions/:version', async (request): Promise<ModelVersion> => {
      const name = modelParam(request.params);
      const version = versionParam(request.params)!;
      return modelVersionBody(registry.requireVersion(name, version));
    });

    app.delete('/v1/models/:model/versions/:version', async (request): Promise<ModelVersionDeleted> => {
      const name = modelParam(request.params);
      const version = versionParam(request.params)!;
      await registry.deleteVersion(name, version);
      return { object: 'model.version.deleted', model: name, version: String(version), deleted: true };
    });
  },
};
