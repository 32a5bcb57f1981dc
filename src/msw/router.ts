import { type HttpHandler, http } from 'msw';
import { ContractError } from '../protocol/contract-error.js';
import { RequestContext, type ResolvedOptions, requestIdFor } from './context.js';
import { errorResponse, MockError, unauthorized } from './errors.js';
import type { MaasMockState } from './state.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteDef {
  /** The openapi.yaml operation this answers. */
  operationId: string;
  method: Method;
  /** Path under the base URL in msw syntax (`:param`, `\\:` for a literal colon). */
  path: string;
  /** Open with API keys on (health, server metadata, the contract), as on the server. */
  open?: boolean;
  /** The body may be up to `maxDatasetBytes` (dataset uploads) instead of `maxBodyBytes`. */
  largeBody?: boolean;
  handle(ctx: RequestContext): Response | Promise<Response>;
}

export interface Runtime {
  state: MaasMockState;
  options: ResolvedOptions;
  parseJson: (text: string) => unknown;
}

/** One msw handler per operation, then one that answers every other path under the base URL like the server. */
export function buildHandlers(routes: readonly RouteDef[], runtime: Runtime): HttpHandler[] {
  const base = runtime.options.baseUrl;
  const handlers = routes.map((route) => {
    const register = { GET: http.get, POST: http.post, PATCH: http.patch, DELETE: http.delete }[route.method];
    return register(`${base}${route.path}`, ({ request, params }) =>
      answer(runtime, request, params, route, route.handle),
    );
  });
  const patterns = routes.map((r) => ({ method: r.method, pattern: pathPattern(r.path) }));
  handlers.push(
    http.all(`${base}/*`, ({ request, params }) =>
      answer(runtime, request, params, {}, (ctx) => {
        const path = relativePath(ctx.url, base);
        const allowed = [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
        const method = ctx.request.method;
        if (allowed.length > 0) {
          throw new MockError(
            405,
            'method_not_allowed',
            `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
            undefined,
            { allow: allowed.join(', ') },
          );
        }
        throw new MockError(404, 'not_found', `No route ${method} ${path}`);
      }),
    ),
  );
  return handlers;
}

async function answer(
  runtime: Runtime,
  request: Request,
  params: Record<string, string | readonly string[] | undefined>,
  route: Pick<RouteDef, 'open' | 'largeBody'>,
  handle: RouteDef['handle'],
): Promise<Response> {
  const requestId = requestIdFor(request);
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') flat[k] = v;
  const limit = route.largeBody ? Math.max(runtime.options.maxBodyBytes, runtime.options.maxDatasetBytes) : undefined;
  const ctx = new RequestContext(request, flat, requestId, runtime.state, runtime.options, limit);
  let response: Response;
  try {
    if (!route.open) checkAuth(runtime.options.apiKeys, ctx.header('authorization'));
    runtime.state.sync();
    await ctx.prepare(runtime.parseJson);
    response = await handle(ctx);
  } catch (error) {
    if (error instanceof ContractError) response = errorResponse(error, requestId);
    else {
      // As the server: a bug is a 500 `internal` that says nothing of the internals; the details go to the log.
      console.error(`maas/msw: ${request.method} ${request.url} failed`, error);
      response = errorResponse(new MockError(500, 'internal', 'Internal server error'), requestId);
    }
  }
  response.headers.set('x-request-id', requestId);
  return response;
}

function checkAuth(keys: readonly string[], authorization: string | undefined): void {
  if (keys.length === 0) return;
  if (authorization === undefined) throw unauthorized();
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match || !keys.includes(match[1] ?? '')) {
    throw unauthorized('Invalid API key: send Authorization: Bearer <key> with a key this server accepts');
  }
}

function relativePath(url: URL, base: string): string {
  const basePath = new URL(base).pathname.replace(/\/$/, '');
  return url.pathname.slice(basePath.length) || '/';
}

/** msw route syntax → RegExp over the path: `:param` is one segment, `\\:` a literal colon. */
function pathPattern(path: string): RegExp {
  const source = path
    .split(/(\\:|:[A-Za-z0-9_]+)/)
    .map((part) => {
      if (part === '\\:') return ':';
      if (part.startsWith(':')) return '[^/]+?';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}
