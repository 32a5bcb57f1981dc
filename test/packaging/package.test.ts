import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeLinks } from './markdown-links.js';

// Packs the real tarball, installs it into a fresh consumer project, and uses it the way an app would. Offline:
// npm installs the tarball with `--offline`, and the package's own dependencies come from this project's
// node_modules as local folders, so the test needs no registry (and fails loudly if npm wanted one).
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'maas-pack-'));
const consumer = join(work, 'consumer');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  license: string;
  dependencies: Record<string, string>;
};
let packed: string[] = [];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
}

/** `file:` specs for the package's dependencies, from this project's node_modules (they must have none of their own). */
function localDependencies(): Record<string, string> {
  const specs: Record<string, string> = {};
  for (const name of Object.keys(manifest.dependencies)) {
    const dir = realpathSync(join(root, 'node_modules', name));
    const own = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: object };
    if (Object.keys(own.dependencies ?? {}).length > 0) {
      throw new Error(`${name} has dependencies of its own: link them here too, or the offline install fails`);
    }
    specs[name] = `file:${dir}`;
  }
  return specs;
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) run('npm', ['run', 'build'], root);
  const [pack] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root)) as [
    { filename: string; files: { path: string }[] },
  ];
  packed = pack.files.map((f) => f.path);
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { ...localDependencies(), maas: `file:${join(work, pack.filename)}` },
    }),
  );
  run(
    'npm',
    [
      'install',
      '--offline',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--no-update-notifier',
      '--ignore-scripts',
    ],
    consumer,
  );
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the tarball', () => {
  it('ships the LICENSE package.json names', () => {
    expect(manifest.license).toBe('MIT');
    expect(packed).toContain('LICENSE');
    expect(readFileSync(join(consumer, 'node_modules/maas/LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });

  it('holds every file README.md links to, so the links work from the installed package and the npm page', () => {
    const links = relativeLinks(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(links.length).toBeGreaterThan(0);
    const missing = links.filter((link) => !packed.includes(posix.normalize(link)));
    expect(missing, `README.md links to files not in package.json "files": ${missing.join(', ')}`).toEqual([]);
  });
});

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
