import type { MaasClient } from '../../src/index.js';
import type { TrainingJob } from '../../src/types.js';
import { type CliIO, EXIT } from './command.js';
import type { Interrupt } from './interrupt.js';
import { Progress } from './progress.js';

/**
 * Follows a job to its end, showing its events; prints the deployed version on stdout once it succeeded. With
 * `cancelOnInterrupt` the first Ctrl-C cancels the job and keeps following until it has stopped (`maas train`);
 * otherwise Ctrl-C only stops following (`maas jobs follow`). 0 on success, 1 when the job failed or was cancelled.
 */
export async function followJob(
  client: MaasClient,
  job: TrainingJob,
  io: CliIO,
  interrupt: Interrupt,
  command: string,
  options: { cancelOnInterrupt: boolean },
): Promise<number> {
  const progress = new Progress(io.stderr, { model: job.model, epochs: job.hyperparameters.epochs });
  if (options.cancelOnInterrupt) {
    interrupt.onFirst(() => {
      progress.note(`Cancelling ${job.id} (Ctrl-C again to stop waiting)...`);
      client.trainingJobs.cancel(job.id).catch(() => {});
    });
  }
  let done: TrainingJob;
  try {
    done = await client.trainingJobs.wait(job.id, { onEvent: (e) => progress.event(e), signal: interrupt.signal });
  } finally {
    interrupt.onFirst(undefined);
    progress.end();
  }
  if (done.status === 'succeeded' && done.result) {
    io.stdout.write(`Deployed ${done.result.model} version ${done.result.version} (${done.id})\n`);
    return EXIT.ok;
  }
  const why = done.error ? `: ${done.error.code}: ${done.error.message}` : '';
  io.stderr.write(`maas ${command}: ${done.id} ${done.status}${why}\n`);
  return EXIT.failed;
}
