import { Worker } from 'node:worker_threads';
import type { Summarizer } from '../datasets/service.js';
import { summarizeDataset, type UploadSummary } from '../datasets/upload-summary.js';
import type { WorkerScript } from '../worker-script.js';
import type { SummarizeInput } from './messages.js';
import { jobWorkerScript } from './runner.js';

/**
 * Parses uploads of `threshold` bytes or more in a worker thread (≈20 MB/s, so a 100 MiB upload would otherwise
 * stall serving for seconds); smaller ones inline, where a thread's start-up would cost more than the parse.
 */
export function offThreadSummarizer(threshold = 1024 * 1024, script: WorkerScript = jobWorkerScript()): Summarizer {
  return (bytes, format) => {
    if (bytes.byteLength < threshold) return summarizeDataset(bytes, format);
    return new Promise<UploadSummary>((resolve, reject) => {
      const input: SummarizeInput = { kind: 'summarize', bytes, format };
      const worker = new Worker(script.source, { eval: script.eval, workerData: input });
      let done = false;
      worker.once('message', (summary: UploadSummary) => {
        done = true;
        resolve(summary);
      });
      worker.once('error', (err) => {
        done = true;
        reject(err);
      });
      worker.once('exit', (code) => {
        if (!done) reject(new Error(`the dataset parser thread exited (code ${code}) without an answer`));
      });
    });
  };
}
