// bench/memory: `maas serve` (the built CLI) with the demo models: RSS after start, then RSS growth over N
// upload → load → infer → unload → delete-version cycles of a small model, all through HTTP with MaasClient.
// Memory is read after a forced full GC (a preloaded bench hook, see support/gc-hook.mjs) and a settle pause.
// Env: BENCH_MEMORY_CYCLES (default 1000), BENCH_MEMORY_SETTLE (s, default 2).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededFloats } from './support/data.js';
import { envNumber } from './support/env.js';
import { benchDir, copyDemoModels, importBuiltSdk, kerasModelFile, tempDir } from './support/paths.js';
import { note, ratio, saveResults, table, title } from './support/report.js';
import { type ServerProcess, startMaas } from './support/server-process.js';

const cycles = envNumber('BENCH_MEMORY_CYCLES', 1000);
const settleSeconds = envNumber('BENCH_MEMORY_SETTLE', 2);
const MB = 1024 * 1024;
const CYCLE_MODEL = 'cycle_mlp';

interface Snapshot {
  label: string;
  rss: number;
  heapUsed: number;
  external: number;
}

/** Settles, forces a full GC in the server, and reads its memory. */
async function snapshot(server: ServerProcess, label: string, settle = settleSeconds): Promise<Snapshot> {
  await new Promise((r) => setTimeout(r, settle * 1000));
  const line = server.waitForLine(/^bench:gc (.*)$/);
  server.child.kill('SIGUSR2');
  const usage = JSON.parse((await line)[1]!) as { gc: boolean; heapUsed: number; external: number };
  if (!usage.gc) throw new Error('the server has no global.gc (--expose-gc missing)');
  return { label, rss: await server.rss(), heapUsed: usage.heapUsed, external: usage.external };
}

async function main(): Promise<void> {
  title(`memory: maas serve with the demo models; ${cycles} upload → load → infer → unload → delete cycles`);
  const tmp = await tempDir('memory');
  const repo = await copyDemoModels(tmp.dir);
  const hook = pathToFileURL(join(benchDir, 'support/gc-hook.mjs')).href;
  const server = await startMaas(['--model-repository', repo, '--data-dir', join(tmp.dir, 'data')], {
    nodeArgs: ['--expose-gc', '--import', hook],
  });
  const { MaasClient } = await importBuiltSdk();
  const client = new MaasClient({ baseUrl: server.url, apiKey: null, maxRetries: 0 });
  try {
    const snapshots: Snapshot[] = [await snapshot(server, 'after start')];
    const modelBytes = await readFile(kerasModelFile);
    const inputs = { inputs: { input: { data: seededFloats(100), shape: [1, 100] } } };
    for (let i = 0; i < 200; i++) await client.models.infer('keras_mlp', inputs);
    snapshots.push(await snapshot(server, 'after 200 requests (cycle baseline)'));

    const trend: Array<[number, number]> = [];
    const t0 = performance.now();
    for (let i = 1; i <= cycles; i++) {
      const uploaded = await client.models.upload(CYCLE_MODEL, modelBytes);
      await client.repository.load(CYCLE_MODEL);
      await client.models.infer(CYCLE_MODEL, inputs);
      await client.repository.unload(CYCLE_MODEL);
      await client.models.deleteVersion(CYCLE_MODEL, uploaded.version);
      if (i % Math.max(1, Math.floor(cycles / 10)) === 0) trend.push([i, await server.rss()]);
    }
    const cycleMs = (performance.now() - t0) / cycles;
    snapshots.push(await snapshot(server, `after ${cycles} cycles`));

    table(
      ['when', 'RSS MB', 'V8 heap used MB', 'external MB'],
      snapshots.map((s) => [
        s.label,
        (s.rss / MB).toFixed(1),
        (s.heapUsed / MB).toFixed(1),
        (s.external / MB).toFixed(1),
      ]),
    );
    note(`\nRSS during the cycles (no GC): ${trend.map(([i, rss]) => `${i}: ${(rss / MB).toFixed(1)}`).join(', ')} MB`);
    note(`${cycleMs.toFixed(1)} ms per cycle (5 requests)\n`);
    const start = snapshots[0]!;
    const before = snapshots[1]!;
    const after = snapshots[2]!;
    const growth = (after.rss - before.rss) / MB;
    ratio('RSS after start MB', start.rss / MB, { op: '<=', value: 150 });
    ratio(`RSS growth over ${cycles} cycles MB`, growth, { op: '<=', value: 20 });
    ratio(`V8 heap growth over ${cycles} cycles MB`, (after.heapUsed - before.heapUsed) / MB);
    await saveResults('memory', { cycles, cycleMs, snapshots, trend });
  } finally {
    await client.close();
    await server.stop();
    await tmp.cleanup();
  }
}

await main();
