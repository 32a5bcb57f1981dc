import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, spawnCli, waitForListening } from '../support/cli.js';
import { slowModel } from '../support/models.js';

const temp = mkdtempSync(join(tmpdir(), 'maas-sigterm-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('maas serve on SIGTERM', () => {
  it('lets a slow in-flight request finish with 200, then exits 0', async () => {
    const repo = join(temp, 'models');
    mkdirSync(join(repo, 'slow', '1'), { recursive: true });
    writeFileSync(join(repo, 'slow', '1', 'model.onnx'), slowModel());
    const child = spawnCli(
      [
        'serve',
        '--model-repository',
        repo,
        '--data-dir',
        join(temp, 'data'),
        '--port',
        '0',
        '--log-level',
        'debug',
        '--drain-delay',
        '0.2',
      ],
      { env: { MAAS_INTRA_OP_THREADS: '1' } },
    );
    const exited = collect(child);
    let stderr = '';
    const stderrContains = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => stderr.includes(text) && resolve();
        child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString();
          check();
        });
        check();
      });
    const url = new URL(await waitForListening(child));

    // The request is sent in two halves: the server has accepted it (its debug arrival line is out) but is still
    // reading the body when SIGTERM arrives, so it is in flight during shutdown for certain. ONNX Runtime then
    // runs the slow model after the signal was handled.
    const n = 2000;
    const body = JSON.stringify({ inputs: [{ name: 'size', datatype: 'INT64', shape: [2], data: [n, n] }] });
    const req = request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/v2/models/slow/infer',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
    });
    req.write(body.slice(0, 10));
    await stderrContains('"url":"/v2/models/slow/infer"');
    child.kill('SIGTERM');
    await stderrContains('maas serve: SIGTERM, not ready; serving 0.2 s more, then finishing in-flight requests');
    req.end(body.slice(10));

    const { status, text } = await response;
    expect(status).toBe(200);
    const total = JSON.parse(text).outputs[0].data[0] as number;
    expect(Math.abs(total - n ** 3) / n ** 3).toBeLessThan(0.01);
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^listening on ${url.origin} \\(gRPC 127\\.0\\.0\\.1:\\d+\\)\n$`));
  });
});
