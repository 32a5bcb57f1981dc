// The multi-machine setup on one machine: two `maas serve` replicas and two `maas worker` processes on one real
// PostgreSQL (store and pg-boss queue) and one shared data dir and model repository. The replicas train nothing
// (--max-concurrent-jobs 0): every job runs in a worker, so everything a replica reports about a job crossed
// processes through the database.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { type Proc, start, until } from './processes.js';

const postgres = await startTestPostgres();
const digits = join(import.meta.dirname, '../data/digits');

interface Job {
  id: string;
  status: string;
  queue_position: number | null;
  result: { model: string; version: string } | null;
  error: { code: string; message: string } | null;
}
interface JobEvent {
  id: number;
  type: string;
  status?: string;
  message?: string;
  metrics?: { epoch: number };
}

describe.skipIf(!postgres)('two replicas and two workers on one PostgreSQL', () => {
  const temp = mkdtempSync(join(tmpdir(), 'maas-cluster-'));
  let replicas: Proc[] = [];
  let workers: Proc[] = [];
  let dataset = '';

  const call = async <T>(replica: Proc, method: string, path: string, body?: unknown, headers = {}) => {
    const res = await fetch(`${replica.id}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const job = async (replica: Proc, id: string) => (await call<Job>(replica, 'GET', `/v1/training-jobs/${id}`)).body;
  const events = async (replica: Proc, id: string) =>
    (await call<{ data: JobEvent[] }>(replica, 'GET', `/v1/training-jobs/${id}/events?limit=1000`)).body.data;
  const ended = (replica: Proc, id: string) =>
    until(`job ${id} to end`, async () => {
      const j = await job(replica, id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    });
  /** The worker a job's "Running in …" / "Resuming … in …" message names. */
  const runningIn = (replica: Proc, id: string) =>
    until(`job ${id} to start in a worker`, async () => {
      const all = await events(replica, id);
      const where = all.map((e) => / in (\S+)$/.exec(e.message ?? '')?.[1]).filter(Boolean);
      return where.at(-1);
    });
  const spec = (epochs: number, hidden: number[], extra = {}) => ({
    model: 'digits',
    dataset,
    task: 'classification',
    target: 'label',
    architecture: { type: 'mlp', hidden_layers: hidden },
    optimizer: { type: 'adam', learning_rate: 0.01 },
    epochs,
    batch_size: 16,
    seed: 1,
    ...extra,
  });

  beforeAll(async () => {
    const url = await (postgres as TestPostgres).createDatabase();
    const shared = [
      ...['--database', url, '--queue', url, '--job-lease', '4'],
      ...['--data-dir', join(temp, 'data'), '--model-repository', join(temp, 'models'), '--create-repository'],
    ];
    // Two replicas first (they migrate the store and pg-boss at the same time), then two workers.
    replicas = await Promise.all(
      [1, 2].map(() =>
        start(
          ['serve', ...shared, '--port', '0', '--max-concurrent-jobs', '0', '--drain-delay', '0'],
          /^listening on (http:\S+)(?: \(gRPC \S+\))?$/m,
        ),
      ),
    );
    workers = await Promise.all([1, 2].map(() => start(['worker', ...shared], /^worker ready: (\S+),/m)));
    const upload = await fetch(`${replicas[0]!.id}/v1/datasets`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: readFileSync(join(digits, 'train.csv')),
    });
    dataset = ((await upload.json()) as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...replicas, ...workers].map((p) => p.stop()));
    await postgres?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  it('runs six jobs submitted through either replica, each exactly once, as versions both replicas serve', async () => {
    const created = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        call<Job>(replicas[i % 2]!, 'POST', '/v1/training-jobs', spec(3, [16], { seed: i })),
      ),
    );
    expect(created.map((c) => c.status)).toEqual([201, 201, 201, 201, 201, 201]);
    // Followed over SSE on the replica that did not create it: every event, in order, from a worker elsewhere.
    const streamed = await Promise.all(
      created.slice(0, 2).map(async (c, i) => {
        const res = await fetch(`${replicas[(i + 1) % 2]!.id}/v1/training-jobs/${c.body.id}/events`, {
          headers: { accept: 'text/event-stream' },
        });
        return [...(await res.text()).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      }),
    );
    const finished = await Promise.all(created.map((c, i) => ended(replicas[(i + 1) % 2]!, c.body.id)));
    expect(finished.map((j) => [j.status, j.error])).toEqual(Array(6).fill(['succeeded', null]));
    for (const j of finished) {
      const log = await events(replicas[0]!, j.id);
      expect(log.filter((e) => e.type === 'status').map((e) => e.status)).toEqual(['queued', 'running', 'succeeded']);
      expect(log.filter((e) => e.type === 'metrics').map((e) => e.metrics?.epoch)).toEqual([1, 2, 3]);
      expect(log.map((e) => e.id)).toEqual(log.map((_, i) => i + 1));
    }
    for (const [i, ids] of streamed.entries()) {
      const stored = (await events(replicas[0]!, created[i]!.body.id)).map((e) => e.id);
      expect(ids).toEqual(stored);
    }
    // Six versions of one model, one per job: the workers never picked the same next version.
    const versions = finished.map((j) => Number(j.result?.version)).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    const workersUsed = new Set(await Promise.all(finished.map((j) => runningIn(replicas[0]!, j.id))));
    expect([...workersUsed].every((w) => workers.some((p) => p.id === w))).toBe(true);
    // The newest version is served by both replicas, with the same answer.
    const row = readFileSync(join(digits, 'test.csv'), 'utf8').split('\n')[1]!.split(',').slice(0, 64).map(Number);
    const infer = { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: row }] };
    const answers = await Promise.all(
      replicas.map(async (r) => {
        await until('version 6 to be ready', async () => {
          const res = await fetch(`${r.id}/v2/models/digits/versions/6/ready`);
          return res.status === 200 ? true : undefined;
        });
        const res = await call<{ outputs: Array<{ name: string; data: number[] }> }>(
          r,
          'POST',
          '/v2/models/digits/versions/6/infer',
          infer,
        );
        expect(res.status).toBe(200);
        return res.body.outputs;
      }),
    );
    expect(answers[0]!.find((o) => o.name === 'probabilities')?.data).toHaveLength(10);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('creates one job for one Idempotency-Key sent to both replicas at once', async () => {
    const headers = { 'idempotency-key': 'cluster-key-1' };
    const both = await Promise.all(
      replicas.map((r) => call<Job>(r, 'POST', '/v1/training-jobs', spec(2, [8]), headers)),
    );
    expect(both.map((b) => b.status)).toEqual([201, 201]);
    expect(both[1]!.body.id).toBe(both[0]!.body.id);
    const listed = await call<{ data: Job[] }>(replicas[1]!, 'GET', '/v1/training-jobs?limit=100');
    expect(listed.body.data.filter((j) => j.id === both[0]!.body.id)).toHaveLength(1);
    expect(listed.body.data).toHaveLength(7);
    await ended(replicas[0]!, both[0]!.body.id);
  });

  it('shows the queue and cancels queued and running jobs through the replica that did not create them', async () => {
    const long = spec(400, [64]);
    const busy = [];
    for (const _ of workers) {
      const created = (await call<Job>(replicas[0]!, 'POST', '/v1/training-jobs', long)).body;
      await runningIn(replicas[0]!, created.id);
      busy.push(created.id);
    }
    const queued = (await call<Job>(replicas[0]!, 'POST', '/v1/training-jobs', long)).body;
    expect([queued.status, queued.queue_position]).toEqual(['queued', 0]);
    expect((await job(replicas[1]!, queued.id)).queue_position).toBe(0);
    const cancelQueued = await call<Job>(replicas[1]!, 'POST', `/v1/training-jobs/${queued.id}/cancel`);
    expect([cancelQueued.status, cancelQueued.body.status]).toEqual([200, 'cancelled']);
    for (const id of busy) {
      const asked = await call<Job>(replicas[1]!, 'POST', `/v1/training-jobs/${id}/cancel`);
      expect([asked.status, asked.body.status]).toEqual([200, 'running']);
    }
    // The workers hear of the cancels through the database and stop at the next batch.
    for (const id of busy) expect((await ended(replicas[1]!, id)).status).toBe('cancelled');
  });

  it('finishes a job on the other worker after SIGKILL of the one running it, with every epoch exactly once', async () => {
    const epochs = 60;
    const created = (await call<Job>(replicas[1]!, 'POST', '/v1/training-jobs', spec(epochs, [128, 128]))).body;
    const first = await runningIn(replicas[0]!, created.id);
    await until('two epochs', async () => {
      const done = (await events(replicas[0]!, created.id)).filter((e) => e.type === 'metrics');
      return done.length >= 2 ? true : undefined;
    });
    const victim = workers.find((w) => w.id === first)!;
    victim.child.kill('SIGKILL');
    await victim.stop();
    const finished = await ended(replicas[0]!, created.id);
    expect([finished.status, finished.error]).toEqual(['succeeded', null]);
    const log = await events(replicas[1]!, created.id);
    expect(log.filter((e) => e.type === 'metrics').map((e) => e.metrics?.epoch)).toEqual(
      Array.from({ length: epochs }, (_, i) => i + 1),
    );
    const survivor = workers.find((w) => w !== victim)!;
    const resumed = log.find((e) => e.message?.startsWith('Resuming from epoch'));
    expect(resumed?.message).toMatch(new RegExp(`^Resuming from epoch \\d+ in ${survivor.id.replaceAll('/', '\\/')}$`));
    expect(log.some((e) => e.message?.includes('stopped renewing its lease'))).toBe(true);
    for (const r of replicas) {
      await until('the resumed version on every replica', async () => {
        const res = await fetch(`${r.id}/v2/models/digits/versions/${finished.result?.version}/ready`);
        return res.status === 200 ? true : undefined;
      });
    }
  });
  it('runs an optimisation job in a worker and publishes a candidate every replica keeps out of unversioned traffic', async () => {
    interface Model {
      default_version: string | null;
      pinned_version: string | null;
      versions: Array<{ version: string; state: string; candidate?: boolean; source: string }>;
    }
    const parent = (await call<Model>(replicas[0]!, 'GET', '/v1/models/digits')).body.default_version!;
    const created = await call<Job>(replicas[1]!, 'POST', '/v1/optimization-jobs', {
      model: 'digits',
      method: { type: 'quantize', precision: 'int8', mode: 'dynamic' },
      evaluation: { dataset, target: 'label' },
      // The machinery is under test here, not the rounding of a 3-epoch model.
      gate: { min_agreement: 0, max_accuracy_drop_pt: 100 },
    });
    expect(created.status).toBe(201);
    const done = await until('the optimisation job to end', async () => {
      const j = (await call<Job>(replicas[0]!, 'GET', `/v1/optimization-jobs/${created.body.id}`)).body;
      return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    });
    expect([done.status, done.error]).toEqual(['succeeded', null]);
    const log = (
      await call<{ data: JobEvent[] }>(replicas[1]!, 'GET', `/v1/optimization-jobs/${done.id}/events?limit=1000`)
    ).body.data;
    expect(log.some((e) => workers.some((w) => e.message === `Running in ${w.id}`))).toBe(true);
    const candidate = done.result!.version;
    for (const r of replicas) {
      const model = await until('the candidate and its routing on every replica', async () => {
        const m = (await call<Model>(r, 'GET', '/v1/models/digits')).body;
        const v = m.versions.find((x) => x.version === candidate);
        return v?.state === 'READY' && v.candidate === true && m.pinned_version === parent ? m : undefined;
      });
      expect(model.default_version).toBe(parent);
      expect(model.versions.find((v) => v.version === parent)?.state).toBe('READY');
    }
  });
});
