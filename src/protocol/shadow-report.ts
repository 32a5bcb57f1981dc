// What is measured of a shadow version: mirrored, dropped and failed requests, output agreement and latencies.
// Kept by the server's shadow mirror and by the msw mock alike, reported as GET /v1/models/{model}/shadow.
import type { components } from '../generated/openapi.js';
import type { OutputComparison } from './compare-outputs.js';

type ShadowReport = components['schemas']['ShadowReport'];

/** The latest latencies kept for the percentiles. */
const RING = 1024;

export class ShadowTally {
  mirrored = 0;
  dropped = 0;
  failed = 0;
  private agreeing = 0;
  private rows = 0;
  private maxAbsDiff: number | null = null;
  private readonly primary: number[] = [];
  private readonly shadow: number[] = [];

  /** A mirror that ran: both latencies (ms) and how its outputs compared. */
  record(primaryMs: number, shadowMs: number, comparison: OutputComparison): void {
    this.mirrored++;
    push(this.primary, primaryMs);
    push(this.shadow, shadowMs);
    this.agreeing += comparison.agreeing;
    this.rows += comparison.rows;
    if (comparison.maxAbsDiff !== null) this.maxAbsDiff = Math.max(this.maxAbsDiff ?? 0, comparison.maxAbsDiff);
  }

  report(model: string, shadow: { version: string; fraction: number } | null): ShadowReport {
    return {
      object: 'model.shadow',
      model,
      version: shadow?.version ?? null,
      fraction: shadow?.fraction ?? 0,
      mirrored: this.mirrored,
      dropped: this.dropped,
      failed: this.failed,
      argmax_agreement: this.rows > 0 ? this.agreeing / this.rows : null,
      rows_compared: this.rows,
      max_abs_diff: this.maxAbsDiff,
      latency_ms: {
        primary_p50: quantile(this.primary, 0.5),
        primary_p99: quantile(this.primary, 0.99),
        shadow_p50: quantile(this.shadow, 0.5),
        shadow_p99: quantile(this.shadow, 0.99),
      },
    };
  }
}

function push(ring: number[], value: number): void {
  ring.push(value);
  if (ring.length > RING) ring.shift();
}

function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
