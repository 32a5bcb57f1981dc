import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlacedModel, PROOF_RUNS, REACH, STRIKES } from '../../server/inference/placement.js';
import { SessionPool } from '../../server/inference/pool.js';
import type { Settings } from '../../server/settings.js';
import { parseExposition, sampleValue } from '../support/exposition.js';
import { addModel, slowModel } from '../support/models.js';
import { startTestServer, type TestServer } from '../support/server.js';

// `--session-threads auto` on real sessions: a version starts on its workers, moves its small runs to the server's
// thread once they have proved tiny, sends inputs beyond its evidence to the workers, and goes back for good after
// one slow run on the server's thread.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const start = async (
  models: Record<string, { onnx: Uint8Array; config?: unknown }>,
  settings: Partial<Settings> = {},
) => {
  server = await startTestServer({ models, settings: { intraOpThreads: 1, ...settings } });
  return server;
};

function served(name: string) {
  const lease = server!.registry.acquire(name);
  lease.release();
  return lease.model;
}

async function infer(name: string, body: unknown) {
  const res = await fetch(`${server!.baseUrl}/v2/models/${name}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(json)}`);
  return json.outputs[0].data as number[];
}

/** `rows` rows of a + b where a = 0, 1, 2, … and b = 10 × that. */
async function addRows(rows: number) {
  const a = Array.from({ length: rows * 4 }, (_, i) => i);
  const data = await infer('add', {
    inputs: [
      { name: 'a', datatype: 'FP32', shape: [rows, 4], data: a },
      { name: 'b', datatype: 'FP32', shape: [rows, 4], data: a.map((v) => v * 10) },
    ],
  });
  expect(data).toEqual(a.map((v) => v * 11));
}

/** `maas_inference_server_thread` of the model's version 1, from GET /metrics. */
async function serverThreadGauge(name: string): Promise<number | undefined> {
  const text = await (await fetch(`${server!.baseUrl}/metrics`)).text();
  return sampleValue(parseExposition(text), 'maas_inference_server_thread', { model: name, version: '1' });
}

const slowBody = (n: number) => ({ inputs: [{ name: 'size', datatype: 'INT64', shape: [2], data: [n, n] }] });

describe('session placement (auto)', () => {
  // The limits are generous so that a loaded machine's slow runs cannot change the outcome.
  it('moves a tiny model to the server thread after its proof runs, and sends inputs beyond its evidence to the workers', async () => {
    await start({ add: { onnx: addModel('FP32', [-1, 4]) } }, { inlineRunLimit: 50_000 });
    const model = served('add');
    expect(model).toBeInstanceOf(PlacedModel);
    const placed = model as PlacedModel;
    expect(placed.placement).toBe('worker threads');
    expect(await serverThreadGauge('add')).toBe(0);
    for (let i = 0; i < PROOF_RUNS; i++) await addRows(1);
    expect(placed.runs).toEqual({ serverThread: 0, workers: PROOF_RUNS });
    await vi.waitFor(() => expect(placed.placement).toBe('server thread'));
    expect(await serverThreadGauge('add')).toBe(1);

    await addRows(1);
    expect(placed.runs).toEqual({ serverThread: 1, workers: PROOF_RUNS });
    // 1 row (8 input elements) covers up to REACH rows; 50 rows are beyond that evidence: the workers run them,
    // which in turn covers REACH × 50 rows on the server thread.
    expect(REACH).toBeLessThan(50);
    await addRows(50);
    expect(placed.runs).toEqual({ serverThread: 1, workers: PROOF_RUNS + 1 });
    await addRows(50 * REACH);
    expect(placed.runs).toEqual({ serverThread: 2, workers: PROOF_RUNS + 1 });
    // Runs on the server thread are evidence too: REACH × 50 rows now cover REACH² × 50, and not one row more.
    await addRows(50 * REACH * REACH + 1);
    expect(placed.runs).toEqual({ serverThread: 2, workers: PROOF_RUNS + 2 });
  });

  it('sends a version back to its workers for good after a few runs on the server thread over the limit', async () => {
    await start({ slow: { onnx: slowModel() } }, { inlineRunLimit: 5000 });
    const placed = served('slow') as PlacedModel;
    for (let i = 0; i < PROOF_RUNS; i++) expect(await infer('slow', slowBody(2))).toEqual([8]);
    await vi.waitFor(() => expect(placed.placement).toBe('server thread'));
    expect(placed.hasServerThreadSession).toBe(true);
    // Same input size, far more work (the model multiplies n × n matrices): 800³ multiply-adds, well over 5 ms.
    for (let i = 1; i < STRIKES; i++) {
      expect(await infer('slow', slowBody(800))).toEqual([800 ** 3]);
      expect(placed.placement).toBe('server thread');
    }
    expect(await infer('slow', slowBody(800))).toEqual([800 ** 3]);
    expect(placed.runs.serverThread).toBe(STRIKES);
    expect(placed.placement).toBe('worker threads');
    // Its session on the server thread is closed (nothing holds it), the workers' stays.
    expect(placed.hasServerThreadSession).toBe(false);
    expect(await serverThreadGauge('slow')).toBe(0);
    for (let i = 0; i < PROOF_RUNS + 2; i++) expect(await infer('slow', slowBody(2))).toEqual([8]);
    expect(placed.runs).toEqual({ serverThread: STRIKES, workers: 2 * PROOF_RUNS + 2 });
    expect(placed.placement).toBe('worker threads');
  });

  it('keeps a version whose runs take over --inline-run-limit ÷ REACH on its workers', async () => {
    await start({ add: { onnx: addModel('FP32', [-1, 4]) } }, { inlineRunLimit: 1 });
    const placed = served('add') as PlacedModel;
    for (let i = 0; i < PROOF_RUNS * 2; i++) await addRows(1);
    expect(placed.runs).toEqual({ serverThread: 0, workers: PROOF_RUNS * 2 });
    expect(placed.placement).toBe('worker threads');
  });

  it('gives several instances, and --session-threads workers, worker threads only', async () => {
    await start({
      two: { onnx: addModel('FP32', [-1, 4]), config: { instance_group: [{ count: 2, kind: 'KIND_CPU' }] } },
    });
    expect(served('two')).toBeInstanceOf(SessionPool);
    await server!.close();
    await start({ add: { onnx: addModel('FP32', [-1, 4]) } }, { sessionThreads: 'workers' });
    expect(served('add')).toBeInstanceOf(SessionPool);
  });
});
