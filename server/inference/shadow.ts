// Shadow traffic: a fraction of unversioned requests also runs on a shadow version, after the primary answer and
// off its path (it never slows or fails the primary; under load it is dropped first). Its outputs are compared with
// the primary's: argmax agreement for [rows, classes] outputs, and the largest absolute difference.
import type { Tensor } from '../../src/protocol/tensor.js';
import type { Lease, ModelRegistry } from './registry.js';

export interface PreparedMirror {
  version: number;
  inputs: Tensor[];
  outputNames: readonly string[] | undefined;
}

export interface ShadowReport {
  version: number | null;
  fraction: number;
  /** Requests mirrored and compared. */
  mirrored: number;
  /** Requests chosen for mirroring but dropped (the server was busy, or too many mirrors were pending). */
  dropped: number;
  /** Mirrored runs that failed. */
  failed: number;
  /** Rows whose argmax (top class) agreed, of the rows compared ([rows, classes] outputs only). */
  argmax_agreement: number | null;
  rows_compared: number;
  max_abs_diff: number | null;
  latency_ms: {
    primary_p50: number | null;
    primary_p99: number | null;
    shadow_p50: number | null;
    shadow_p99: number | null;
  };
}

class Tally {
  mirrored = 0;
  dropped = 0;
  failed = 0;
  agreeing = 0;
  rows = 0;
  maxAbsDiff: number | null = null;
  /** Latest latencies (ms), a ring of the last 1024 of each. */
  readonly primary: number[] = [];
  readonly shadow: number[] = [];
}

const RING = 1024;
const push = (ring: number[], value: number) => {
  ring.push(value);
  if (ring.length > RING) ring.shift();
};

export interface ShadowOptions {
  registry: ModelRegistry;
  /** Mirrors waiting or running at once, server-wide; beyond it, new ones are dropped. */
  maxPending?: number;
  /** Dropped first under load: no mirror while more inference requests than this are in flight. */
  busyAbove?: number;
}

export class ShadowMirror {
  private readonly tallies = new Map<string, Tally>();
  private pending = 0;
  private readonly maxPending: number;
  private readonly busyAbove: number;

  constructor(private readonly options: ShadowOptions) {
    this.maxPending = options.maxPending ?? 64;
    this.busyAbove = options.busyAbove ?? Number.POSITIVE_INFINITY;
  }

  /** Copies the inputs for the shadow run before the primary runs (the primary's may move to another thread). */
  prepare(version: number, inputs: readonly Tensor[], outputNames: readonly string[] | undefined): PreparedMirror {
    return {
      version,
      outputNames,
      inputs: inputs.map(
        (t) => ({ ...t, data: Array.isArray(t.data) ? [...t.data] : (t.data as Uint8Array).slice() }) as Tensor,
      ),
    };
  }

  /** Runs the mirror after the primary answered, unless the server is busy. Never throws. */
  mirror(
    model: string,
    prepared: PreparedMirror,
    primary: readonly Tensor[],
    primaryMs: number,
    inflight: number,
  ): void {
    const tally = this.tally(model, prepared.version);
    if (this.pending >= this.maxPending || inflight > this.busyAbove) {
      tally.dropped++;
      return;
    }
    this.pending++;
    setImmediate(() => {
      void this.run(model, prepared, primary, primaryMs, tally).finally(() => {
        this.pending--;
      });
    });
  }

  report(model: string, shadow: { version: number; fraction: number } | null): ShadowReport {
    const tally = shadow ? this.tallies.get(key(model, shadow.version)) : undefined;
    const q = (ring: number[] | undefined, p: number) => {
      if (!ring || ring.length === 0) return null;
      const sorted = [...ring].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
    };
    return {
      version: shadow?.version ?? null,
      fraction: shadow?.fraction ?? 0,
      mirrored: tally?.mirrored ?? 0,
      dropped: tally?.dropped ?? 0,
      failed: tally?.failed ?? 0,
      argmax_agreement: tally && tally.rows > 0 ? tally.agreeing / tally.rows : null,
      rows_compared: tally?.rows ?? 0,
      max_abs_diff: tally?.maxAbsDiff ?? null,
      latency_ms: {
        primary_p50: q(tally?.primary, 0.5),
        primary_p99: q(tally?.primary, 0.99),
        shadow_p50: q(tally?.shadow, 0.5),
        shadow_p99: q(tally?.shadow, 0.99),
      },
    };
  }

  /** Forgets what was measured for the model's shadow (a new shadow was set). */
  reset(model: string): void {
    for (const k of [...this.tallies.keys()]) if (k.startsWith(`${model}\u0000`)) this.tallies.delete(k);
  }

  private tally(model: string, version: number): Tally {
    const k = key(model, version);
    let tally = this.tallies.get(k);
    if (!tally) this.tallies.set(k, (tally = new Tally()));
    return tally;
  }

  private async run(
    model: string,
    prepared: PreparedMirror,
    primary: readonly Tensor[],
    primaryMs: number,
    tally: Tally,
  ) {
    let lease: Lease;
    try {
      lease = this.options.registry.acquire(model, prepared.version);
    } catch {
      tally.failed++;
      return;
    }
    const started = performance.now();
    try {
      const outputs = await lease.model.run(prepared.inputs, prepared.outputNames);
      push(tally.shadow, performance.now() - started);
      push(tally.primary, primaryMs);
      tally.mirrored++;
      compare(primary, outputs, tally);
    } catch {
      tally.failed++;
    } finally {
      lease.release();
    }
  }
}

const key = (model: string, version: number) => `${model}\u0000${version}`;

function compare(primary: readonly Tensor[], shadow: readonly Tensor[], tally: Tally): void {
  for (const p of primary) {
    const s = shadow.find((t) => t.name === p.name);
    if (!s || Array.isArray(p.data) || Array.isArray(s.data) || p.data.length !== s.data.length) continue;
    const a = p.data as unknown as ArrayLike<number | bigint>;
    const b = s.data as unknown as ArrayLike<number | bigint>;
    let max = tally.maxAbsDiff ?? 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(Number(a[i]) - Number(b[i])));
    tally.maxAbsDiff = max;
    const [rows, classes] = p.shape;
    if (p.shape.length === 2 && rows !== undefined && classes !== undefined && classes > 1) {
      for (let r = 0; r < rows; r++) {
        if (argmax(a, r * classes, classes) === argmax(b, r * classes, classes)) tally.agreeing++;
        tally.rows++;
      }
    }
  }
}

function argmax(values: ArrayLike<number | bigint>, start: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (Number(values[start + i]) > Number(values[start + best])) best = i;
  return best;
}
