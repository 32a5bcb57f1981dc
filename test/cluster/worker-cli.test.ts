import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const temp = mkdtempSync(join(tmpdir(), 'maas-worker-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const url = 'postgres://maas:secret@127.0.0.1:1/maas';

describe('maas worker', () => {
  it('documents its settings, and is listed by maas --help', async () => {
    const help = await runCli(['worker', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--database URL', '--queue URL', '--job-lease SECONDS', '--max-concurrent-jobs N']) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).not.toContain('--drain-delay');
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}worker +Train queued jobs/m);
  });

  it('exits 2 without a database and queue, naming what it needs', async () => {
    const run = await runCli(['worker', '--data-dir', join(temp, 'data')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('maas worker needs --database postgres://… and --queue (the same URL)');
    const bad = await runCli(['worker', '--database', url, '--queue', 'redis://cache:6379']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('maas worker: --queue: Redis is not supported');
  });

  it('exits 1 naming the peers to install (pg, pg-boss) when they are missing', async () => {
    const run = await runCli(['worker', '--database', url, '--queue', url, '--data-dir', join(temp, 'data')], {
      nodeArgs: ['--import', './test/support/hide-peers.mjs'],
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'the server needs the optional peer packages onnxruntime-node, pg, pg-boss, onnx-proto; install them with: npm install onnxruntime-node pg pg-boss onnx-proto',
    );
  });

  it('exits 1 naming the database it cannot reach, without its password', async () => {
    const run = await runCli(['worker', '--database', url, '--queue', url, '--data-dir', join(temp, 'data')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /maas worker: cannot start: cannot use the database postgres:\/\/maas@127\.0\.0\.1:1\/maas: /,
    );
    expect(run.stderr).not.toContain('secret');
  });
});
