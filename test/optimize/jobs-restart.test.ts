// Optimisation jobs across a restart, cancel and Idempotency-Key: the same job machinery as training. A run cut off
// by a stop starts again from the start when the server comes back (it has no epoch checkpoints), or fails
// `interrupted` when its snapshots are gone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OptimizationRunner } from '../../server/jobs/optimization-kind.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { IRIS, readTable, trainedModel } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
type Json = Record<string, any>;

const parent = trainedModel(readTable(IRIS), { task: 'classification', target: 'species', epochs: 20 });

/** A run that reports its first stage and then waits for cancel (or a stop): what is recorded of a run cut off. */
const stalled = (): { runner: OptimizationRunner; started: Promise<void> } => {
  let start = () => {};
  const started = new Promise<void>((resolve) => {
    start = resolve;
  });
  const runner: OptimizationRunner = (_input, callbacks) => {
    callbacks.stage?.('evaluating_parent');
    start();
    return { requestCancel: () => callbacks.cancelled(), stop: async () => {} };
  };
  return { runner, started };
};

describe('optimisation jobs: restart, cancel, idempotency', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maas-optjobs-'));
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (runner?: OptimizationRunner, name = 'a') => {
    const server = await startTestServer({
      modelRepository: join(dir, name, 'models'),
      dataDir: join(dir, name, 'data'),
      models: { iris: parent },
      ...(runner ? { create: { optimizationRunner: runner } } : {}),
    });
    servers.push(server);
    return server;
  };
  const call = async (server: TestServer, method: string, url: string, payload?: unknown, headers = {}) => {
    const res = await server.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, headers: res.headers, body: res.json() as Json };
  };
  const upload = async (server: TestServer) =>
    (
      await server.app.inject({
        method: 'POST',
        url: '/v1/datasets',
        headers: { 'content-type': 'text/csv' },
        payload: readFileSync(IRIS),
      })
    ).json().id as string;
  const body = (dataset: string) => ({
    model: 'iris',
    method: { type: 'quantize', precision: 'fp16' },
    evaluation: { dataset, target: 'species' },
  });
  const waitFor = async (server: TestServer, id: string, statuses: string[]) => {
    for (;;) {
      const { body } = await call(server, 'GET', `/v1/optimization-jobs/${id}`);
      if (statuses.includes(body.status)) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('starts a run cut off by a stop again when the server is back, and it succeeds', async () => {
    const first = stalled();
    let server = await start(first.runner, 'resume');
    const dataset = await upload(server);
    const created = (await call(server, 'POST', '/v1/optimization-jobs', body(dataset))).body;
    await first.started;
    expect((await waitFor(server, created.id, ['running'])).stage).toBe('evaluating_parent');
    await server.server.close();

    server = await start(undefined, 'resume');
    const job = await waitFor(server, created.id, ['succeeded', 'failed', 'cancelled']);
    expect(job).toMatchObject({ status: 'succeeded', result: { model: 'iris', version: '2' } });
    expect(job.report.gate).toMatchObject({ method: 'quantize_fp16', passed: true });
    const events = (await call(server, 'GET', `/v1/optimization-jobs/${created.id}/events?limit=1000`)).body.data;
    expect(events.map((e: { message?: string }) => e.message)).toContain(
      'The server restarted; resuming from the start',
    );
    expect(events.filter((e: { stage?: string }) => e.stage === 'evaluating_parent')).toHaveLength(2);
  });

  it('fails `interrupted` when the job’s snapshots are gone after a restart', async () => {
    const first = stalled();
    let server = await start(first.runner, 'gone');
    const dataset = await upload(server);
    const created = (await call(server, 'POST', '/v1/optimization-jobs', body(dataset))).body;
    await first.started;
    await waitFor(server, created.id, ['running']);
    await server.server.close();
    rmSync(join(dir, 'gone', 'data', 'jobs', created.id), { recursive: true, force: true });

    server = await start(undefined, 'gone');
    const job = await waitFor(server, created.id, ['succeeded', 'failed', 'cancelled']);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'interrupted' }, result: null });
  });

  it('cancels a running job, refuses to cancel it twice, and replays a create with the same Idempotency-Key', async () => {
    const run = stalled();
    const server = await start(run.runner, 'cancel');
    const dataset = await upload(server);
    const headers = { 'idempotency-key': 'opt-1' };
    const created = await call(server, 'POST', '/v1/optimization-jobs', body(dataset), headers);
    const again = await call(server, 'POST', '/v1/optimization-jobs', body(dataset), headers);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(created.body.id);
    const conflict = await call(server, 'POST', '/v1/optimization-jobs', { ...body(dataset), promote: true }, headers);
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('idempotency_conflict');

    await run.started;
    await waitFor(server, created.body.id, ['running']);
    await call(server, 'POST', `/v1/optimization-jobs/${created.body.id}/cancel`);
    const job = await waitFor(server, created.body.id, ['cancelled']);
    expect(job.result).toBeNull();
    const twice = await call(server, 'POST', `/v1/optimization-jobs/${created.body.id}/cancel`);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('invalid_job_state');
    // Training and optimisation jobs are listed apart.
    const list = (await call(server, 'GET', '/v1/optimization-jobs')).body;
    expect(list.data.map((j: { id: string }) => j.id)).toEqual([created.body.id]);
    expect((await call(server, 'GET', '/v1/training-jobs')).body.data).toEqual([]);
    expect((await call(server, 'GET', `/v1/training-jobs/${created.body.id}`)).status).toBe(404);
  });
});
