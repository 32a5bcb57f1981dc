import { readFile } from 'node:fs/promises';
import { openApiPath } from '../../package-files.js';
import type { ServerFeature } from '../../services.js';

/** `GET /openapi.yaml`: the contract this server implements, as shipped in the package. */
export const specRoutes: ServerFeature = {
  name: 'spec',
  setup(app) {
    let spec: Promise<string> | undefined;
    app.get('/openapi.yaml', async (_request, reply) => {
      spec ??= readFile(openApiPath(), 'utf8').catch((err: unknown) => {
        spec = undefined;
        throw err;
      });
      return reply.header('content-type', 'application/yaml; charset=utf-8').send(await spec);
    });
  },
};
