// What pool.ts and session-worker.ts say to each other.
import type { Tensor } from '../../src/protocol/tensor.js';
import type { RunTiming, SessionOptions, TensorSpec } from './onnx-model.js';

export interface SessionWorkerData {
  /** A model file path, or the model's bytes (each worker gets its own copy). */
  source: string | Uint8Array;
  options: SessionOptions;
}

export interface RunRequest {
  id: number;
  inputs: Tensor[];
  outputs?: string[];
}

/** Runs arrive in batches: what the server thread gathered in one turn of its event loop, one message. */
export type SessionWorkerRequest = { type: 'run'; runs: RunRequest[] } | { type: 'close' } | { type: 'crash' };

export type RunReply =
  | {
      id: number;
      ok: true;
      outputs: Tensor[];
      timing: Pick<RunTiming, 'computeInputNs' | 'computeInferNs' | 'computeOutputNs'>;
      /** process.hrtime.bigint() (one clock for every thread) when the worker started the run and when it replied. */
      startedAt: bigint;
      endedAt: bigint;
    }
  | { id: number; ok: false; name: string; message: string };

export type SessionWorkerReply =
  | { type: 'opened'; inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] }
  | { type: 'open-failed'; name: string; message: string }
  | { type: 'results'; results: RunReply[] };
