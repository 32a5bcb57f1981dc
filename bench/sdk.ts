// bench/sdk: the same OIP infer call (keras_mlp, 100 FP32 values) through MaasClient and through the clients a user
// could write instead — raw undici.request with a hand-built body, openapi-fetch on the same generated `paths`, and
// the global fetch — against one `maas serve` (the built CLI), sequentially and with 32 requests in flight.
// Env: BENCH_SDK_REQUESTS (per client per round, default 3000), BENCH_SDK_ROUNDS (default 3; the median is kept),
// BENCH_SDK_CONCURRENCY (default 32).
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import { Agent, request } from 'undici';
import type { paths } from '../src/generated/openapi.js';
import { maxAbsDiff, seededFloats } from './support/data.js';
import { envNumber } from './support/env.js';
import { copyDemoModels, importBuiltSdk, tempDir } from './support/paths.js';
import { note, ratio, saveResults, table, title } from './support/report.js';
import { startMaas } from './support/server-process.js';
import { median } from './support/stats.js';

const MODEL = 'keras_mlp';
const requests = envNumber('BENCH_SDK_REQUESTS', 3000);
const rounds = envNumber('BENCH_SDK_ROUNDS', 3);
const concurrency = envNumber('BENCH_SDK_CONCURRENCY', 32);

/** One inference; resolves to the returned probabilities. */
type Call = () => Promise<ArrayLike<number>>;

interface InferJson {
  outputs: Array<{ name: string; data: number[] }>;
}

async function clients(baseUrl: string): Promise<{ calls: Record<string, Call>; close: () => Promise<void> }> {
  const { MaasClient } = await importBuiltSdk();
  const input = seededFloats(100);
  const url = `${baseUrl}/v2/models/${MODEL}/infer`;
  // Every client builds its body per call from the same Float32Array, as an application would.
  const jsonBody = () =>
    JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], data: Array.from(input) }] });

  const maas = new MaasClient({ baseUrl, apiKey: null, maxRetries: 0 });
  const maasFetch = new MaasClient({ baseUrl, apiKey: null, maxRetries: 0, fetch: globalThis.fetch });
  const agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  const api = createClient<paths>({ baseUrl });
  const maasInputs = { inputs: { input: { data: input, shape: [1, 100] } } };

  const calls: Record<string, Call> = {
    MaasClient: async () => (await maas.models.infer(MODEL, maasInputs)).outputs[0]!.data as Float32Array,
    'MaasClient (fetch transport)': async () =>
      (await maasFetch.models.infer(MODEL, maasInputs)).outputs[0]!.data as Float32Array,
    'undici.request': async () => {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: jsonBody(),
        dispatcher: agent,
      });
      const body = (await res.body.json()) as InferJson;
      if (res.statusCode !== 200) throw new Error(`undici: ${res.statusCode}`);
      return body.outputs[0]!.data;
    },
    'openapi-fetch': async () => {
      const { data, error } = await api.POST('/v2/models/{model}/infer', {
        params: { path: { model: MODEL } },
        body: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], data: Array.from(input) }] },
      });
      if (error || !data) throw new Error(`openapi-fetch: ${JSON.stringify(error)}`);
      return (data as InferJson).outputs[0]!.data;
    },
    fetch: async () => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: jsonBody(),
      });
      if (!res.ok) throw new Error(`fetch: ${res.status}`);
      return ((await res.json()) as InferJson).outputs[0]!.data;
    },
  };
  return {
    calls,
    close: async () => {
      await Promise.all([maas.close(), maasFetch.close(), agent.close()]);
    },
  };
}

interface Measured {
  rps: number;
  /** This (client) process's CPU time per call, µs: the SDK's own cost, whatever the neighbours do. */
  cpuUs: number;
}

/** `total` calls with `inFlight` of them running at once. */
async function measure(call: Call, total: number, inFlight: number): Promise<Measured> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      await call();
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rps: total / seconds, cpuUs: (cpu.user + cpu.system) / total };
}

async function main(): Promise<void> {
  title(
    `sdk: MaasClient vs undici.request vs openapi-fetch vs fetch (${MODEL}, ${requests} requests × ${rounds} rounds)`,
  );
  const tmp = await tempDir('sdk');
  const repo = await copyDemoModels(tmp.dir);
  const server = await startMaas(['--model-repository', repo, '--data-dir', join(tmp.dir, 'data')]);
  const { calls, close } = await clients(server.url);
  try {
    const names = Object.keys(calls);
    const reference = await calls.MaasClient!();
    for (const name of names) {
      const diff = maxAbsDiff(reference, await calls[name]!());
      if (!(diff <= 1e-6)) throw new Error(`${name} returned different probabilities (max diff ${diff})`);
    }
    for (const name of names) await measure(calls[name]!, 500, 8); // JIT warm-up of every client path

    const modes = [
      { label: 'sequential', inFlight: 1 },
      { label: `concurrency ${concurrency}`, inFlight: concurrency },
    ];
    const figures: Record<string, Record<string, number>> = {};
    const cpu: Record<string, Record<string, number>> = {};
    for (const mode of modes) {
      const samples: Record<string, Measured[]> = Object.fromEntries(names.map((n) => [n, []]));
      for (let round = 0; round < rounds; round++) {
        // Rotate the order so drift on a shared machine does not always favour the same client.
        const order = names.map((_, i) => names[(i + round) % names.length]!);
        for (const name of order) samples[name]!.push(await measure(calls[name]!, requests, mode.inFlight));
      }
      figures[mode.label] = Object.fromEntries(names.map((n) => [n, median(samples[n]!.map((s) => s.rps))]));
      cpu[mode.label] = Object.fromEntries(names.map((n) => [n, median(samples[n]!.map((s) => s.cpuUs))]));
    }

    table(
      ['client', ...modes.flatMap((m) => [`${m.label} req/s`, `${m.label} client CPU µs/call`])],
      names.map((n) => [n, ...modes.flatMap((m) => [figures[m.label]![n]!, cpu[m.label]![n]!])]),
    );
    note('');
    for (const mode of modes) {
      const f = figures[mode.label]!;
      const c = mode.inFlight === 1 ? 'sequential' : `c=${mode.inFlight}`;
      ratio(`MaasClient÷undici req/s ${c}`, f.MaasClient! / f['undici.request']!, { op: '>=', value: 0.9 });
      ratio(`MaasClient÷openapi-fetch req/s ${c}`, f.MaasClient! / f['openapi-fetch']!, { op: '>=', value: 1 });
      ratio(`MaasClient÷fetch req/s ${c}`, f.MaasClient! / f.fetch!);
      ratio(
        `MaasClient (fetch transport)÷openapi-fetch req/s ${c}`,
        f['MaasClient (fetch transport)']! / f['openapi-fetch']!,
      );
      const u = cpu[mode.label]!;
      ratio(`undici÷MaasClient client CPU per call ${c}`, u['undici.request']! / u.MaasClient!);
      ratio(`openapi-fetch÷MaasClient client CPU per call ${c}`, u['openapi-fetch']! / u.MaasClient!);
    }
    await saveResults('sdk', { requests, rounds, concurrency, figures, cpu });
  } finally {
    await close();
    await server.stop();
    await tmp.cleanup();
  }
}

await main();
