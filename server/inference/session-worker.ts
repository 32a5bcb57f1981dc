// A worker thread that owns one ONNX Runtime session (pool.ts starts `instance_group.count` of them per version).
// session.run is synchronous in onnxruntime-node: here it blocks this thread only, never the server's.
import { parentPort, workerData } from 'node:worker_threads';
import { type OnnxModel, openOnnxModel } from './onnx-model.js';
import type {
  RunReply,
  RunRequest,
  SessionWorkerData,
  SessionWorkerReply,
  SessionWorkerRequest,
} from './session-worker-messages.js';
import { transferablesOf } from './transfer.js';

const port = parentPort!;
const { source, options } = workerData as SessionWorkerData;
/** Results are sent together (one message costs the server thread less than many) but never held longer than this. */
const HOLD_NS = 1_000_000n;

function post(reply: SessionWorkerReply, transfer: ArrayBuffer[] = []): void {
  try {
    port.postMessage(reply, transfer);
  } catch {
    port.postMessage(reply); // a buffer that cannot move (external memory) is copied instead
  }
}

async function runAll(model: OnnxModel, runs: RunRequest[]): Promise<void> {
  let results: RunReply[] = [];
  let transfer: ArrayBuffer[] = [];
  let heldSince = 0n;
  const flush = () => {
    if (results.length === 0) return;
    post({ type: 'results', results }, transfer);
    results = [];
    transfer = [];
  };
  for (const run of runs) {
    const startedAt = process.hrtime.bigint();
    try {
      const timing = { computeInputNs: 0, computeInferNs: 0, computeOutputNs: 0 };
      const outputs = await model.run(run.inputs, run.outputs, { timing });
      results.push({ id: run.id, ok: true, outputs, timing, startedAt, endedAt: process.hrtime.bigint() });
      transfer.push(...transferablesOf(outputs));
    } catch (err) {
      results.push({ id: run.id, ok: false, name: (err as Error).name, message: (err as Error).message });
    }
    const now = process.hrtime.bigint();
    if (results.length === 1) heldSince = now;
    if (now - heldSince >= HOLD_NS) flush();
  }
  flush();
}

openOnnxModel(source, options).then(
  (model) => {
    post({ type: 'opened', inputs: model.inputs, outputs: model.outputs });
    let work = Promise.resolve();
    let crashOnNextRun = false;
    port.on('message', (request: SessionWorkerRequest) => {
      // Tests: the thread dies holding a request, as a crashing one would.
      if (request.type === 'crash') crashOnNextRun = true;
      if (request.type === 'run' && crashOnNextRun) process.exit(70);
      if (request.type === 'close') {
        work = work.then(async () => {
          await model.close().catch(() => {});
          port.close();
        });
        return;
      }
      if (request.type === 'run') work = work.then(() => runAll(model, request.runs));
    });
  },
  (err: unknown) => {
    post({ type: 'open-failed', name: (err as Error).name, message: (err as Error).message });
    port.close();
  },
);
