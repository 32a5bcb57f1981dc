import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settingSpecs } from '../../server/settings.js';
import { collect, runCli, spawnCli, waitForListening } from '../support/cli.js';

const temp = mkdtempSync(join(tmpdir(), 'maas-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('maas CLI', () => {
  it('lists its commands and prints its version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: maas <command> [options]');
    expect(help.stdout).toMatch(/serve\s+Serve a model repository/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("maas: unknown command 'frobnicate'");
  });

  it('documents every serve setting with its env var and default', async () => {
    const { code, stdout } = await runCli(['serve', '--help']);
    expect(code).toBe(0);
    for (const spec of settingSpecs) {
      expect(stdout).toContain(`--${spec.flag} ${spec.valueName}`);
      expect(stdout).toContain(`env ${spec.env}; default ${spec.defaultText}`);
    }
  });

  it('exits 2 naming a bad flag or value', async () => {
    const unknown = await runCli(['serve', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    const bad = await runCli(['serve', '--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("maas serve: --port: expected an integer from 0 to 65535, got 'eighty'");
    const env = await runCli(['serve'], { env: { MAAS_MAX_BODY_SIZE: 'huge' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("MAAS_MAX_BODY_SIZE: expected a size such as 1048576, 512kb, 64mb or 1gb, got 'huge'");
  });

  it('exits 1 with the npm install command when the optional peers are missing', async () => {
    const run = await runCli(['serve', '--port', '0', '--data-dir', join(temp, 'nopeers')], {
      nodeArgs: ['--import', './test/support/hide-peers.mjs'],
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'maas serve: the server needs the optional peer packages onnxruntime-node, fastify; install them with: npm install onnxruntime-node fastify',
    );
    expect(run.stdout).toBe('');
  });

  it('prints exactly one listening line, serves, and exits 0 on SIGINT', async () => {
    const child = spawnCli(['serve', '--port', '0', '--data-dir', join(temp, 'data')], {
      env: { MAAS_HOST: '127.0.0.1' },
    });
    const done = collect(child);
    const url = await waitForListening(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const live = await fetch(`${url}/v2/health/live`);
    expect(await live.json()).toEqual({ live: true });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`listening on ${url}\n`);
  });
});
