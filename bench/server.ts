// bench/server: `maas serve` (the built CLI) against a bare node:http + onnxruntime-node server on the demo
// Keras MLP (100 → 64 → 64 → 10), same bodies, same concurrency, one server under load at a time.
// Each server gets BENCH_DURATION seconds per (path, concurrency), in two halves ordered bare, maas, maas, bare.
// Env: BENCH_DURATION (s per server per run, default 10), BENCH_WARMUP (s, default 2),
// BENCH_CONNECTIONS (default 1,8,32), BENCH_CPU_PROF=1 (write .cpuprofile files of both servers to .tmp/bench/profiles/{maas,bare}),
// BENCH_MAAS_ARGS (extra `maas serve` flags, e.g. "--session-threads workers").
import { join } from 'node:path';
import { maxAbsDiff, oipJsonBody, seededFloats } from './support/data.js';
import { envIntegers, envNumber } from './support/env.js';
import { combine, type LoadResult, load } from './support/load.js';
import { benchDir, copyDemoModels, repoRoot, tempDir } from './support/paths.js';
import { note, ratio, saveResults, table, title } from './support/report.js';
import { type ServerProcess, startMaas, startServerProcess } from './support/server-process.js';

const MODEL = 'keras_mlp';
const duration = envNumber('BENCH_DURATION', 10);
const warmup = envNumber('BENCH_WARMUP', 2);
const concurrencies = envIntegers('BENCH_CONNECTIONS', [1, 8, 32]);
/** Extra `maas serve` flags, e.g. `--session-threads main`, to measure a configuration against the same bare server. */
const maasArgs = (process.env.BENCH_MAAS_ARGS ?? '').split(/\s+/).filter(Boolean);
const profileDir = process.env.BENCH_CPU_PROF === '1' ? join(repoRoot, '.tmp/bench/profiles') : undefined;

interface Route {
  name: string;
  path: string;
  body: string;
  /** The model's probabilities from a parsed response. */
  probabilities(response: unknown): number[];
}

const input = seededFloats(100);
const routes: Route[] = [
  {
    name: 'OIP infer',
    path: `/v2/models/${MODEL}/infer`,
    body: oipJsonBody('input', input, [1, 100]),
    probabilities: (r) => (r as { outputs: Array<{ data: number[] }> }).outputs[0]!.data,
  },
  {
    name: 'TF-Serving predict',
    path: `/v1/models/${MODEL}:predict`,
    body: JSON.stringify({ instances: [Array.from(input)] }),
    probabilities: (r) => (r as { predictions: number[][] }).predictions[0]!,
  },
];
const headers = { 'content-type': 'application/json' };

async function post(server: ServerProcess, route: Route): Promise<number[]> {
  const response = await fetch(server.url + route.path, { method: 'POST', headers, body: route.body });
  if (!response.ok) throw new Error(`${server.url}${route.path}: ${response.status} ${await response.text()}`);
  return route.probabilities(await response.json());
}

function run(server: ServerProcess, route: Route, connections: number, seconds: number): Promise<LoadResult> {
  return load({
    url: server.url + route.path,
    body: route.body,
    headers,
    connections,
    duration: seconds,
    serverCpuSeconds: server.cpuSeconds,
  });
}

async function main(): Promise<void> {
  title(`server: maas serve vs bare node:http + onnxruntime-node (${MODEL}, ${duration} s per run)`);
  const tmp = await tempDir('server');
  const servers: ServerProcess[] = [];
  try {
    const repo = await copyDemoModels(tmp.dir);
    const profile = (name: string) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : []);
    const bare = await startServerProcess(
      join(benchDir, 'bare-server.mjs'),
      ['--model', join(repo, MODEL, '1/model.onnx'), '--name', MODEL],
      { nodeArgs: profile('bare') },
    );
    servers.push(bare);
    const maas = await startMaas(['--model-repository', repo, '--data-dir', join(tmp.dir, 'data'), ...maasArgs], {
      nodeArgs: profile('maas'),
    });
    servers.push(maas);
    note(`bare: ${bare.url} (pid ${bare.pid})  maas: ${maas.url} (pid ${maas.pid})`);

    // Same model, same answer: otherwise the comparison means nothing.
    for (const route of routes) {
      const diff = maxAbsDiff(await post(bare, route), await post(maas, route));
      if (!(diff <= 1e-6)) throw new Error(`${route.name}: maas and bare answers differ by ${diff}`);
    }

    const results: Array<{ route: string; connections: number; bare: LoadResult; maas: LoadResult }> = [];
    for (const route of routes) {
      // JIT warm-up of both processes (and of autocannon) before anything is measured.
      await run(bare, route, 8, warmup);
      await run(maas, route, 8, warmup);
      for (const c of concurrencies) {
        // A-B-B-A halves: drift from the neighbours on a shared machine (linear in time) hits both servers alike.
        const b1 = await run(bare, route, c, duration / 2);
        const m1 = await run(maas, route, c, duration / 2);
        const m2 = await run(maas, route, c, duration / 2);
        const b2 = await run(bare, route, c, duration / 2);
        const b = combine([b1, b2]);
        const m = combine([m1, m2]);
        if (b.failures || m.failures) {
          throw new Error(`${route.name} c=${c}: failures bare ${b.failures}, maas ${m.failures}`);
        }
        results.push({ route: route.name, connections: c, bare: b, maas: m });
      }
    }
    table(
      [
        'path',
        'c',
        'bare req/s',
        'maas req/s',
        'maas÷bare',
        'bare p50 ms',
        'maas p50 ms',
        'bare p99 ms',
        'maas p99 ms',
      ],
      results.map(({ route, connections, bare: b, maas: m }) => [
        route,
        connections,
        b.rps,
        m.rps,
        (m.rps / b.rps).toFixed(3),
        b.p50,
        m.p50,
        b.p99,
        m.p99,
      ]),
    );
    note('');
    table(
      ['path', 'c', 'bare server CPU µs/req', 'maas server CPU µs/req', 'maas÷bare'],
      results.map(({ route, connections, bare: b, maas: m }) => [
        route,
        connections,
        b.serverCpuUs,
        m.serverCpuUs,
        (m.serverCpuUs / b.serverCpuUs).toFixed(2),
      ]),
    );
    note('');
    for (const { route, connections: c, bare: b, maas: m } of results) {
      const target = c === 32;
      ratio(`server÷bare req/s ${route} c=${c}`, m.rps / b.rps, target ? { op: '>=', value: 0.9 } : undefined);
      ratio(`server÷bare p99 ${route} c=${c}`, m.p99 / b.p99, target ? { op: '<=', value: 1.2 } : undefined);
      // Throughput on a shared 2-core machine swings with the neighbours; CPU per request much less.
      ratio(`server÷bare CPU per request ${route} c=${c}`, m.serverCpuUs / b.serverCpuUs);
    }
    const strip = ({ times: _t, ...rest }: LoadResult) => rest;
    await saveResults('server', {
      duration,
      results: results.map((r) => ({ ...r, bare: strip(r.bare), maas: strip(r.maas) })),
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await tmp.cleanup();
  }
  if (profileDir) note(`\nCPU profiles of both servers written to ${profileDir}/{maas,bare}`);
}

await main();
