import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The installed `maas` package's root, found by walking up from this module: the same code runs from
 * `server/` (tsx, vitest) and bundled into `dist/server/` (node), so no fixed relative path fits both.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(join(dir, 'openapi.yaml'))) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'maas') return (root = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the maas package root (package.json next to openapi.yaml)');
    dir = parent;
  }
}

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

export function openApiPath(): string {
  return join(packageRoot(), 'openapi.yaml');
}
