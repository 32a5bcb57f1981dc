import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, spawnCli, waitForListening } from '../support/cli.js';
import { identityModel } from '../support/models.js';

const temp = mkdtempSync(join(tmpdir(), 'maas-drain-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Outcome {
  /** ms relative to the SIGTERM (negative: before). */
  sentAt: number;
  status?: number;
  connection?: string;
  error?: string;
}

/** One infer on a fresh connection (no keep-alive): the shape a load balancer's new connections have. */
function inferOnce(url: URL, sigtermAt: () => number | undefined): Promise<Outcome> {
  const body = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] });
  const sentAt = performance.now();
  return new Promise((resolve) => {
    const at = () => sentAt - (sigtermAt() ?? Number.POSITIVE_INFINITY);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/v2/models/m/infer',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ sentAt: at(), status: res.statusCode ?? 0, connection: String(res.headers.connection) }),
        );
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ sentAt: at(), error: err.code ?? err.message }));
    req.end(body);
  });
}

describe('maas serve drains on SIGTERM', () => {
  it('answers every request sent before SIGTERM, keeps serving through --drain-delay, then refuses cleanly', async () => {
    const repo = join(temp, 'models');
    mkdirSync(join(repo, 'm', '1'), { recursive: true });
    writeFileSync(join(repo, 'm', '1', 'model.onnx'), identityModel('FP32', [-1, 3]));
    const child = spawnCli([
      'serve',
      '--model-repository',
      repo,
      '--data-dir',
      join(temp, 'data'),
      '--port',
      '0',
      '--drain-delay',
      '1',
    ]);
    const exited = collect(child);
    const url = new URL(await waitForListening(child));

    let sigtermAt: number | undefined;
    const outcomes: Array<Promise<Outcome>> = [];
    const fire = setInterval(() => outcomes.push(inferOnce(url, () => sigtermAt)), 4);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    sigtermAt = performance.now();
    // Readiness turns 503 at once (give the signal a moment to arrive).
    let ready = 200;
    for (let i = 0; i < 50 && ready === 200; i++) {
      ready = (await fetch(`${url.origin}/v2/health/ready`).catch(() => ({ status: -1 }))).status;
    }
    await new Promise((r) => setTimeout(r, 1800));
    clearInterval(fire);
    const results = await Promise.all(outcomes);
    const result = await exited;

    expect(ready).toBe(503);
    expect(result.code).toBe(0);
    const before = results.filter((o) => o.sentAt < 0);
    const during = results.filter((o) => o.sentAt > 50 && o.sentAt < 800);
    const after = results.filter((o) => o.sentAt > 1300);
    expect(before.length).toBeGreaterThan(10);
    expect(during.length).toBeGreaterThan(10);
    expect(after.length).toBeGreaterThan(10);
    // Before: every one answered. During the delay: served, telling the client to reconnect elsewhere.
    expect(before.filter((o) => o.status !== 200)).toEqual([]);
    expect(during.filter((o) => o.status !== 200 || o.connection !== 'close')).toEqual([]);
    // After: the port is closed (refused), never a reset connection or a half answer. Only a connection made in the
    // instant the listener closes (when --drain-delay ends) may be reset by the kernel: a load balancer has stopped
    // sending by then, which is what the delay is for.
    expect(after.filter((o) => o.error !== 'ECONNREFUSED')).toEqual([]);
    const listenerClosing = (o: Outcome) => o.sentAt > 900 && o.sentAt < 1300;
    expect(results.filter((o) => o.error !== undefined && o.error !== 'ECONNREFUSED' && !listenerClosing(o))).toEqual(
      [],
    );
  });
});
