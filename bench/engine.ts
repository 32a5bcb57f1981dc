// bench/engine: the serving engine (issue 11). Each section compares the same maas build with a feature on and off,
// in one run, one server under load at a time:
// - batching: a heavy MLP (1024→2048→2048→1000, 8.4 M multiply-adds per row) and the demo keras_mlp, dynamic
//   batching on vs off (same model bytes under two names), c=1/8/32; average batch size from the stats extension;
// - stall: /v2/health/ready latency while a ≈200 ms model is under c=8 load, sessions placed by the default
//   (auto), in worker threads only, and on the server thread only;
// - instances: a compute-bound model (intra-op threads 1) on 1 vs 2 sessions.
// Env: BENCH_DURATION (s per row, default 8), BENCH_WARMUP (s, default 2), BENCH_SECTIONS (batching,stall,instances).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mlpModel, slowModel } from '../server/onnx/fixtures.js';
import { oipJsonBody, seededFloats } from './support/data.js';
import { envNumber } from './support/env.js';
import { combine, type LoadResult, load } from './support/load.js';
import { demoModels, tempDir } from './support/paths.js';
import { fmt, note, ratio, saveResults, table, title } from './support/report.js';
import { type ServerProcess, startMaas } from './support/server-process.js';
import { quantile } from './support/stats.js';

const duration = envNumber('BENCH_DURATION', 8);
const warmup = envNumber('BENCH_WARMUP', 2);
const sections = (process.env.BENCH_SECTIONS ?? 'batching,stall,instances').split(',');
const headers = { 'content-type': 'application/json' };

async function writeModel(repo: string, name: string, bytes: Uint8Array, config?: object): Promise<void> {
  await mkdir(join(repo, name, '1'), { recursive: true });
  await writeFile(join(repo, name, '1', 'model.onnx'), bytes);
  if (config) await writeFile(join(repo, name, 'config.json'), JSON.stringify(config, null, 2));
}

function run(
  server: ServerProcess,
  path: string,
  body: string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  return load({
    url: server.url + path,
    body,
    headers,
    connections,
    duration: seconds,
    serverCpuSeconds: server.cpuSeconds,
  });
}

/** Average rows per execution so far (the stats extension's inference_count ÷ execution_count). */
async function batchStats(server: ServerProcess, model: string): Promise<{ inferences: number; executions: number }> {
  const body = (await (await fetch(`${server.url}/v2/models/${model}/stats`)).json()) as {
    model_stats: Array<{ inference_count: number; execution_count: number }>;
  };
  const s = body.model_stats[0]!;
  return { inferences: s.inference_count, executions: s.execution_count };
}

/** A-B-B-A halves of `duration`, so drift on a shared machine hits both alike. */
async function abba(a: () => Promise<LoadResult>, b: () => Promise<LoadResult>): Promise<[LoadResult, LoadResult]> {
  const a1 = await a();
  const b1 = await b();
  const b2 = await b();
  const a2 = await a();
  return [combine([a1, a2]), combine([b1, b2])];
}

