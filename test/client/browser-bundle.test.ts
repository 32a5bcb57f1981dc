// The SDK must bundle for browsers: nothing Node-only may be reachable from src/index.ts.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('browser bundle', () => {
  it('bundles src/index.ts for platform browser with no Node built-in, undici, server or msw code', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => NODE_BUILTINS.has(path))).toEqual([]);
    expect(
      inputs.filter((path) => /node_modules\/(undici|msw|fastify|onnxruntime|better-sqlite3)\//.test(path)),
    ).toEqual([]);
    expect(inputs.filter((path) => path.startsWith('server/') || path.includes('/server/'))).toEqual([]);
    expect(inputs.filter((path) => path.includes('src/msw/'))).toEqual([]);
    // The contract code shared by the server and msw is theirs alone: the SDK never needs it.
    expect(
      inputs.filter((path) =>
        /src\/protocol\/(datasets\/|training-|oip-request|contract-error|error-body|input-signature|model-names|onnx-elem-types)/.test(
          path,
        ),
      ),
    ).toEqual([]);
    // It still carries the pieces the browser path needs.
    expect(inputs.some((path) => path.includes('eventsource-parser'))).toBe(true);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\brequire\(["']node:/);
    expect(code).not.toMatch(/from ["']node:/);
  });

  it('fails on a Node built-in, so the check above can fail', async () => {
    const outcome = await build({
      stdin: { contents: "import { createServer } from 'node:http'; console.log(createServer);", resolveDir: '.' },
      bundle: true,
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    }).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(Error);
  });
});
