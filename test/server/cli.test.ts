import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settingSpecs } from '../../server/settings.js';
import { collect, repoRoot, runCli, spawnCli, waitForListening } from '../support/cli.js';

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
      expect(stdout).toContain(`--${spec.flag}${spec.valueName ? ` ${spec.valueName}` : ''}\n`);
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
      'maas serve: the server needs the optional peer packages fastify, onnxruntime-node, better-sqlite3, onnx-proto, prom-client; install them with: npm install fastify onnxruntime-node better-sqlite3 onnx-proto prom-client',
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
    // gRPC is on by default, here on a free port (spawnCli sets MAAS_GRPC_PORT=0), named in the same line.
    const grpcPort = Number(/ \(gRPC 127\.0\.0\.1:(\d+)\)\n$/.exec(result.stdout)?.[1]);
    expect(grpcPort).toBeGreaterThan(0);
    expect(result.stdout).toBe(`listening on ${url} (gRPC 127.0.0.1:${grpcPort})\n`);
  });

  it('--no-grpc leaves gRPC out of the listening line', async () => {
    const child = spawnCli(['serve', '--port', '0', '--no-grpc', '--data-dir', join(temp, 'data-no-grpc')]);
    const done = collect(child);
    const url = await waitForListening(child);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`listening on ${url}\n`);
  });

  it('refuses a model repository that does not exist, naming it, unless told to create it', async () => {
    const missing = join(temp, 'typo-models');
    const run = await runCli(['serve', '--port', '0', '--model-repository', missing, '--data-dir', join(temp, 'd1')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `maas serve: --model-repository ${missing} does not exist: check the path (or MAAS_MODEL_REPOSITORY), or add --create-repository to start with an empty one`,
    );
    expect(existsSync(missing)).toBe(false);

    const child = spawnCli(
      ['serve', '--port', '0', '--model-repository', missing, '--create-repository', '--drain-delay', '0'],
      {
        env: { MAAS_DATA_DIR: join(temp, 'd2') },
      },
    );
    const done = collect(child);
    await waitForListening(child);
    expect(existsSync(missing)).toBe(true);
    child.kill('SIGTERM');
    const result = await done;
    expect([result.code, result.signal, result.stderr]).toEqual([
      0,
      null,
      expect.stringContaining(`maas serve: no models in ${missing} yet`),
    ]);
  });

  it('--demo serves a copy of the demo models, prints them as a table, and keeps new versions out of the package', async () => {
    const dataDir = join(temp, 'demo');
    const child = spawnCli(['serve', '--demo', '--port', '0', '--data-dir', dataDir, '--drain-delay', '0']);
    const done = collect(child);
    const url = await waitForListening(child);
    const copy = join(dataDir, 'demo-models');
    const upload = await fetch(`${url}/v1/models/iris_classifier/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: readFileSync(join(repoRoot, 'examples/models/keras_mlp/1/model.onnx')),
    });
    expect(upload.status).toBe(201);
    expect((await upload.json()).version).toBe('2');
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `maas serve: ${copy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 3 of 3 model versions ready\nMODEL +VERSION +STATE +REASON\niris_classifier +1 +READY\nkeras_mlp +1 +READY\nmulti_io +1 +READY\n`,
      ),
    );
    expect(existsSync(join(copy, 'iris_classifier/2/model.onnx'))).toBe(true);
    expect(existsSync(join(repoRoot, 'examples/models/iris_classifier/2'))).toBe(false);
  });
});
