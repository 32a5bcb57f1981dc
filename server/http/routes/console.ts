import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { packageRoot } from '../../package-files.js';
import type { ServerFeature } from '../../services.js';
import { StaticSite } from '../static-site.js';

/** Paths the console and the API reference are served at; open with API keys on (the page asks for the key). */
export const CONSOLE_ROUTES = ['/console', '/console/*', '/docs', '/docs/'] as const;

/** The console feature over a built folder (default: the package's dist/console). */
export function consoleFeature(dir?: string): ServerFeature {
  return { name: 'console', setup: (app) => registerConsole(app, dir ?? join(packageRoot(), 'dist', 'console')) };
}

/**
 * `GET /console[/…]`: the web console, a client of the public API like any other; `GET /docs`: the API reference
 * generated from openapi.yaml. Both are static files built into dist/console by `npm run build`. A console path that
 * names no file (`/console/models/iris`) is one of the console's own pages: it gets index.html, which routes itself.
 */
export const consoleRoutes: ServerFeature = consoleFeature();

function registerConsole(app: FastifyInstance, dir: string): void {
  const site = new StaticSite(dir);
  const requireBuilt = () => {
    if (!site.built()) {
      throw new NotFoundError(
        'not_found',
        'The console is not built into this installation (dist/console is missing): run `npm run build`',
      );
    }
  };

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    requireBuilt();
    const path = ((request.params as { '*'?: string })['*'] ?? '').replace(/^\/+/, '');
    if (path !== '' && site.has(path)) return site.send(request, reply, path);
    // A file name that is not there (a stale asset, a typo) is a 404; a page path is the console's to route.
    if (/\.[A-Za-z0-9]+$/.test(path) || path.startsWith('assets/')) {
      throw new NotFoundError('not_found', `The console has no file '${path}'`);
    }
    return site.send(request, reply, 'index.html');
  };
  app.get('/console', page);
  app.get('/console/*', page);

  const docs = async (request: FastifyRequest, reply: FastifyReply) => {
    requireBuilt();
    return site.send(request, reply, 'docs/index.html');
  };
  app.get('/docs', docs);
  app.get('/docs/', docs);
}
