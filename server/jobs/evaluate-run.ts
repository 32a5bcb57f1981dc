// Evaluating a version off the main thread (POST /v1/models/{model}/versions/{version}/evaluate): the job worker
// parses the dataset, runs the version (and the one to compare with) and scores it, so serving goes on meanwhile.
// The main thread starts it (`evaluateInWorker`); the worker runs `evaluateRun` and posts one answer.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { type EvaluationFigures, evaluateVersion, evaluationFigures, OptimizeError } from '../optimize/index.js';
import type { WorkerScript } from '../worker-script.js';
import { readTable } from './train-job.js';
import type { DataFile } from './types.js';

/** A model file and the session config entries it is served with. */
export interface ServedFile {
  path: string;
  sessionConfig: Record<string, string>;
}

export interface EvaluateRunInput {
  kind: 'evaluate';
  model: ServedFile;
  compare: ServedFile | null;
  data: DataFile;
  target: string;
  features: string[] | null;
}

export type EvaluateRunOutput =
  | { ok: true; figures: EvaluationFigures }
  /** `code`: an OptimizeError's (the dataset or the model does not fit), null for anything else. */
  | { ok: false; code: OptimizeError['code'] | null; field: string | null; message: string };

/** In the worker: the figures, or why they cannot be had. */
export async function evaluateRun(input: EvaluateRunInput): Promise<EvaluateRunOutput> {
  try {
    const table = readTable(input.data);
    const selection = { target: input.target, ...(input.features ? { features: input.features } : {}) };
    const read = (f: ServedFile) => new Uint8Array(readFileSync(f.path));
    const reference = input.compare
      ? (
          await evaluateVersion(read(input.compare), table, {
            ...selection,
            sessionConfig: input.compare.sessionConfig,
            latency: false,
          })
        ).outputs
      : null;
    const evaluated = await evaluateVersion(read(input.model), table, {
      ...selection,
      sessionConfig: input.model.sessionConfig,
      reference,
    });
    return { ok: true, figures: evaluationFigures(evaluated) };
  } catch (err) {
    if (err instanceof OptimizeError)
      return { ok: false, code: err.code, field: err.field ?? null, message: err.message };
    return { ok: false, code: null, field: null, message: (err as Error).message ?? String(err) };
  }
}

/** On the main thread: one evaluation in a worker thread of `script` (the job worker). */
export function evaluateInWorker(input: EvaluateRunInput, script: WorkerScript): Promise<EvaluateRunOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.source, { eval: script.eval, workerData: input });
    let done = false;
    worker.once('message', (output: EvaluateRunOutput) => {
      done = true;
      resolve(output);
    });
    worker.once('error', (err) => {
      done = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`the evaluation thread exited (code ${code}) without an answer`));
    });
  });
}
