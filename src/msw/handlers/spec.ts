import { MockError } from '../errors.js';
import type { RouteDef } from '../router.js';

let shipped: Promise<string | undefined> | undefined;

/** The package's own openapi.yaml, found from the working directory like `import 'maas/openapi.yaml'` would (Node only). */
function loadShippedSpec(): Promise<string | undefined> {
  shipped ??= (async () => {
    const cwd = (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();
    if (cwd === undefined) return undefined;
    try {
      const { createRequire } = await import('node:module');
      const { readFile } = await import('node:fs/promises');
      return await readFile(createRequire(`${cwd}/`).resolve('maas/openapi.yaml'), 'utf8');
    } catch {
      return undefined;
    }
  })();
  return shipped;
}

export const specRoutes: RouteDef[] = [
  {
    operationId: 'getOpenApiSpec',
    method: 'GET',
    path: '/openapi.yaml',
    open: true,
    handle: async (ctx) => {
      const spec = ctx.options.openapiSpec ?? (await loadShippedSpec());
      if (spec === undefined) {
        throw new MockError(
          500,
          'internal',
          'maas/msw cannot read openapi.yaml here; pass its text as createMaasHandlers({ openapiSpec })',
        );
      }
      return new Response(spec, { headers: { 'content-type': 'application/yaml; charset=utf-8' } });
    },
  },
];
