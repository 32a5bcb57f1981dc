// ONNX Runtime sessions in worker threads: `count` workers per version, one session each, so a slow model never
// blocks the server's thread and a busy server uses every core. A crashed worker is replaced; what it was running
// fails with a 503, never hangs.
import { Worker } from 'node:worker_threads';
import type { Tensor } from '../../src/protocol/tensor.js';
import { ServiceUnavailableError } from '../errors.js';
import { resolveWorkerScript, type WorkerScript } from '../worker-script.js';
import {
  ModelLoadError,
  ModelRunError,
  type OnnxModel,
  type RunOptions,
  type SessionOptions,
  type TensorSpec,
} from './onnx-model.js';
import type {
  RunReply,
  RunRequest,
  SessionWorkerData,
  SessionWorkerReply,
  SessionWorkerRequest,
} from './session-worker-messages.js';
import { prepareForTransfer } from './transfer.js';

export interface PoolOptions {
  /** Sessions (threads). */
  count: number;
  /** For messages: `model 'm' version 3`. */
  label: string;
  script?: WorkerScript;
  /** Called when a worker died (and is being replaced). */
  onCrash?: (err: Error) => void;
}

interface Pending {
  resolve(outputs: Tensor[]): void;
  reject(err: Error): void;
  options: RunOptions;
  sentAt: bigint;
}

/** One worker and what it is running (its port queues what it has not started yet). */
class SessionWorker {
  readonly pending = new Map<number, Pending>();
  /** When it died lately: a worker that keeps dying is given up (see SessionPool.crashed). */
  readonly deaths: number[] = [];
  dead = false;
  private worker: Worker;
  private ready: Promise<{ inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] }>;

  constructor(
    private readonly data: SessionWorkerData,
    private readonly script: WorkerScript,
    private readonly onExit: (self: SessionWorker, err: Error) => void,
  ) {
    ({ worker: this.worker, ready: this.ready } = this.start());
  }

  get inFlight(): number {
    return this.pending.size;
  }

  opened() {
    return this.ready;
  }

  /** Queues a run; what is queued in one turn of the event loop goes to the thread as one message. */
  send(run: RunRequest, pending: Pending, transfer: ArrayBuffer[]): void {
    this.pending.set(run.id, pending);
    this.outbox.push(run);
    this.outboxTransfer.push(...transfer);
    if (this.outbox.length === 1) setImmediate(this.flush);
  }

  private readonly outbox: RunRequest[] = [];
  private readonly outboxTransfer: ArrayBuffer[] = [];
  private readonly flush = () => {
    const runs = this.outbox.splice(0);
    const transfer = this.outboxTransfer.splice(0);
    if (runs.length > 0) this.worker.postMessage({ type: 'run', runs } satisfies SessionWorkerRequest, transfer);
  };

  private settle(result: RunReply): void {
    const pending = this.pending.get(result.id);
    if (!pending) return;
    this.pending.delete(result.id);
    if (!result.ok) {
      pending.reject(result.name === 'ModelRunError' ? new ModelRunError(result.message) : new Error(result.message));
      return;
    }
    const timing = pending.options.timing;
    if (timing) {
      // Waiting for the thread (it runs one request at a time) is queue time.
      timing.queueNs = (timing.queueNs ?? 0) + Number(result.startedAt - pending.sentAt);
      timing.computeInputNs = (timing.computeInputNs ?? 0) + result.timing.computeInputNs;
      timing.computeInferNs = (timing.computeInferNs ?? 0) + result.timing.computeInferNs;
      timing.computeOutputNs =
        (timing.computeOutputNs ?? 0) +
        result.timing.computeOutputNs +
        Number(process.hrtime.bigint() - result.endedAt);
    }
    pending.resolve(result.outputs);
  }

  /** Starts a fresh thread with the same session (after a crash). */
  restart(): void {
    ({ worker: this.worker, ready: this.ready } = this.start());
    this.ready.catch(() => {});
  }

  /**
   * Closes the session after what the thread has queued. Never `terminate()`: ending a thread inside a native
   * ONNX Runtime call aborts the whole process.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.flush();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // The thread is unref'd so an idle server can exit; while it closes, it must hold the process, or a caller that
    // awaits close() with nothing else alive sees its promise never settle (exit code 13 under top-level await).
    this.worker.ref();
    this.worker.postMessage({ type: 'close' } satisfies SessionWorkerRequest);
    await exited;
  }

  /** For tests: the thread exits (code 70) when the next run reaches it, as a crash would. */
  crash(): void {
    this.worker.postMessage({ type: 'crash' } satisfies SessionWorkerRequest);
  }

  private closing = false;

  private start() {
    const worker = new Worker(this.script.source, { eval: this.script.eval, workerData: this.data });
    worker.unref();
    const ready = new Promise<{ inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] }>((resolve, reject) => {
      worker.on('message', (reply: SessionWorkerReply) => {
        switch (reply.type) {
          case 'opened':
            resolve({ inputs: reply.inputs, outputs: reply.outputs });
            break;
          case 'open-failed':
            reject(reply.name === 'ModelLoadError' ? new ModelLoadError(reply.message) : new Error(reply.message));
            break;
          case 'results':
            for (const result of reply.results) this.settle(result);
            break;
        }
      });
      worker.on('error', (err) => reject(err));
      worker.on('exit', (code) => {
        const err = new Error(`the inference worker exited (code ${code})`);
        reject(err);
        if (!this.closing) this.onExit(this, err);
      });
    });
    return { worker, ready };
  }
}

