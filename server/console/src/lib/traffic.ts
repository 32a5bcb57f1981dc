// Requests per second and latency per model, from two snapshots of Triton's statistics (cumulative counters per
// version): the difference of the counters over the time between the snapshots. The statistics carry sums, not
// distributions, so the latency here is the mean of the interval; percentiles need the /metrics histograms.
import type { ModelStatistics as ModelStats } from '../../../../src/index.js';

export interface StatsSample {
  /** Milliseconds since the epoch when the snapshot was taken. */
  at: number;
  stats: ModelStats[];
}

export interface ModelRate {
  model: string;
  /** Requests (successful and failed) per second over the interval. */
  requestsPerSecond: number;
  /** Failed requests per second. */
  errorsPerSecond: number;
  /** Mean end-to-end latency of the interval's successful requests, in ms; null when there were none. */
  meanLatencyMs: number | null;
  /** Inferences (rows) done since the server started. */
  inferenceCount: number;
}

interface Totals {
  success: number;
  successNs: number;
  fail: number;
  inferences: number;
}

function totalsByModel(stats: readonly ModelStats[]): Map<string, Totals> {
  const totals = new Map<string, Totals>();
  for (const s of stats) {
    const t = totals.get(s.name) ?? { success: 0, successNs: 0, fail: 0, inferences: 0 };
    t.success += s.inference_stats.success.count;
    t.successNs += s.inference_stats.success.ns;
    t.fail += s.inference_stats.fail.count;
    t.inferences += s.inference_count;
    totals.set(s.name, t);
  }
  return totals;
}

/** A counter that went down (a version was deleted) counts as no requests, not as negative ones. */
const delta = (now: number, before: number | undefined) => Math.max(0, now - (before ?? 0));

/** Each model's rates between two samples (models in `next`, by name). */
export function ratesBetween(previous: StatsSample, next: StatsSample): ModelRate[] {
  const seconds = Math.max(1e-3, (next.at - previous.at) / 1000);
  const before = totalsByModel(previous.stats);
  return [...totalsByModel(next.stats)]
    .map(([model, now]) => {
      const then = before.get(model);
      const success = delta(now.success, then?.success);
      const fail = delta(now.fail, then?.fail);
      const ns = delta(now.successNs, then?.successNs);
      return {
        model,
        requestsPerSecond: (success + fail) / seconds,
        errorsPerSecond: fail / seconds,
        meanLatencyMs: success > 0 ? ns / success / 1e6 : null,
        inferenceCount: now.inferences,
      };
    })
    .sort((a, b) => a.model.localeCompare(b.model));
}

/** Keeps the samples of the last `windowMs` (and at least two, to have one interval). */
export function trimSamples(samples: StatsSample[], windowMs: number): StatsSample[] {
  const newest = samples.at(-1)?.at ?? 0;
  const kept = samples.filter((s) => newest - s.at <= windowMs);
  return kept.length >= 2 ? kept : samples.slice(-2);
}
