import type { components } from '../../../src/generated/openapi.js';
import { checkModelUpdate, describeUpdate } from '../../../src/protocol/model-update.js';
import { BadRequestError, UnsupportedMediaTypeError } from '../../errors.js';
import type { ModelStatus } from '../../inference/registry.js';
import type { ServerFeature } from '../../services.js';
import { idempotencyKeyFrom, requestFingerprint } from '../idempotency.js';
import { listBody, pageOfSorted } from '../list-page.js';
import { boundedInteger, modelParam, pageParams, stringQuery, versionParam } from '../params.js';
import { modelBody, modelEventBody, modelVersionBody, routingChange } from '../wire.js';

type ModelList = components['schemas']['ModelList'];
type ModelVersion = components['schemas']['ModelVersion'];
type ModelVersionDeleted = components['schemas']['ModelVersionDeleted'];

/** Our models API: list, retrieve, upload a version, retrieve and delete a version. */
export const modelsRoutes: ServerFeature = {
  name: 'models',
  setup(app, services) {
    const { registry, router, shadow } = services;
    const withRouting = (status: ModelStatus) => modelBody(status, router.routing(status.name));

    app.get('/v1/models', async (request): Promise<ModelList> => {
      const page = pageOfSorted(registry.listModels(), pageParams(request.query), (m) => m.name);
      return listBody({ items: page.items.map(withRouting), hasMore: page.hasMore }, (m) => m.name);
    });

    app.get('/v1/models/:model', async (request) => withRouting(registry.requireModel(modelParam(request.params))));

    app.patch('/v1/models/:model', async (request) => {
      const name = modelParam(request.params);
      registry.requireModel(name);
      const update = checkModelUpdate(request.body);
      const { routing } = await router.update(name, routingChange(update), describeUpdate(update));
      if (update.shadow !== undefined) shadow.reset(name);
      return modelBody(registry.requireModel(name), routing);
    });

    app.get('/v1/models/:model/events', async (request) => {
      const name = modelParam(request.params);
      const q = (request.query ?? {}) as Record<string, unknown>;
      const after = q.after === undefined ? 0 : boundedInteger(q.after, 'after', 0, Number.MAX_SAFE_INTEGER);
      const limit = q.limit === undefined ? 100 : boundedInteger(q.limit, 'limit', 1, 1000);
      const rows = await router.events(name, after, limit + 1);
      const page = { items: rows.slice(0, limit).map(modelEventBody), hasMore: rows.length > limit };
      return listBody(page, (e) => String(e.id), { cursorOnLastPage: true });
    });

    app.get('/v1/models/:model/shadow', async (request) => {
      const name = modelParam(request.params);
      registry.requireModel(name);
      return shadow.report(name, router.routing(name).shadow);
    });

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
