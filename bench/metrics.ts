// bench/metrics: how long `GET /metrics` takes on `maas serve` (the built CLI) with 50 models that have all served
// requests (every histogram series present), against `GET /v2/health/live` on the same server as the baseline round
// trip. Sequential requests over one keep-alive connection; the server's CPU per scrape from /proc.
// Env: BENCH_METRICS_MODELS (default 50), BENCH_METRICS_SCRAPES (default 300), BENCH_CPU_PROF=1 (write a .cpuprofile
// of the server to .tmp/bench/profiles/metrics).
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { oipJsonBody, seededFloats } from './support/data.js';
import { envNumber } from './support/env.js';
import { kerasModelFile, repoRoot, tempDir } from './support/paths.js';
import { bytes, note, ratio, saveResults, table, title } from './support/report.js';
import { startMaas } from './support/server-process.js';

const models = envNumber('BENCH_METRICS_MODELS', 50);
const scrapes = envNumber('BENCH_METRICS_SCRAPES', 300);
const agent = new Agent({ connections: 1 });

async function get(url: string): Promise<{ ms: number; size: number; status: number }> {
  const t0 = process.hrtime.bigint();
  const res = await request(url, { dispatcher: agent });
  const text = await res.body.text();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, size: Buffer.byteLength(text), status: res.statusCode };
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main(): Promise<void> {
  title(`metrics: GET /metrics with ${models} models vs GET /v2/health/live (${scrapes} sequential requests each)`);
  const tmp = await tempDir('metrics');
  try {
    const repo = join(tmp.dir, 'models');
    const names = Array.from({ length: models }, (_, i) => `model_${String(i).padStart(2, '0')}`);
    for (const name of names) {
      await mkdir(join(repo, name, '1'), { recursive: true });
      await copyFile(kerasModelFile, join(repo, name, '1', 'model.onnx'));
    }
    // Sessions on the server thread: 50 worker threads would measure the machine, not the scrape.
    const profile = process.env.BENCH_CPU_PROF === '1';
    const maas = await startMaas(
      ['--model-repository', repo, '--data-dir', join(tmp.dir, 'data'), '--session-threads', 'main'],
      profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(repoRoot, '.tmp/bench/profiles/metrics')}`] } : {},
    );
    try {
      for (let tries = 0; (await get(`${maas.url}/v2/health/ready`)).status !== 200; tries++) {
        if (tries > 600) throw new Error('the models did not load within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Every series present: successes (histograms with samples) and a failure per model.
      const body = oipJsonBody('input', seededFloats(100), [1, 100]);
      const bad = oipJsonBody('input', seededFloats(99), [1, 99]);
      for (const name of names) {
        for (const payload of [body, body, body, bad]) {
          await request(`${maas.url}/v2/models/${name}/infer`, {
            dispatcher: agent,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: payload,
          }).then((r) => r.body.dump());
        }
      }
      const measure = async (path: string) => {
        for (let i = 0; i < 30; i++) await get(maas.url + path); // JIT warm-up
        const cpu0 = await maas.cpuSeconds();
        const times: number[] = [];
        let size = 0;
        for (let i = 0; i < scrapes; i++) {
          const r = await get(maas.url + path);
          if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
          times.push(r.ms);
          size = r.size;
        }
        const cpuMs = (((await maas.cpuSeconds()) - cpu0) * 1000) / scrapes;
        times.sort((a, b) => a - b);
        return { p50: quantile(times, 0.5), p90: quantile(times, 0.9), p99: quantile(times, 0.99), cpuMs, size };
      };
      const live = await measure('/v2/health/live');
      const metrics = await measure('/metrics');
      const lines = (await (await request(`${maas.url}/metrics`, { dispatcher: agent })).body.text()).split('\n');
      note(`${lines.filter((l) => l.startsWith('maas_')).length} maas_ samples, ${bytes(metrics.size)} per scrape`);
      table(
        ['request', 'p50 ms', 'p90 ms', 'p99 ms', 'server CPU ms/req', 'body'],
        [
          ['GET /v2/health/live', live.p50, live.p90, live.p99, live.cpuMs, bytes(live.size)],
          [
            `GET /metrics (${models} models)`,
            metrics.p50,
            metrics.p90,
            metrics.p99,
            metrics.cpuMs,
            bytes(metrics.size),
          ],
        ],
      );
      note('');
      ratio(`/metrics scrape p50 ms with ${models} models`, metrics.p50, { op: '<=', value: 5 });
      ratio(`/metrics scrape p99 ms with ${models} models`, metrics.p99);
      ratio(`/metrics server CPU ms per scrape with ${models} models`, metrics.cpuMs);
      await saveResults('metrics', { models, scrapes, live, metrics });
    } finally {
      await maas.stop();
    }
  } finally {
    await agent.close();
    await tmp.cleanup();
  }
}

await main();
