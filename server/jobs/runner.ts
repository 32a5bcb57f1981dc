import { Worker } from 'node:worker_threads';
import type { Checkpoint } from '../store/records.js';
import { resolveWorkerScript, type WorkerScript } from '../worker-script.js';
import { CANCEL_INDEX, type WorkerInput, type WorkerMessage, type WorkerRunInput } from './messages.js';
import type { DataFile, EpochMetrics, Hyperparameters, JobError } from './types.js';

export interface RunRequest {
  jobId: string;
  hyperparameters: Hyperparameters;
  data: { train: DataFile; validation: DataFile | null };
  checkpoint: Checkpoint | null;
}

/** What a training run produces. */
export interface TrainedModel {
  onnx: Uint8Array;
  description: string;
}

/**
 * What a run reports, in order: epochs, stages and messages, then exactly one of finished / cancelled / failed.
 * `R` is what the run produces (a trained model; an optimisation's candidate and report).
 */
export interface RunCallbacks<R = TrainedModel> {
  /** An epoch ended; with a checkpoint when the run can resume from it. */
  epoch(metrics: EpochMetrics, checkpoint: Checkpoint | null): void;
  message(text: string): void;
  /** An optimisation job moved to its next stage. */
  stage?(stage: string): void;
  finished(result: R): void;
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

/** The job worker (server/jobs/worker.ts), built or as TypeScript source. */
export function jobWorkerScript(): WorkerScript {
  return resolveWorkerScript('jobs/worker', import.meta.url);
}

/** Runs each training job in its own worker thread (server/jobs/worker.ts), so serving continues while it trains. */
export function createWorkerRunner(script = jobWorkerScript()): Runner {
  return (request, callbacks) =>
    runInWorker<TrainedModel>(
      script,
      {
        kind: 'train',
        jobId: request.jobId,
        hyperparameters: request.hyperparameters,
        data: request.data,
        checkpoint: request.checkpoint ? request.checkpoint.state : null,
      },
      callbacks,
      { code: 'training_failed', what: 'Training' },
    );
}

/**
 * Starts one run of any kind in a worker thread: relays its messages to `callbacks` until its outcome, and turns a
 * crash or an early exit into `failed` with `failure.code`.
 */
export function runInWorker<R>(
  script: WorkerScript,
  input: WorkerRunInput,
  callbacks: RunCallbacks<R>,
  failure: { code: string; what: string },
): RunHandle {
  const cancelFlag = new SharedArrayBuffer(4);
  const workerData: WorkerInput = { ...input, cancelFlag } as WorkerInput;
  const worker = new Worker(script.source, { workerData, eval: script.eval });
  let settled = false;
  let stopped = false;
  const settle = (fn: () => void) => {
    if (settled || stopped) return;
    settled = true;
    fn();
  };

  worker.on('message', (msg: WorkerMessage<R>) => {
    if (settled || stopped) return;
    switch (msg.type) {
      case 'message':
        callbacks.message(msg.message);
        break;
      case 'stage':
        callbacks.stage?.(msg.stage);
        break;
      case 'epoch':
        callbacks.epoch(msg.metrics, msg.checkpoint ? { epoch: msg.metrics.epoch, state: msg.checkpoint } : null);
        break;
      case 'done':
        settle(() => callbacks.finished(msg.result));
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
    settle(() => callbacks.failed({ code: failure.code, message: `${failure.what} crashed: ${err.message}` }));
  });
  worker.on('exit', (code) => {
    settle(() =>
      callbacks.failed({
        code: failure.code,
        message: `The ${failure.what.toLowerCase()} worker exited (code ${code}) before finishing`,
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
}
