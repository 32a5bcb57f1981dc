import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Packs the real tarball, installs it into a fresh consumer project, and uses it the way an app would.
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'maas-pack-'));
const consumer = join(work, 'consumer');

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) run('npm', ['run', 'build'], root);
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack made no tarball');
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', join(work, tarball)],
    consumer,
  );
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the published package', () => {
  it('loads as ESM without the optional server and msw peers', () => {
    const out = run(
      'node',
      [
        '--input-type=module',
        '-e',
        "const m = await import('maas'); const c = new m.MaasClient({ baseUrl: 'http://127.0.0.1:1' }); console.log(typeof m.MaasClient, typeof m.APIError, typeof c.models.infer);",
      ],
      consumer,
    );
    expect(out.trim()).toBe('function function function');
    expect(existsSync(join(consumer, 'node_modules/onnxruntime-node'))).toBe(false);
    expect(existsSync(join(consumer, 'node_modules/msw'))).toBe(false);
  });

  it('loads as CommonJS', () => {
    const out = run(
      'node',
      ['-e', "const m = require('maas'); console.log(typeof m.MaasClient, typeof m.NotFoundError);"],
      consumer,
    );
    expect(out.trim()).toBe('function function');
  });

  it('type-checks a consumer .ts file against the shipped .d.ts', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: ['app.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'app.ts'),
      `import { MaasClient, APIError } from 'maas';
const client = new MaasClient({ baseUrl: 'http://127.0.0.1:8000', maxRetries: 1 });
export async function run(): Promise<number> {
  try {
    const out = await client.models.infer('keras_mlp', { inputs: { input: { data: new Float32Array(100), shape: [1, 100] } } });
    return out.outputs.length;
  } catch (err) {
    if (err instanceof APIError) return err.status;
    throw err;
  }
}
// @ts-expect-error — an unknown option must not type-check
new MaasClient({ nope: true });
`,
    );
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer], consumer);
  });
});
