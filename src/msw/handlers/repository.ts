import { json } from '../context.js';
import { badRequest } from '../errors.js';
import { modelParam } from '../params.js';
import type { RouteDef } from '../router.js';
import type { RepositoryActionResponse } from '../types.js';

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body instanceof Uint8Array) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('invalid_input', 'body: expected a JSON object (or no body)');
  }
  return body as Record<string, unknown>;
}

export const repositoryRoutes: RouteDef[] = [
  {
    operationId: 'repositoryIndex',
    method: 'POST',
    path: '/v2/repository/index',
    handle: async (ctx) => {
      const ready = objectBody(await ctx.routeBody()).ready;
      if (ready !== undefined && typeof ready !== 'boolean') {
        throw badRequest('invalid_input', `ready: expected a boolean, got ${JSON.stringify(ready)}`);
      }
      return json(ctx.state.models.index(ready === true));
    },
  },
  {
    operationId: 'repositoryModelLoad',
    method: 'POST',
    path: '/v2/repository/models/:model/load',
    handle: async (ctx) => {
      const name = modelParam(ctx);
      objectBody(await ctx.routeBody());
      const body: RepositoryActionResponse = { name, loaded_versions: ctx.state.models.load(name) };
      return json(body);
    },
  },
  {
    operationId: 'repositoryModelUnload',
    method: 'POST',
    path: '/v2/repository/models/:model/unload',
    handle: async (ctx) => {
      const name = modelParam(ctx);
      objectBody(await ctx.routeBody());
      ctx.state.models.unload(name);
      const body: RepositoryActionResponse = { name, loaded_versions: [] };
      return json(body);
    },
  },
];
