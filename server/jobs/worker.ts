// A worker thread started by runner.ts (run one job — train, or optimise — reporting epochs, stages and messages,
// then one outcome), by summarize.ts (validate a big dataset upload off the main thread: post one UploadSummary) or
// by evaluate-run.ts (score a version on a dataset: post one EvaluateRunOutput).
import { parentPort, workerData } from 'node:worker_threads';
import { summarizeDataset } from '../datasets/upload-summary.js';
import { evaluateRun } from './evaluate-run.js';
import { CANCEL_INDEX, type WorkerData, type WorkerMessage } from './messages.js';
import { optimizeRun } from './optimize-run.js';
import { trainJob } from './train-job.js';

const data = workerData as WorkerData;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

if (data.kind === 'summarize') {
  parentPort!.postMessage(summarizeDataset(data.bytes, data.format));
} else if (data.kind === 'evaluate') {
  void evaluateRun(data).then((output) => parentPort!.postMessage(output));
} else {
  const cancel = new Int32Array(data.cancelFlag);
  const shouldStop = () => Atomics.load(cancel, CANCEL_INDEX) === 1;
  if (data.kind === 'optimize') {
    void optimizeRun(data, {
      stage: (stage) => post({ type: 'stage', stage }),
      epoch: (metrics) => post({ type: 'epoch', metrics, checkpoint: null }),
      message: (message) => post({ type: 'message', message }),
      shouldStop,
    }).then(post);
  } else {
    const outcome = trainJob(data, {
      epoch: (metrics, checkpoint) => post({ type: 'epoch', metrics, checkpoint }),
      message: (message) => post({ type: 'message', message }),
      shouldStop,
    });
    post(
      outcome.type === 'done'
        ? { type: 'done', result: { onnx: outcome.onnx, description: outcome.description } }
        : outcome,
    );
  }
}
