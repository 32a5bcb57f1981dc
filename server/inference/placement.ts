// `--session-threads auto`: where a version's runs go, chosen by measuring them. Every version starts on its
// worker-thread pool, so a slow model can never stall the server. Once its runs have proved tiny (each well under
// the inline limit, measured on the worker where nothing else shares the clock), it also opens a session on the
// server's thread and runs there the requests whose size its evidence covers: for a model of a few microseconds the
// thread hop costs more than the run (see docs/serving.md). A run on the server's thread that takes longer than the
// limit, a few times in a short while, sends the version back to its workers for good.
import { elementCount, type Tensor } from '../../src/protocol/tensor.js';
import type { OnnxModel, Placement, RunOptions, RunTiming, TensorSpec } from './onnx-model.js';
import type { SessionPool } from './pool.js';

export interface PlacementOptions {
  /** Longest run, in nanoseconds, the server's thread takes on. */
  inlineLimitNs: number;
  /** Opens the session on the server's thread (once, when the runs have proved tiny). */
  openInline(): Promise<OnnxModel>;
  /** A placement change, for the log. */
  onPlaced?(where: Placement, why: string): void;
}

/** Worker runs under limit ÷ REACH (with none over the limit since) before the server's thread takes any. */
export const PROOF_RUNS = 8;
/**
 * Evidence from a run of n elements that took under limit ÷ REACH covers inputs up to REACH × n (at most linear
 * growth assumed). 2, not more: a tiny model's run measures ≈ 20 µs back to back but 150–350 µs after the thread has
 * idled a few milliseconds (this machine), and that must still count as tiny under the default 1 ms limit.
 */
export const REACH = 2;

/**
 * Runs over the limit, among the last STRIKE_WINDOW on the server's thread, that send a version back to its workers.
 * Not one: the clock there is wall time, and a preempted thread or a garbage collection in the continuation makes a
 * 30 µs run measure 1.5 ms now and then on a busy machine (seen once in ≈ 4,000 runs here).
 */
export const STRIKES = 3;
const STRIKE_WINDOW = 64;

type Where = 'workers' | 'opening' | 'inline' | 'demoted';

/** A version's sessions behind one face: the worker pool always, the server's thread while runs stay tiny. */
export class PlacedModel implements OnnxModel {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  private where: Where = 'workers';
  private inline: OnnxModel | undefined;
  private opening: Promise<void> | undefined;
  private proofs = 0;
  /** Inputs of up to this many elements may run on the server's thread. */
  private reach = 0;
  private readonly strikes: number[] = [];
  /** Runs on the server thread's session right now. */
  private inlineRuns = 0;
  private closed = false;
  /** Runs each side took (for tests; the statistics extension counts requests, not places). */
  readonly runs = { serverThread: 0, workers: 0 };

  constructor(
    private readonly pool: SessionPool,
    private readonly options: PlacementOptions,
  ) {
    this.inputs = pool.inputs;
    this.outputs = pool.outputs;
  }

  /** Where the next small run would go (for the metrics, tests and the log). */
  get placement(): Placement {
    return this.where === 'inline' ? 'server thread' : 'worker threads';
  }

  /** Whether a session on the server's thread is open (opened on promotion, closed after a demotion). */
  get hasServerThreadSession(): boolean {
    return this.inline !== undefined;
  }

  async run(inputs: readonly Tensor[], outputNames?: readonly string[], options: RunOptions = {}): Promise<Tensor[]> {
    const elements = inputs.reduce((n, t) => n + elementCount(t.shape), 0);
    const inline = this.where === 'inline' && elements <= this.reach;
    const timing: Partial<RunTiming> = options.timing ?? {};
    const before = timing.computeInferNs ?? 0;
    if (!inline) {
      this.runs.workers++;
      const outputs = await this.pool.run(inputs, outputNames, { ...options, timing });
      this.witness(elements, (timing.computeInferNs ?? 0) - before);
      return outputs;
    }
    this.runs.serverThread++;
    this.inlineRuns++;
    try {
      const outputs = await this.inline!.run(inputs, outputNames, { ...options, timing });
      const took = (timing.computeInferNs ?? 0) - before;
      if (took <= this.options.inlineLimitNs) this.witness(elements, took);
      else if (this.struck() && this.where === 'inline') this.demote(elements, took);
      return outputs;
    } finally {
      this.inlineRuns--;
      if (this.inlineRuns === 0 && this.where === 'demoted') this.releaseInline();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => {});
    await Promise.all([this.pool.close(), this.inline?.close()]);
    this.inline = undefined;
  }

  /** For tests: see SessionPool.crashWorkerForTest. */
  crashWorkerForTest(index: number): void {
    this.pool.crashWorkerForTest(index);
  }

  private demote(elements: number, took: number): void {
    this.where = 'demoted';
    this.options.onPlaced?.(
      'worker threads',
      `${STRIKES} runs in ${STRIKE_WINDOW} on the server thread took over ${formatMs(this.options.inlineLimitNs)}, the last (${elements} input elements) ${formatMs(took)}`,
    );
  }

  /** A demoted version's server-thread session is closed once no run holds it (closing under a run would crash). */
  private releaseInline(): void {
    const inline = this.inline;
    if (!inline || this.closed) return;
    this.inline = undefined;
    void inline.close().catch(() => {});
  }

  /** Notes a run over the limit; true when that makes STRIKES within the last STRIKE_WINDOW runs here. */
  private struck(): boolean {
    const now = this.runs.serverThread;
    this.strikes.push(now);
    while (this.strikes[0]! <= now - STRIKE_WINDOW) this.strikes.shift();
    return this.strikes.length >= STRIKES;
  }

  /** A run that took `ns` for `elements`: evidence for (or against) the server's thread. */
  private witness(elements: number, ns: number): void {
    if (this.where === 'demoted' || this.closed) return;
    if (ns > this.options.inlineLimitNs) {
      // A run this slow on the server's thread would stall it: the proof starts again.
      if (this.where === 'workers') this.proofs = 0;
      return;
    }
    if (ns > this.options.inlineLimitNs / REACH) return; // too close to the limit to extrapolate from
    this.reach = Math.max(this.reach, Math.max(elements, 1) * REACH);
    if (this.where !== 'workers' || ++this.proofs < PROOF_RUNS) return;
    this.where = 'opening';
    this.opening = this.options.openInline().then(
      async (model) => {
        if (this.closed || this.where !== 'opening') {
          await model.close();
          return;
        }
        this.inline = model;
        this.where = 'inline';
        this.options.onPlaced?.(
          'server thread',
          `${PROOF_RUNS} runs took under ${formatMs(this.options.inlineLimitNs / REACH)} each, none over ${formatMs(this.options.inlineLimitNs)}`,
        );
      },
      (err: unknown) => {
        this.where = 'demoted';
        this.options.onPlaced?.('worker threads', `no session on the server thread: ${(err as Error).message}`);
      },
    );
  }
}

function formatMs(ns: number): string {
  return `${(ns / 1e6).toPrecision(3)} ms`;
}
