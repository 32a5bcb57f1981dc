// bench/rollout: what a rollout costs on `maas serve` (the built CLI), keras_mlp versions 1 and 2 (same weights).
// 1. Split accuracy: BENCH_ROLLOUT_REQUESTS (default 10,000) unversioned OIP requests under a 90/10 split; the share
//    each version answered (from the response's model_version) against the weights.
// 2. Shadow overhead: throughput and p99 of the primary path at c=BENCH_CONNECTIONS (default 32) with no shadow,
//    shadow fraction 0.1 and 1.0, in halves ordered off, 0.1, 0.1, off, then 1.0, 1.0 (drift on a shared machine hits
//    both sides of the 0.1 comparison alike); the shadow report (mirrored, dropped) after each.
// Env: BENCH_DURATION (s per setting, default 10), BENCH_WARMUP (s, default 2).
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'undici';
import { oipJsonBody, seededFloats } from './support/data.js';
import { envNumber } from './support/env.js';
import { combine, type LoadResult, load } from './support/load.js';
import { kerasModelFile, tempDir } from './support/paths.js';
import { note, ratio, saveResults, table, title } from './support/report.js';
import { type ServerProcess, startMaas } from './support/server-process.js';

const MODEL = 'keras_mlp';
const requests = envNumber('BENCH_ROLLOUT_REQUESTS', 10_000);
const connections = envNumber('BENCH_CONNECTIONS', 32);
const duration = envNumber('BENCH_DURATION', 10);
const warmup = envNumber('BENCH_WARMUP', 2);
const body = oipJsonBody('input', seededFloats(100), [1, 100]);
const headers = { 'content-type': 'application/json' };

async function patch(maas: ServerProcess, update: unknown): Promise<void> {
  const res = await fetch(`${maas.url}/v1/models/${MODEL}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ ...(update as object), reason: 'bench/rollout' }),
  });
  if (!res.ok) throw new Error(`PATCH ${MODEL}: ${res.status} ${await res.text()}`);
}

async function shadowReport(maas: ServerProcess) {
  const res = await fetch(`${maas.url}/v1/models/${MODEL}/shadow`);
  return (await res.json()) as { mirrored: number; dropped: number; failed: number; argmax_agreement: number | null };
}

/** `requests` unversioned requests, 16 at a time: how many each version answered. */
async function splitCounts(maas: ServerProcess): Promise<Map<string, number>> {
  const pool = new Pool(maas.url, { connections: 16 });
  const counts = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next++ < requests) {
      const res = await pool.request({ path: `/v2/models/${MODEL}/infer`, method: 'POST', headers, body });
      const answer = (await res.body.json()) as { model_version?: string };
      if (res.statusCode !== 200) throw new Error(`infer: ${res.statusCode} ${JSON.stringify(answer)}`);
      counts.set(answer.model_version!, (counts.get(answer.model_version!) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await pool.close();
  return counts;
}

const run = (maas: ServerProcess, seconds: number) =>
  load({
    url: `${maas.url}/v2/models/${MODEL}/infer`,
    body,
    headers,
    connections,
    duration: seconds,
    serverCpuSeconds: maas.cpuSeconds,
  });

async function main(): Promise<void> {
  title(`rollout: 90/10 split over ${requests} requests; shadow overhead at c=${connections} (${MODEL})`);
  const tmp = await tempDir('rollout');
  try {
    const repo = join(tmp.dir, 'models');
    for (const v of ['1', '2']) {
      await mkdir(join(repo, MODEL, v), { recursive: true });
      await copyFile(kerasModelFile, join(repo, MODEL, v, 'model.onnx'));
    }
    await writeFile(join(repo, MODEL, 'config.json'), JSON.stringify({ version_policy: { all: {} } }));
    const maas = await startMaas(['--model-repository', repo, '--data-dir', join(tmp.dir, 'data')]);
    try {
      await patch(maas, {
        traffic: [
          { version: '1', weight: 90 },
          { version: '2', weight: 10 },
        ],
      });
      const counts = await splitCounts(maas);
      const share = (v: string) => ((counts.get(v) ?? 0) / requests) * 100;
      table(
        ['version', 'weight %', 'answered', 'share %', 'off by pt'],
        [
          ['1', 90, counts.get('1') ?? 0, share('1'), share('1') - 90],
          ['2', 10, counts.get('2') ?? 0, share('2'), share('2') - 10],
        ],
      );
      ratio('split 90/10: |share of version 2 − 10| in pt', Math.abs(share('2') - 10), { op: '<=', value: 2 });
      await patch(maas, { traffic: null, default_version: '1' });

      await run(maas, warmup);
      const measure = async (fraction: number | null) => {
        await patch(maas, { shadow: fraction === null ? null : { version: '2', fraction } });
        return run(maas, duration / 2);
      };
      const off1 = await measure(null);
      const tenth1 = await measure(0.1);
      const tenthReport = await shadowReport(maas);
      const tenth2 = await measure(0.1);
      const off2 = await measure(null);
      const full1 = await measure(1);
      const full2 = await run(maas, duration / 2);
      const fullReport = await shadowReport(maas);
      const off = combine([off1, off2]);
      const tenth = combine([tenth1, tenth2]);
      const full = combine([full1, full2]);
      for (const [name, r] of [
        ['off', off],
        ['0.1', tenth],
        ['1.0', full],
      ] as const) {
        if (r.failures) throw new Error(`shadow ${name}: ${r.failures} failed primary requests`);
      }
      const row = (name: string, r: LoadResult, report?: { mirrored: number; dropped: number }) => [
        name,
        r.rps,
        r.rps / off.rps,
        r.p50,
        r.p99,
        r.p99 / off.p99,
        r.serverCpuUs,
        report ? `${report.mirrored} / ${report.dropped}` : '-',
      ];
      table(
        ['shadow', 'req/s', '÷ off', 'p50 ms', 'p99 ms', 'p99 ÷ off', 'server CPU µs/req', 'mirrored / dropped'],
        [row('off', off), row('fraction 0.1', tenth, tenthReport), row('fraction 1.0', full, fullReport)],
      );
      note(`shadow fraction 1.0: argmax agreement ${fullReport.argmax_agreement} (same weights: expect 1)`);
      ratio('shadow 0.1: primary throughput ÷ no shadow', tenth.rps / off.rps, { op: '>=', value: 0.9 });
      ratio('shadow 0.1: primary p99 ÷ no shadow', tenth.p99 / off.p99, { op: '<=', value: 1.2 });
      ratio('shadow 1.0: primary throughput ÷ no shadow', full.rps / off.rps);
      ratio('shadow 1.0: primary p99 ÷ no shadow', full.p99 / off.p99);
      const strip = ({ times: _t, ...rest }: LoadResult) => rest;
      await saveResults('rollout', {
        requests,
        split: Object.fromEntries(counts),
        shadow: { off: strip(off), tenth: strip(tenth), full: strip(full), tenthReport, fullReport },
      });
    } finally {
      await maas.stop();
    }
  } finally {
    await tmp.cleanup();
  }
}

await main();
