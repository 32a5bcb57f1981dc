import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Checkpoint } from '../store/records.js';
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

/** How to start the worker thread: a script file, or (for the TypeScript source) an eval'd bootstrap. */
export interface WorkerScript {
  source: URL | string;
  eval: boolean;
}

/**
 * The built `worker.js` (next to this module in dist/server/jobs, or under it when the bundler put this code in
 * dist/server or dist); else the TypeScript source, loaded through tsx's loader registered inside the worker (tests,
 * `tsx server/cli.ts`): on Node 20 a worker does not inherit the parent's loader hooks, nor honour `--import` in
 * its execArgv.
 */
export function resolveWorkerScript(base: string = import.meta.url): WorkerScript {
  for (const candidate of ['./worker.js', './jobs/worker.js', './server/jobs/worker.js']) {
    const url = new URL(candidate, base);
    if (existsSync(fileURLToPath(url))) return { source: url, eval: false };
  }
  const tsx = tsxEsmApi(base);
  const worker = new URL('./worker.ts', base).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`;
  return { source: bootstrap, eval: true };
}

/** tsx's ESM register API as a file URL (its `import` export; require.resolve would give the CJS build). */
function tsxEsmApi(base: string): string {
  const manifest = createRequire(base).resolve('tsx/package.json');
  const exports = JSON.parse(readFileSync(manifest, 'utf8')).exports as Record<string, { import: { default: string } }>;
  return pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
}

/** Runs each job in its own worker thread (server/jobs/worker.ts), so serving continues while it trains. */
export function createWorkerRunner(script = resolveWorkerScript()): Runner {
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