async function batching(): Promise<unknown> {
  title(`engine: dynamic batching on vs off (${duration} s per row)`);
  const tmp = await tempDir('engine-batching');
  const repo = join(tmp.dir, 'models');
  const heavy = mlpModel({ inputs: 1024, hidden: [2048, 2048], outputs: 1000, seed: 7 }).bytes;
  const batched = {
    max_batch_size: 64,
    dynamic_batching: { max_queue_delay_microseconds: 0 },
    parameters: { intra_op_thread_count: { string_value: '1' } },
  };
  const plain = { max_batch_size: 64, parameters: { intra_op_thread_count: { string_value: '1' } } };
  await writeModel(repo, 'heavy_batched', heavy, batched);
  await writeModel(repo, 'heavy_plain', heavy, plain);
  const { readFile } = await import('node:fs/promises');
  const keras = await readFile(join(demoModels, 'keras_mlp/1/model.onnx'));
  await writeModel(repo, 'keras_batched', keras, batched);
  await writeModel(repo, 'keras_plain', keras, plain);
  const server = await startMaas(['--model-repository', repo, '--data-dir', join(tmp.dir, 'data')]);
  const rows: Array<Array<string | number>> = [];
  const results: unknown[] = [];
  try {
    const cases = [
      { model: 'heavy', body: oipJsonBody('input', seededFloats(1024), [1, 1024]), connections: [1, 8, 32] },
      { model: 'keras', body: oipJsonBody('input', seededFloats(100), [1, 100]), connections: [1, 32] },
    ];
    for (const { model, body, connections } of cases) {
      const on = `/v2/models/${model}_batched/infer`;
      const off = `/v2/models/${model}_plain/infer`;
      await run(server, on, body, 8, warmup);
      await run(server, off, body, 8, warmup);
      for (const c of connections) {
        const before = await batchStats(server, `${model}_batched`);
        const [plainResult, batchedResult] = await abba(
          () => run(server, off, body, c, duration / 2),
          () => run(server, on, body, c, duration / 2),
        );
        const after = await batchStats(server, `${model}_batched`);
        const avgBatch = (after.inferences - before.inferences) / Math.max(1, after.executions - before.executions);
        rows.push([
          model,
          c,
          fmt(plainResult.rps),
          fmt(batchedResult.rps),
          fmt(batchedResult.rps / plainResult.rps),
          fmt(plainResult.p50),
          fmt(batchedResult.p50),
          fmt(plainResult.p99),
          fmt(batchedResult.p99),
          fmt(plainResult.serverCpuUs),
          fmt(batchedResult.serverCpuUs),
          fmt(avgBatch),
        ]);
        results.push({ model, connections: c, off: plainResult, on: batchedResult, avgBatch });
      }
    }
  } finally {
    await server.stop();
    await tmp.cleanup();
  }
  table(
    [
      'model',
      'c',
      'off req/s',
      'on req/s',
      'on÷off',
      'off p50 ms',
      'on p50 ms',
      'off p99 ms',
      'on p99 ms',
      'off CPU µs/req',
      'on CPU µs/req',
      'avg batch',
    ],
    rows,
  );
  const get = (model: string, c: number) =>
    results.find((r) => (r as { model: string }).model === model && (r as { connections: number }).connections === c) as
      | { off: LoadResult; on: LoadResult; avgBatch: number }
      | undefined;
  const h32 = get('heavy', 32);
  const h8 = get('heavy', 8);
  const h1 = get('heavy', 1);
  const k32 = get('keras', 32);
  if (h32) {
    ratio('batching on÷off req/s heavy MLP c=32', h32.on.rps / h32.off.rps, { op: '>=', value: 2.5 });
    ratio('batching on÷off p99 heavy MLP c=32', h32.on.p99 / h32.off.p99, { op: '<=', value: 1 });
    ratio('average batch size heavy MLP c=32', h32.avgBatch, { op: '>=', value: 16 });
  }
  if (h8) ratio('batching on÷off req/s heavy MLP c=8', h8.on.rps / h8.off.rps, { op: '>=', value: 2 });
  if (h1) ratio('batching on÷off p50 heavy MLP c=1', h1.on.p50 / h1.off.p50, { op: '<=', value: 1.1 });
  if (k32) ratio('batching on÷off req/s keras_mlp c=32', k32.on.rps / k32.off.rps, { op: '>=', value: 1.3 });
  return results;
}

/** /v2/health/ready, 20 times a second, while `busy` runs; returns the latencies in ms. */
async function probeReadiness(server: ServerProcess, busy: Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let done = false;
  void busy.finally(() => {
    done = true;
  });
  while (!done) {
    const start = performance.now();
    await fetch(`${server.url}/v2/health/ready`);
    times.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 50));
  }
  return times;
}

