// A worker thread started by runner.ts (train one job: report epochs and messages, then one outcome) or by
// summarize.ts (validate a big dataset upload off the main thread: post one UploadSummary).
import { parentPort, workerData } from 'node:worker_threads';
import { summarizeDataset } from '../datasets/upload-summary.js';
import { CANCEL_INDEX, type WorkerData, type WorkerMessage } from './messages.js';
import { trainJob } from './train-job.js';

const data = workerData as WorkerData;

if (data.kind === 'summarize') {
  parentPort!.postMessage(summarizeDataset(data.bytes, data.format));
} else {
  const cancel = new Int32Array(data.cancelFlag);
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  const outcome = trainJob(data, {
    epoch: (metrics, checkpoint) => post({ type: 'epoch', metrics, checkpoint }),
    message: (message) => post({ type: 'message', message }),
    shouldStop: () => Atomics.load(cancel, CANCEL_INDEX) === 1,
  });
  post(outcome);
}
