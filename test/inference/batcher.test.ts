import { afterEach, describe, expect, it } from 'vitest';
import { BatchingModel } from '../../server/inference/batcher.js';
import type { DynamicBatching } from '../../server/inference/model-config.js';
import { ModelRunError, type OnnxModel, type RunOptions, type RunTiming } from '../../server/inference/onnx-model.js';
import type { Tensor } from '../../src/protocol/tensor.js';

// A stand-in session: y = 2·x row by row (x: [n, 2] FP32), recording every run it is given. Runs wait for `release`
// when `hold` is set, so tests control when a session is busy. A row with x[0] = -1 makes the session fail.
interface Call {
  rows: number;
  xs: number[];
}
function fakeSession(options: { hold?: boolean } = {}) {
  const calls: Call[] = [];
  const waiting: Array<() => void> = [];
  const model: OnnxModel = {
    inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
    outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
    async run(inputs: readonly Tensor[], _outputs?: readonly string[], run: RunOptions = {}) {
      const x = inputs[0]!;
      const xs = Array.from(x.data as Float32Array);
      calls.push({ rows: x.shape[0]!, xs });
      if (options.hold) await new Promise<void>((resolve) => waiting.push(resolve));
      if (xs.includes(-1)) throw new ModelRunError('Non-zero status code returned while running Gather node');
      if (run.timing) run.timing.computeInferNs = (run.timing.computeInferNs ?? 0) + 1000;
      return [{ name: 'y', datatype: 'FP32', shape: [...x.shape], data: Float32Array.from(xs, (v) => v * 2) }];
    },
    async close() {},
  };
  return { model, calls, release: () => waiting.shift()?.() };
}

const rows = (n: number, start = 0): Tensor => ({
  name: 'x',
  datatype: 'FP32',
  shape: [n, 2],
  data: Float32Array.from({ length: n * 2 }, (_, i) => start + i),
});
const tick = () => new Promise((r) => setImmediate(r));
const dynamic = (d: Partial<DynamicBatching> = {}): DynamicBatching => ({
  preferred_batch_size: [],
  max_queue_delay_microseconds: 0,
  default_queue_policy: { max_queue_size: 0 },
  ...d,
});

let models: BatchingModel[] = [];
function batcher(inner: OnnxModel, d: Partial<DynamicBatching> = {}, maxBatchSize = 8, concurrency = 1) {
  const model = new BatchingModel(inner, {
    label: "Model 'm' version 1",
    maxBatchSize,
    dynamic: dynamic(d),
    concurrency,
  });
  models.push(model);
  return model;
}
afterEach(() => {
  for (const m of models) m.fail('unloading');
  models = [];
});