async function stall(): Promise<unknown> {
  title(`engine: readiness latency while a ≈200 ms model is under c=8 load (${duration} s each)`);
  const tmp = await tempDir('engine-stall');
  const repo = join(tmp.dir, 'models');
  await writeModel(repo, 'slow', slowModel({ matmuls: 2 }), {
    parameters: { intra_op_thread_count: { string_value: '1' } },
  });
  const body = JSON.stringify({ inputs: [{ name: 'size', datatype: 'INT64', shape: [2], data: [1024, 1024] }] });
  const out: Record<string, { p50: number; p99: number; max: number; modelP50: number }> = {};
  // auto is the default: the 200 ms model must stay on its workers there (it never measures tiny).
  for (const threads of ['auto', 'workers', 'main']) {
    const server = await startMaas([
      '--model-repository',
      repo,
      '--data-dir',
      join(tmp.dir, `data-${threads}`),
      '--session-threads',
      threads,
    ]);
    try {
      const busy = run(server, '/v2/models/slow/infer', body, 8, duration);
      const times = await probeReadiness(server, busy);
      const loadResult = await busy;
      out[threads] = {
        p50: quantile(times, 0.5),
        p99: quantile(times, 0.99),
        max: Math.max(...times),
        modelP50: loadResult.p50,
      };
    } finally {
      await server.stop();
    }
  }
  await tmp.cleanup();
  table(
    ['sessions on', 'ready p50 ms', 'ready p99 ms', 'ready max ms', 'slow infer p50 ms'],
    Object.entries(out).map(([k, v]) => [k, fmt(v.p50), fmt(v.p99), fmt(v.max), fmt(v.modelP50)]),
  );
  ratio('ready p99 ms under load, default (auto)', out.auto!.p99, { op: '<=', value: 20 });
  ratio('ready p99 ms under load, worker threads', out.workers!.p99, { op: '<=', value: 20 });
  ratio('ready p99 main thread ÷ worker threads', out.main!.p99 / out.workers!.p99);
  return out;
}

async function instances(): Promise<unknown> {
  title(`engine: 1 vs 2 sessions of a compute-bound model, intra-op threads 1, c=8 (${duration} s per row)`);
  const tmp = await tempDir('engine-instances');
  const repo = join(tmp.dir, 'models');
  // ≈ 137 M multiply-adds per request against 512 floats in and 128 out: the run, not the JSON on the server's
  // thread nor the load generator beside it (they share the same two cores), is what the cores are busy with.
  const model = mlpModel({ inputs: 64, hidden: [4096, 4096], outputs: 16, seed: 5 }).bytes;
  const params = { parameters: { intra_op_thread_count: { string_value: '1' } } };
  await writeModel(repo, 'one', model, { ...params, instance_group: [{ count: 1, kind: 'KIND_CPU' }] });
  await writeModel(repo, 'two', model, { ...params, instance_group: [{ count: 2, kind: 'KIND_CPU' }] });
  const body = oipJsonBody('input', seededFloats(64 * 8), [8, 64]);
  const server = await startMaas(['--model-repository', repo, '--data-dir', join(tmp.dir, 'data')]);
  let one: LoadResult;
  let two: LoadResult;
  try {
    await run(server, '/v2/models/one/infer', body, 8, warmup);
    await run(server, '/v2/models/two/infer', body, 8, warmup);
    [one, two] = await abba(
      () => run(server, '/v2/models/one/infer', body, 8, duration / 2),
      () => run(server, '/v2/models/two/infer', body, 8, duration / 2),
    );
  } finally {
    await server.stop();
    await tmp.cleanup();
  }
  table(
    ['sessions', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req'],
    [
      [1, fmt(one.rps), fmt(one.p50), fmt(one.p99), fmt(one.serverCpuUs)],
      [2, fmt(two.rps), fmt(two.p50), fmt(two.p99), fmt(two.serverCpuUs)],
    ],
  );
  ratio('2 sessions ÷ 1 session req/s', two.rps / one.rps, { op: '>=', value: 1.6 });
  return { one, two };
}

async function main(): Promise<void> {
  note(`sections: ${sections.join(', ')}`);
  const results: Record<string, unknown> = {};
  if (sections.includes('batching')) results.batching = await batching();
  if (sections.includes('stall')) results.stall = await stall();
  if (sections.includes('instances')) results.instances = await instances();
  await saveResults('engine', results);
}

await main();
