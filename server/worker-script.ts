import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How to start a worker thread: a script file, or (for the TypeScript source) an eval'd bootstrap. */
export interface WorkerScript {
  source: URL | string;
  eval: boolean;
}

/**
 * A worker entry of the server (`jobs/worker`, `inference/session-worker`): the built `.js` (tsup writes it to
 * dist/server/<path>.js; the code asking may be bundled into dist/server, dist or beside it), else the TypeScript
 * source loaded through tsx's loader registered inside the worker (tests, `tsx server/cli.ts`): on Node 20 a worker
 * inherits neither the parent's loader hooks nor `--import` from its execArgv.
 */
export function resolveWorkerScript(entry: string, base: string): WorkerScript {
  const file = entry.split('/').pop()!;
  for (const candidate of [`./${file}.js`, `./${entry}.js`, `./server/${entry}.js`]) {
    const url = new URL(candidate, base);
    if (existsSync(fileURLToPath(url))) return { source: url, eval: false };
  }
  const tsx = tsxEsmApi(base);
  const source = new URL(`./${file}.ts`, base).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
  return { source: bootstrap, eval: true };
}

/** tsx's ESM register API as a file URL (its `import` export; require.resolve would give the CJS build). */
function tsxEsmApi(base: string): string {
  const manifest = createRequire(base).resolve('tsx/package.json');
  const exports = JSON.parse(readFileSync(manifest, 'utf8')).exports as Record<string, { import: { default: string } }>;
  return pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
}
