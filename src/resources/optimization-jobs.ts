import { OptimizationJobEventStream, type StreamOptions } from '../sse.js';
import type {
  OptimizationJob,
  OptimizationJobCreateRequest,
  OptimizationJobEvent,
  OptimizationJobEventList,
  OptimizationJobListParams,
} from '../types.js';
import { JobsResource } from './jobs.js';

/**
 * Optimisation jobs: quantise, prune or distil a served version, evaluate the candidate against its parent, gate it,
 * and publish it as a candidate (no unversioned traffic until `models.update` pins it, or at once with
 * `promote: true`). A candidate that fails its gate ends the job `failed` (`gate_failed`) with the report.
 *
 * @example
 * ```ts
 * const job = await client.optimizationJobs.create({
 *   model: 'iris', method: { type: 'quantize', precision: 'int8', mode: 'dynamic' },
 *   evaluation: { dataset: 'ds_123', target: 'species' },
 * });
 * const done = await client.optimizationJobs.wait(job.id, { onEvent: (e) => e.stage && console.log(e.stage) });
 * if (done.status === 'succeeded') {
 *   console.log(done.report?.size_ratio, done.report?.candidate.agreement);
 *   await client.models.update('iris', { default_version: done.result!.version });
 * }
 * ```
 */
export class OptimizationJobsResource extends JobsResource<
  OptimizationJob,
  OptimizationJobEvent,
  OptimizationJobCreateRequest,
  OptimizationJobListParams,
  OptimizationJobEventList
> {
  protected readonly collection = 'optimization-jobs';
  protected readonly noun = 'Optimization job';

  protected openStream(jobId: string, options: StreamOptions): OptimizationJobEventStream {
    return new OptimizationJobEventStream(this.core, jobId, options, this.probe(jobId, options));
  }

  /**
   * Live events over Server-Sent Events: `stage`, `metrics`, `message` and `status` (see JobsResource.stream).
   *
   * @example
   * ```ts
   * for await (const event of client.optimizationJobs.stream(job.id)) {
   *   if (event.type === 'message') console.log(event.message);
   * }
   * ```
   */
  override stream(jobId: string, options: StreamOptions = {}): OptimizationJobEventStream {
    return this.openStream(jobId, options);
  }
}
