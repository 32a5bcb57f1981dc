import { expect, it } from 'vitest';
import { ratesBetween, trimSamples } from '../../server/console/src/lib/traffic.js';
import type { ModelStatistics as ModelStats } from '../../src/index.js';

const d = (count: number, ns = 0) => ({ count, ns });
function stats(name: string, version: string, success: number, successNs: number, fail: number): ModelStats {
  const zero = d(0);
  return {
    name,
    version,
    last_inference: 0,
    inference_count: success,
    execution_count: success,
    inference_stats: {
      success: d(success, successNs),
      fail: d(fail),
      queue: zero,
      compute_input: zero,
      compute_infer: zero,
      compute_output: zero,
    },
    batch_stats: [],
  };
}

it('turns two statistics snapshots into requests per second and mean latency per model', () => {
  const before = {
    at: 10_000,
    stats: [stats('a', '1', 10, 10e6, 0), stats('a', '2', 0, 0, 0), stats('b', '1', 5, 0, 1)],
  };
  const after = {
    at: 12_000,
    stats: [stats('a', '1', 20, 30e6, 2), stats('a', '2', 10, 10e6, 0), stats('b', '1', 5, 0, 1)],
  };
  expect(ratesBetween(before, after)).toEqual([
    // a: 20 successes (10 + 10) and 2 failures in 2 s; 30 ms over 20 successes
    { model: 'a', requestsPerSecond: 11, errorsPerSecond: 1, meanLatencyMs: 1.5, inferenceCount: 30 },
    { model: 'b', requestsPerSecond: 0, errorsPerSecond: 0, meanLatencyMs: null, inferenceCount: 5 },
  ]);
  // A counter that went down (the version was deleted and made again) is no traffic, not negative traffic.
  const reset = { at: 14_000, stats: [stats('a', '1', 1, 1e6, 0)] };
  expect(ratesBetween(after, reset)[0]!.requestsPerSecond).toBe(0);
});

it('keeps the samples of the window, and at least two', () => {
  const samples = [0, 1000, 2000, 9000].map((at) => ({ at, stats: [] }));
  expect(trimSamples(samples, 5000).map((s) => s.at)).toEqual([2000, 9000]);
  expect(trimSamples(samples, 10_000)).toHaveLength(4);
});
