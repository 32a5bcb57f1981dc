import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../src/protocol');

describe('src/protocol is browser-safe', () => {
  it('bundles for the browser without Node built-ins', async () => {
    const result = await build({
      entryPoints: [join(dir, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).toContain('parseJsonLossless');
    expect(code).not.toMatch(/from\s*["']node:/);
  });

  it('uses neither Buffer nor node: imports in any source file', () => {
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    // The shared contract code (datasets/, training-spec, oip-request) is held to the same rule as the codecs.
    expect(files).toContain(join('datasets', 'parse.ts'));
    for (const file of files) {
      // Comments may mention Buffer; code may not use it.
      const text = readFileSync(join(dir, file), 'utf8').replace(/\/\/.*$/gm, '');
      expect(text, file).not.toMatch(/\bBuffer\b|from '(node:)?(fs|path|buffer|util)'|from 'node:/);
    }
  });
});