describe('dynamic batching', () => {
  it('merges waiting requests into one run in arrival order and splits mixed row counts back exactly', async () => {
    const session = fakeSession({ hold: true });
    const model = batcher(session.model);
    // The first request takes the only session; the next three wait and leave as one batch of 1 + 3 + 2 rows.
    const first = model.run([rows(1, 100)]);
    await tick();
    const a = model.run([rows(1, 0)]);
    const b = model.run([rows(3, 10)]);
    const c = model.run([rows(2, 50)]);
    session.release();
    await first;
    await tick();
    session.release();
    const [ya, yb, yc] = await Promise.all([a, b, c]);
    expect(session.calls.map((call) => call.rows)).toEqual([1, 6]);
    expect(session.calls[1]!.xs).toEqual([0, 1, 10, 11, 12, 13, 14, 15, 50, 51, 52, 53]);
    expect(ya![0]).toMatchObject({ shape: [1, 2], data: new Float32Array([0, 2]) });
    expect(yb![0]).toMatchObject({ shape: [3, 2], data: new Float32Array([20, 22, 24, 26, 28, 30]) });
    expect(yc![0]).toMatchObject({ shape: [2, 2], data: new Float32Array([100, 102, 104, 106]) });
  });

  it('never merges requests that differ in non-batch dimensions or requested outputs', async () => {
    const session = fakeSession({ hold: true });
    const model = batcher(session.model);
    const first = model.run([rows(1)]);
    await tick();
    const wide: Tensor = { name: 'x', datatype: 'FP32', shape: [1, 4], data: new Float32Array(4) };
    const pending = [model.run([rows(1)]), model.run([wide]), model.run([rows(1)], ['y']), model.run([rows(2)])];
    for (let i = 0; i < 4; i++) {
      session.release();
      await tick();
      await tick();
    }
    session.release();
    await Promise.all([first, ...pending]);
    // [1] first; then [1]+[2] (same key); then the [1,4] one and the one asking for outputs ['y'], each alone.
    expect(session.calls.map((c) => c.rows)).toEqual([1, 3, 1, 1]);
    expect(session.calls.map((c) => c.xs.length)).toEqual([2, 6, 4, 2]);
  });

  it('stops at max_batch_size; a request that would overflow it waits for the next batch', async () => {
    const session = fakeSession({ hold: true });
    const model = batcher(session.model, {}, 4);
    const first = model.run([rows(1)]);
    await tick();
    const pending = [model.run([rows(3)]), model.run([rows(2)]), model.run([rows(1)])];
    session.release();
    await first;
    await tick();
    session.release();
    await tick();
    await tick();
    session.release();
    await Promise.all(pending);
    expect(session.calls.map((c) => c.rows)).toEqual([1, 4, 2]);
    await expect(model.run([rows(5)])).rejects.toMatchObject({
      status: 400,
      code: 'input_shape_mismatch',
      message: "inputs[0]: a batch of 5 rows; Model 'm' version 1 takes at most max_batch_size 4 rows per request",
    });
  });

  it('sends a batch as soon as it reaches the largest preferred size', async () => {
    const session = fakeSession();
    const model = batcher(session.model, { preferred_batch_size: [2, 4], max_queue_delay_microseconds: 10_000_000 }, 8);
    const started = performance.now();
    await Promise.all([1, 2, 3, 4].map((i) => model.run([rows(1, i)])));
    expect(performance.now() - started).toBeLessThan(1000); // not the 10 s delay
    expect(session.calls.map((c) => c.rows)).toEqual([4]);
  });

  it('one member whose data the session cannot run fails alone; the others get their rows', async () => {
    const session = fakeSession({ hold: true });
    const model = batcher(session.model);
    const first = model.run([rows(1, 100)]);
    await tick();
    const good = model.run([rows(1, 1)]);
    const bad = model
      .run([{ name: 'x', datatype: 'FP32', shape: [1, 2], data: new Float32Array([-1, 0]) }])
      .catch((e: unknown) => e);
    const alsoGood = model.run([rows(2, 5)]);
    session.release();
    await first;
    for (let i = 0; i < 4; i++) {
      await tick();
      session.release();
      session.release();
      session.release();
    }
    expect(await bad).toBeInstanceOf(ModelRunError);
    expect((await good)[0]!.data).toEqual(new Float32Array([2, 4]));
    expect((await alsoGood)[0]!.data).toEqual(new Float32Array([10, 12, 14, 16]));
    // The merged run of 4 rows failed; then each member ran alone.
    expect(session.calls.map((c) => c.rows)).toEqual([1, 4, 1, 1, 2]);
  });

  it('drops a request whose client went away while it waited', async () => {
    const session = fakeSession({ hold: true });
    const model = batcher(session.model);
    const first = model.run([rows(1)]);
    await tick();
    const controller = new AbortController();
    const gone = model.run([rows(1, 7)], undefined, { signal: controller.signal });
    const kept = model.run([rows(1, 9)]);
    expect(model.queued).toBe(2);
    controller.abort(new Error('client gone'));
    await expect(gone).rejects.toThrow('client gone');
    expect(model.queued).toBe(1);
    session.release();
    await first;
    await tick();
    session.release();
    expect((await kept)[0]!.data).toEqual(new Float32Array([18, 20]));
    expect(session.calls.map((c) => c.xs)).toEqual([
      [0, 1],
      [9, 10],
    ]);
  });

  it('fails queued requests with 503 when the version unloads, and refuses new ones', async () => {
    const session = fakeSession({ hold: true });
    const model = batcher(session.model);
    const first = model.run([rows(1)]);
    await tick();
    const queued = model.run([rows(1)]);
    model.fail('unloading');
    await expect(queued).rejects.toMatchObject({
      status: 503,
      code: 'unavailable',
      message: "Model 'm' version 1 is unloading; retry",
    });
    await expect(model.run([rows(1)])).rejects.toMatchObject({ status: 503 });
    session.release();
    await first; // what was running finishes
  });

  it('refuses at once with 503 overloaded and Retry-After when max_queue_size requests wait', async () => {
    const session = fakeSession({ hold: true });
    const model = batcher(session.model, { default_queue_policy: { max_queue_size: 2 } });
    const first = model.run([rows(1)]);
    await tick();
    const waiting = [model.run([rows(1)]), model.run([rows(1)])];
    const refused = await model.run([rows(1)]).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 503,
      code: 'overloaded',
      message: "Model 'm' version 1 has 2 requests queued, its max_queue_size; retry shortly",
      headers: { 'retry-after': '1' },
    });
    session.release();
    await first;
    await tick();
    session.release();
    await Promise.all(waiting);
  });

  it('holds a lone request for max_queue_delay_microseconds, not less (and not much more)', async () => {
    const session = fakeSession();
    for (const delayUs of [0, 2_000, 20_000]) {
      const model = batcher(session.model, { max_queue_delay_microseconds: delayUs });
      const timing: Partial<RunTiming> = {};
      const started = process.hrtime.bigint();
      await model.run([rows(1)], undefined, { timing });
      const waitedUs = Number(process.hrtime.bigint() - started) / 1000;
      expect(timing.queueNs! / 1000, `delay ${delayUs} µs`).toBeGreaterThanOrEqual(delayUs);
      // Upper bound generous: the machine is shared. The exact figures are in bench/batching.
      expect(waitedUs, `delay ${delayUs} µs`).toBeLessThan(delayUs + 50_000);
    }
  });

  it('reports queue time, the batch size, and counts the execution once per batch', async () => {
    const session = fakeSession({ hold: true });
    const model = batcher(session.model);
    const first = model.run([rows(1)]);
    await tick();
    const timings: Array<Partial<RunTiming>> = [{}, {}];
    const pending = timings.map((timing, i) => model.run([rows(i + 1)], undefined, { timing }));
    session.release();
    await first;
    await tick();
    session.release();
    await Promise.all(pending);
    expect(timings.map((t) => [t.batchSize, t.countsExecution, t.computeInferNs])).toEqual([
      [3, true, 1000],
      [3, false, 1000],
    ]);
    expect(timings.every((t) => (t.queueNs ?? 0) > 0)).toBe(true);
  });
});
