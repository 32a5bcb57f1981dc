// Shadow traffic: a fraction of unversioned requests also runs on a shadow version, after the primary answer and
// off its path (it never slows or fails the primary; under load it is dropped first). Its outputs are compared with
// the primary's (src/protocol/compare-outputs.ts) and tallied (src/protocol/shadow-report.ts).
import { compareOutputs } from '../../src/protocol/compare-outputs.js';
import { ShadowTally } from '../../src/protocol/shadow-report.js';
import type { Tensor } from '../../src/protocol/tensor.js';
import type { ModelRegistry } from './registry.js';

export interface PreparedMirror {
  version: number;
  inputs: Tensor[];
  outputNames: readonly string[] | undefined;
}

export interface ShadowOptions {
  registry: ModelRegistry;
  /** Mirrors waiting or running at once, server-wide; beyond it, new ones are dropped. */
  maxPending?: number;
  /** Dropped first under load: no mirror while more inference requests than this are in flight. */
  busyAbove?: number;
}

export class ShadowMirror {
  private readonly tallies = new Map<string, ShadowTally>();
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

  report(model: string, shadow: { version: number; fraction: number } | null) {
    const tally = shadow ? this.tallies.get(key(model, shadow.version)) : undefined;
    const wire = shadow && { version: String(shadow.version), fraction: shadow.fraction };
    return (tally ?? new ShadowTally()).report(model, wire ?? null);
  }

  /** Forgets what was measured for the model's shadow (a new shadow was set). */
  reset(model: string): void {
    for (const k of [...this.tallies.keys()]) if (k.startsWith(`${model}\u0000`)) this.tallies.delete(k);
  }

  private tally(model: string, version: number): ShadowTally {
    const k = key(model, version);
    let tally = this.tallies.get(k);
    if (!tally) this.tallies.set(k, (tally = new ShadowTally()));
    return tally;
  }

  private async run(
    model: string,
    prepared: PreparedMirror,
    primary: readonly Tensor[],
    primaryMs: number,
    tally: ShadowTally,
  ) {
    let lease: ReturnType<ModelRegistry['acquire']>;
    try {
      lease = this.options.registry.acquire(model, prepared.version);
    } catch {
      tally.failed++;
      return;
    }
    const started = performance.now();
    try {
      const outputs = await lease.model.run(prepared.inputs, prepared.outputNames);
      tally.record(primaryMs, performance.now() - started, compareOutputs(primary, outputs));
    } catch {
      tally.failed++;
    } finally {
      lease.release();
    }
  }
}

const key = (model: string, version: number) => `${model}\u0000${version}`;
