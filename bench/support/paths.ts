// Where things are, for every benchmark: the repository root, the built package, the demo models, temp folders.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const benchDir = join(repoRoot, 'bench');
export const distCli = join(repoRoot, 'dist/server/cli.js');
export const demoModels = join(repoRoot, 'examples/models');
export const kerasModelFile = join(demoModels, 'keras_mlp/1/model.onnx');

/**
 * The BUILT SDK (dist/index.js), typed as its source: benchmarks measure what users install, while `tsc` still
 * type-checks on a checkout that has not been built yet.
 */
export async function importBuiltSdk(): Promise<typeof import('../../src/index.js')> {
  const entry = join(repoRoot, 'dist/index.js');
  if (!existsSync(entry) || !existsSync(distCli)) {
    throw new Error(`${entry} or ${distCli} is missing: run 'npm run build' (npm run bench does it for you)`);
  }
  return (await import(pathToFileURL(entry).href)) as typeof import('../../src/index.js');
}

/** A fresh temp folder, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `maas-bench-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A copy of the demo model repository (servers may write into their repository; the demo one stays untouched). */
export async function copyDemoModels(dir: string): Promise<string> {
  const target = join(dir, 'models');
  await cp(demoModels, target, { recursive: true });
  return target;
}
