import type { components } from '../../../src/generated/openapi.js';
import { BadRequestError } from '../../errors.js';
import type { ServerFeature } from '../../services.js';
import { modelParam } from '../params.js';

type IndexEntry = components['schemas']['RepositoryIndexEntry'];
type ActionResponse = components['schemas']['RepositoryActionResponse'];

/** Triton / MLServer model-repository extension: index, load, unload. */
export const repositoryRoutes: ServerFeature = {
  name: 'oip-repository',
  setup(app, { registry }) {
    app.post('/v2/repository/index', async (request): Promise<IndexEntry[]> => {
      const readyOnly = readyFlag(request.body);
      const entries = await registry.index();
      return entries
        .filter((e) => !readyOnly || e.state === 'READY')
        .map((e) => ({ name: e.name, version: String(e.version), state: e.state, reason: e.reason }));
    });

    app.post('/v2/repository/models/:model/load', async (request): Promise<ActionResponse> => {
      const name = modelParam(request.params);
      objectBody(request.body);
      const loaded = await registry.loadModel(name);
      return { name, loaded_versions: loaded.map(String) };
    });

    app.post('/v2/repository/models/:model/unload', async (request): Promise<ActionResponse> => {
      const name = modelParam(request.params);
      objectBody(request.body);
      await registry.unloadModel(name);
      return { name, loaded_versions: [] };
    });
  },
};

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestError('invalid_input', 'body: expected a JSON object (or no body)');
  }
  return body as Record<string, unknown>;
}

function readyFlag(body: unknown): boolean {
  const ready = objectBody(body).ready;
  if (ready === undefined) return false;
  if (typeof ready !== 'boolean')
    throw new BadRequestError('invalid_input', `ready: expected a boolean, got ${JSON.stringify(ready)}`);
  return ready;
}