/** `count` sessions of one model in worker threads, behind one OnnxModel: each run goes to the least busy one. */
export class SessionPool implements OnnxModel {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly workers: SessionWorker[],
    private readonly options: PoolOptions,
    specs: { inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] },
  ) {
    this.inputs = specs.inputs;
    this.outputs = specs.outputs;
  }

  /** Starts the workers and opens a session in each; rejects (with every worker stopped) if any cannot open it. */
  static async open(
    source: string | Uint8Array,
    sessionOptions: SessionOptions,
    options: PoolOptions,
  ): Promise<SessionPool> {
    const script = options.script ?? sessionWorkerScript();
    const data: SessionWorkerData = { source, options: sessionOptions };
    let pool: SessionPool | undefined;
    const workers = Array.from(
      { length: options.count },
      () => new SessionWorker(data, script, (worker, err) => pool?.crashed(worker, err)),
    );
    try {
      const [first] = await Promise.all(workers.map((w) => w.opened()));
      pool = new SessionPool(workers, options, first!);
      return pool;
    } catch (err) {
      await Promise.all(workers.map((w) => w.close().catch(() => {})));
      throw err;
    }
  }

  /** Requests queued or running in the workers. */
  get inFlight(): number {
    return this.workers.reduce((n, w) => n + w.inFlight, 0);
  }

  /** Sessions with nothing to do right now. */
  get idle(): number {
    return this.workers.filter((w) => !w.dead && w.inFlight === 0).length;
  }

  get size(): number {
    return this.workers.length;
  }

  get placement(): 'worker threads' {
    return 'worker threads';
  }

  run(inputs: readonly Tensor[], outputNames?: readonly string[], options: RunOptions = {}): Promise<Tensor[]> {
    if (this.closed) return Promise.reject(this.unavailable('is unloading'));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason ?? new Error('aborted'));
    let target: SessionWorker | undefined;
    for (const w of this.workers) if (!w.dead && (!target || w.inFlight < target.inFlight)) target = w;
    if (!target)
      return Promise.reject(this.unavailable('has no working inference worker left (each crashed repeatedly)'));
    const id = this.nextId++;
    const { tensors, transfer } = prepareForTransfer(inputs);
    return new Promise<Tensor[]>((resolve, reject) => {
      const run: RunRequest = { id, inputs: tensors };
      if (outputNames) run.outputs = [...outputNames];
      target.send(run, { resolve, reject, options, sentAt: process.hrtime.bigint() }, transfer);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
  }

  /** For tests: worker `index` dies holding its next request, as a crash would (that request fails with 503). */
  crashWorkerForTest(index: number): void {
    this.workers[index]!.crash();
  }

  private crashed(worker: SessionWorker, err: Error): void {
    const failure = this.unavailable(`lost its inference worker (${err.message}); the request did not run, retry it`);
    for (const pending of worker.pending.values()) pending.reject(failure);
    worker.pending.clear();
    this.options.onCrash?.(err);
    const now = Date.now();
    worker.deaths.push(now);
    while (worker.deaths.length > 0 && worker.deaths[0]! < now - 60_000) worker.deaths.shift();
    // Three deaths in a minute: the session itself is the problem (it cannot open, or crashes the thread). Stop.
    if (worker.deaths.length >= 3) worker.dead = true;
    else if (!this.closed) worker.restart();
  }

  private unavailable(what: string): ServiceUnavailableError {
    return new ServiceUnavailableError('unavailable', `${this.options.label} ${what}`, 1);
  }
}

/** The session worker (server/inference/session-worker.ts), built or as TypeScript source. */
export function sessionWorkerScript(): WorkerScript {
  return resolveWorkerScript('inference/session-worker', import.meta.url);
}
