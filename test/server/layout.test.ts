import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// DESIGN.md §2, checked: folders of server/ do not import each other in a circle, only the composition root reaches
// into http/, and each third-party runtime is imported in one adapter file.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const serverDir = join(root, 'server');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** `server/a/b.ts` → `a`; top-level files are their own unit (`app.ts`). */
const folderOf = (file: string) => relative(serverDir, file).split('/')[0]!;

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);
}

const sources = files(serverDir);

/** A value import of `pkg` (a static one not marked `import type`, or a dynamic `import()`). */
function runtimeImports(file: string, pkg: string): boolean {
  return readFileSync(file, 'utf8')
    .split('\n')
    .some(
      (line) => line.includes(`import('${pkg}')`) || (line.includes(`from '${pkg}'`) && !/^\s*import type/.test(line)),
    );
}

/** Top-level files that compose the server and may reach every folder. */
const compositionRoot = ['app.ts', 'index.ts', 'server-peers.ts'];

describe('server layout', () => {
  it('has no import circle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of sources) {
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(serverDir)) continue;
        const from = folderOf(file);
        const to = folderOf(target);
        if (from !== to) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
      }
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else visit(next, [...path, next]);
      }
    };
    for (const node of edges.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });

  it('reaches into http/ only from http/ itself and the composition root', () => {
    const offenders = sources
      .filter((file) => folderOf(file) !== 'http' && !compositionRoot.includes(folderOf(file)))
      .filter((file) =>
        imports(file).some(
          (spec) => spec.startsWith('.') && resolve(dirname(file), spec).startsWith(join(serverDir, 'http')),
        ),
      )
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('imports each runtime package in its one adapter file', () => {
    const adapters: Record<string, string[]> = {
      'onnxruntime-node': ['server/inference/onnx-model.ts'],
      fastify: ['server/http/fastify.ts'],
      'better-sqlite3': ['server/store/sqlite/index.ts'],
      pg: ['server/store/postgres/index.ts'],
      'pg-boss': ['server/jobs/pg-boss-queue.ts'],
      'prom-client': ['server/observability/metrics.ts'],
    };
    for (const [pkg, allowed] of Object.entries(adapters)) {
      const users = sources.filter((file) => runtimeImports(file, pkg)).map((file) => relative(root, file));
      expect(users, pkg).toEqual(allowed);
    }
  });
});
