// The rollback guard's evidence: per version of a split, requests, failures and a latency histogram since the split
// was set, so a canary can be judged against the stable version on error rate and p99.
import type { ModelRouting } from '../store/records.js';

/** Log-spaced latency buckets: 2^(i/4) ms from 0.05 ms up, ≈ 19 % apart, enough to compare two p99s. */
const BUCKETS = 96;
const bucketOf = (ms: number) =>
  Math.max(0, Math.min(BUCKETS - 1, Math.floor(4 * Math.log2(Math.max(ms, 0.05) / 0.05))));
const bucketUpper = (i: number) => 0.05 * 2 ** ((i + 1) / 4);

class VersionWindow {
  requests = 0;
  failures = 0;
  readonly histogram = new Uint32Array(BUCKETS);

  record(ok: boolean, latencyMs: number): void {
    this.requests++;
    if (!ok) this.failures++;
    else this.histogram[bucketOf(latencyMs)]!++;
  }

  get errorRate(): number {
    return this.requests === 0 ? 0 : this.failures / this.requests;
  }

  /** p99 of successful requests (the bucket's upper bound), or undefined with none. */
  get p99(): number | undefined {
    const ok = this.requests - this.failures;
    if (ok === 0) return undefined;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.histogram[i]!;
      if (seen >= 0.99 * ok) return bucketUpper(i);
    }
    return bucketUpper(BUCKETS - 1);
  }
}

export class GuardWindow {
  private readonly versions = new Map<number, VersionWindow>();

  record(version: number, ok: boolean, latencyMs: number): void {
    let w = this.versions.get(version);
    if (!w) this.versions.set(version, (w = new VersionWindow()));
    w.record(ok, latencyMs);
  }

  /** Why `canary` should be rolled back against `stable`, or undefined while it holds (or has too few requests). */
  verdict(canary: number, stable: number, guard: NonNullable<ModelRouting['rollback']>): string | undefined {
    const c = this.versions.get(canary);
    const s = this.versions.get(stable);
    if (!c || c.requests < guard.minRequests) return undefined;
    if (guard.maxErrorRate !== null) {
      const excess = c.errorRate - (s?.errorRate ?? 0);
      if (excess > guard.maxErrorRate) {
        return `error rate ${pct(c.errorRate)} over ${c.requests} requests vs ${pct(s?.errorRate ?? 0)} for version ${stable} (max_error_rate ${guard.maxErrorRate})`;
      }
    }
    if (guard.maxP99Ratio !== null && s && s.requests >= guard.minRequests) {
      const cp = c.p99;
      const sp = s.p99;
      if (cp !== undefined && sp !== undefined && cp / sp > guard.maxP99Ratio) {
        return `p99 ${cp.toFixed(2)} ms vs ${sp.toFixed(2)} ms for version ${stable} (${(cp / sp).toFixed(2)}×, max_p99_ratio ${guard.maxP99Ratio})`;
      }
    }
    return undefined;
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
