import { Worker } from 'node:worker_threads';
import type { Checkpoint } from '../store/records.js';
import { resolveWorkerScript, type WorkerScript } from '../worker-script.js';
import { CANCEL_INDEX, type WorkerInput, type WorkerMessage } from './messages.js';
import type { DataFile, EpochMetrics, Hyperparameters, JobError } from './types.js';

export interface RunRequest {
  jobId: string;
  hyperparameters: Hyperparameters;
  data: { train: DataFile; validation: DataFile | null };
  checkpoint: Checkpoint | null;
}

/** What a run reports, in order: epochs and messages, then exactly one of finished / cancelled / failed. */
export interface RunCallbacks {
  epoch(metrics: EpochMetrics, checkpoint: Checkpoint): void;
  message(text: string): void;
  finished(result: { onnx: Uint8Array; description: string }): void;
  cancelled(): void;
  failed(error: JobError): void;
}

export interface RunHandle {
  /** Stop at the next batch boundary; the run then reports `cancelled`. */
  requestCancel(): void;
  /** Ends the run at once and reports nothing more (shutdown: the job stays resumable from its checkpoint). */
  stop(): Promise<void>;
}

export type Runner = (request: RunRequest, callbacks: RunCallbacks) => RunHandle;

/** The training worker (server/jobs/worker.ts), built or as TypeScript source. */
export function jobWorkerScript(): WorkerScript {
  return resolveWorkerScript('jobs/worker', import.meta.url);
}

/** Runs each job in its own worker thread (server/jobs/worker.ts), so serving continues while it trains. */
export function createWorkerRunner(script = jobWorkerScript()): Runner {
  return (request, callbacks) => {
    const cancelFlag = new SharedArrayBuffer(4);
    const input: WorkerInput = {
      jobId: request.jobId,
      hyperparameters: request.hyperparameters,
      data: request.data,
      checkpoint: request.checkpoint ? request.checkpoint.state : null,
      cancelFlag,
    };
    const worker = new Worker(script.source, { workerData: input, eval: script.eval });
    let settled = false;
    let stopped = false;
    const settle = (fn: () => void) => {
      if (settled || stopped) return;
      settled = true;
      fn();
    };

    worker.on('message', (msg: WorkerMessage) => {
      if (settled || stopped) return;
      switch (msg.type) {
        case 'message':
          callbacks.message(msg.message);
          break;
        case 'epoch':
          callbacks.epoch(msg.metrics, { epoch: msg.metrics.epoch, state: msg.checkpoint });
          break;
        case 'done':
          settle(() => callbacks.finished({ onnx: msg.onnx, description: msg.description }));
          break;
        case 'cancelled':
          settle(() => callbacks.cancelled());
          break;
        case 'failed':
          settle(() => callbacks.failed(msg.error));
          break;
      }
    });
    worker.on('error', (err) => {
      settle(() => callbacks.failed({ code: 'training_failed', message: `Training crashed: ${err.message}` }));
    });
    worker.on('exit', (code) => {
      settle(() =>
        callbacks.failed({
          code: 'training_failed',
          message: `The training worker exited (code ${code}) before finishing`,
        }),
      );
    });

    return {
      requestCancel() {
        Atomics.store(new Int32Array(cancelFlag), CANCEL_INDEX, 1);
      },
      async stop() {
        stopped = true;
        await worker.terminate();
      },
    };
  };
}
