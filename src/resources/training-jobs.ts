import type { APIPromise } from '../api-promise.js';
import { APITimeoutError, APIUserAbortError } from '../errors.js';
import { path } from '../internal/request-core.js';
import { APIResource } from '../internal/resource.js';
import type { RequestOptions } from '../options.js';
import type { PagePromise } from '../pagination.js';
import { isTerminalStatus, type StreamOptions, TrainingJobEventStream } from '../sse.js';
import type {
  TrainingJob,
  TrainingJobCreateRequest,
  TrainingJobEvent,
  TrainingJobEventList,
  TrainingJobEventListParams,
  TrainingJobListParams,
} from '../types.js';

/**
 * Options of `trainingJobs.wait()`.
 *
 * @example
 * ```ts
 * await client.trainingJobs.wait(job.id, { timeout: 600_000, onEvent: (e) => console.log(e.type) });
 * ```
 */
export interface WaitOptions extends StreamOptions {
  /** Called with every event, in order, once each. */
  onEvent?: ((event: TrainingJobEvent) => void) | undefined;
  /** Milliseconds to wait in total before rejecting with `APITimeoutError` (default: no limit). */
  timeout?: number | undefined;
}

/**
 * Training jobs: create, follow and cancel.
 *
 * @example
 * ```ts
 * const job = await client.trainingJobs.create({ model: 'iris', dataset: ds.id, task: 'classification', target: 'species',
 *   architecture: { type: 'mlp', hidden_layers: [16] }, optimizer: { type: 'adam', learning_rate: 0.01 }, epochs: 50 });
 * const done = await client.trainingJobs.wait(job.id);
 * ```
 */
export class TrainingJobsResource extends APIResource {
  /**
   * Queues a job. Sends one Idempotency-Key per call (reused on retries), so a retried create never queues two jobs.
   *
   * @example
   * ```ts
   * const job = await client.trainingJobs.create({
   *   model: 'iris', dataset: 'ds_123', task: 'classification', target: 'species',
   *   architecture: { type: 'logistic' }, optimizer: { type: 'sgd', learning_rate: 0.1 }, epochs: 20, seed: 7,
   * });
   * console.log(job.id, job.status, job.hyperparameters.batch_size);
   * ```
   */
  create(body: TrainingJobCreateRequest, options?: RequestOptions): APIPromise<TrainingJob> {
    return this.core.json<TrainingJob>({
      method: 'POST',
      path: '/v1/training-jobs',
      body: { contentType: 'application/json', data: JSON.stringify(body) },
      idempotent: true,
      options,
    });
  }

  /**
   * Jobs, newest first, optionally by status: iterate for all of them, or await for the first page.
   *
   * @example
   * ```ts
   * for await (const job of client.trainingJobs.list({ status: 'running' })) console.log(job.id);
   * ```
   */
  list(params: TrainingJobListParams = {}, options?: RequestOptions): PagePromise<TrainingJob> {
    return this.paginate<TrainingJob>('/v1/training-jobs', params, options);
  }

  /**
   * One job, with its latest metrics.
   *
   * @example
   * ```ts
   * const { status, metrics } = await client.trainingJobs.retrieve('job_123');
   * ```
   */
  retrieve(jobId: string, options?: RequestOptions): APIPromise<TrainingJob> {
    return this.core.json<TrainingJob>({ method: 'GET', path: path`/v1/training-jobs/${jobId}`, options });
  }

  /**
   * Cancels a queued or running job (a running one ends `cancelled` at its next batch). An ended job is a 409.
   *
   * @example
   * ```ts
   * await client.trainingJobs.cancel('job_123');
   * ```
   */
  cancel(jobId: string, options?: RequestOptions): APIPromise<TrainingJob> {
    return this.core.json<TrainingJob>({ method: 'POST', path: path`/v1/training-jobs/${jobId}/cancel`, options });
  }

  /**
   * One page of a job's events (JSON). Pass the last id you saw as `after` for the next page.
   *
   * @example
   * ```ts
   * const page = await client.trainingJobs.events('job_123', { after: 0, limit: 100 });
   * for (const e of page.data) console.log(e.id, e.type);
   * ```
   */
  events(
    jobId: string,
    params: TrainingJobEventListParams = {},
    options?: RequestOptions,
  ): APIPromise<TrainingJobEventList> {
    return this.core.json<TrainingJobEventList>({
      method: 'GET',
      path: path`/v1/training-jobs/${jobId}/events`,
      query: params,
      options,
    });
  }

  /**
   * Live events over Server-Sent Events. Reconnects by itself and resumes from the last event id (no duplicate, no
   * gap); ends after the job's terminal status event; `break` closes the connection. `timeout` bounds each
   * connection attempt, `idleTimeout` the silence within a connection.
   *
   * @example
   * ```ts
   * for await (const event of client.trainingJobs.stream(job.id)) {
   *   if (event.type === 'metrics') console.log(`epoch ${event.metrics?.epoch}: loss ${event.metrics?.train_loss}`);
   * }
   * ```
   */
  stream(jobId: string, options: StreamOptions = {}): TrainingJobEventStream {
    return new TrainingJobEventStream(this.core, jobId, options, async (signal) => {
      const job = await this.retrieve(jobId, { ...options, signal });
      return job.status;
    });
  }

  /**
   * Follows the job's events until it ends and returns the final job (whatever its status: check `status` and
   * `error`).
   *
   * @example
   * ```ts
   * const job = await client.trainingJobs.wait('job_123', { onEvent: (e) => e.metrics && console.log(e.metrics.train_loss) });
   * if (job.status === 'succeeded') console.log('deployed as', job.result?.model, job.result?.version);
   * ```
   */
  async wait(jobId: string, options: WaitOptions = {}): Promise<TrainingJob> {
    const { onEvent, timeout, signal: userSignal, ...streamOptions } = options;
    const controller = new AbortController();
    const onAbort = () => controller.abort(userSignal?.reason);
    userSignal?.addEventListener('abort', onAbort, { once: true });
    if (userSignal?.aborted) onAbort();
    let timedOut = false;
    const timer =
      timeout !== undefined && timeout > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeout)
        : undefined;
    const perCall = { ...streamOptions, signal: controller.signal };
    try {
      for await (const event of this.stream(jobId, perCall)) onEvent?.(event);
      // The terminal status event is written before (or with) the job row; re-read briefly if it lags.
      for (let tries = 0; ; tries++) {
        const job = await this.retrieve(jobId, perCall);
        if (isTerminalStatus(job.status) || tries >= 20) return job;
        await this.core.config.sleep(100, controller.signal);
      }
    } catch (err) {
      if (timedOut) throw new APITimeoutError(`Training job ${jobId} did not end within ${timeout} ms`, { cause: err });
      if (userSignal?.aborted && !(err instanceof APIUserAbortError))
        throw new APIUserAbortError(undefined, { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onAbort);
    }
  }
}
