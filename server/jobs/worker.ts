// A training job's thread (started by runner.ts): trains, reporting epochs and messages, then posts one outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { CANCEL_INDEX, type WorkerInput, type WorkerMessage } from './messages.js';
import { trainJob } from './train-job.js';

const input = workerData as WorkerInput;
const cancel = new Int32Array(input.cancelFlag);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

const outcome = trainJob(input, {
  epoch: (metrics, checkpoint) => post({ type: 'epoch', metrics, checkpoint }),
  message: (message) => post({ type: 'message', message }),
  shouldStop: () => Atomics.load(cancel, CANCEL_INDEX) === 1,
});
post(outcome);
