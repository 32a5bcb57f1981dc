import { type StreamOptions, TrainingJobEventStream } from '../sse.js';
import type {
  TrainingJob,
  TrainingJobCreateRequest,
  TrainingJobEvent,
  TrainingJobEventList,
  TrainingJobListParams,
} from '../types.js';
import { JobsResource } from './jobs.js';

export type { WaitOptions } from './jobs.js';

/**
 * Training jobs: create, follow and cancel (the operations are JobsResource's). A trained model deploys as the new
 * default unless `promote: false` (then it is a candidate that takes no unversioned traffic until promoted).
 *
 * @example
 * ```ts
 * const job = await client.trainingJobs.create({ model: 'iris', dataset: ds.id, task: 'classification', target: 'species',
 *   architecture: { type: 'mlp', hidden_layers: [16] }, optimizer: { type: 'adam', learning_rate: 0.01 }, epochs: 50 });
 * const done = await client.trainingJobs.wait(job.id);
 * ```
 */
export class TrainingJobsResource extends JobsResource<
  TrainingJob,
  TrainingJobEvent,
  TrainingJobCreateRequest,
  TrainingJobListParams,
  TrainingJobEventList
> {
  protected readonly collection = 'training-jobs';
  protected readonly noun = 'Training job';

  protected openStream(jobId: string, options: StreamOptions): TrainingJobEventStream {
    return new TrainingJobEventStream(this.core, jobId, options, this.probe(jobId, options));
  }

  /**
   * Live events over Server-Sent Events (see JobsResource.stream).
   *
   * @example
   * ```ts
   * for await (const event of client.trainingJobs.stream(job.id)) console.log(event.type);
   * ```
   */
  override stream(jobId: string, options: StreamOptions = {}): TrainingJobEventStream {
    return this.openStream(jobId, options);
  }
}
