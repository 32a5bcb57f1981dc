// What training and optimisation jobs share in the SDK: create (with an Idempotency-Key), list, retrieve, cancel,
// events (JSON pages), stream (SSE, resumable) and wait. Each kind's resource names its paths and types.
import type { APIPromise } from '../api-promise.js';
import { APITimeoutError, APIUserAbortError } from '../errors.js';
import { path } from '../internal/request-core.js';
import { APIResource } from '../internal/resource.js';
import type { RequestOptions } from '../options.js';
import type { PagePromise } from '../pagination.js';
import { isTerminalStatus, type JobEventStream, type StreamOptions } from '../sse.js';
import type { TrainingJobEvent, TrainingJobStatus } from '../types.js';

/**
 * Options of `trainingJobs.wait()` and `optimizationJobs.wait()`.
 *
 * @example
 * ```ts
 * await client.trainingJobs.wait(job.id, { timeout: 600_000, onEvent: (e) => console.log(e.type) });
 * ```
 */
export interface WaitOptions<E = TrainingJobEvent> extends StreamOptions {
  /** Called with every event, in order, once each. */
  onEvent?: ((event: E) => void) | undefined;
  /** Milliseconds to wait in total before rejecting with `APITimeoutError` (default: no limit). */
  timeout?: number | undefined;
}

type Collection = 'training-jobs' | 'optimization-jobs';

/** The operations every job kind has; `J` the job, `E` its events, `C` its create body. */
export abstract class JobsResource<
  J extends { id: string; status: TrainingJobStatus },
  E extends { id: number; type: string; status?: TrainingJobStatus | undefined },
  C,
  L extends Record<string, unknown>,
  EL,
> extends APIResource {
  protected abstract readonly collection: Collection;
  /** How messages name a job ("Training job"). */
  protected abstract readonly noun: string;
  protected abstract openStream(jobId: string, options: StreamOptions): JobEventStream<E>;

  /**
   * Queues a job. Sends one Idempotency-Key per call (reused on retries), so a retried create never queues two jobs.
   *
   * @example
   * ```ts
   * const job = await client.optimizationJobs.create({
   *   model: 'iris', method: { type: 'quantize', precision: 'int8', mode: 'dynamic' },
   *   evaluation: { dataset: 'ds_123', target: 'species' },
   * });
   * ```
   */
  create(body: C, options?: RequestOptions): APIPromise<J> {
    return this.core.json<J>({
      method: 'POST',
      path: `/v1/${this.collection}`,
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
  list(params: L = {} as L, options?: RequestOptions): PagePromise<J> {
    return this.paginate<J>(`/v1/${this.collection}`, params as Parameters<APIResource['paginate']>[1], options);
  }

  /**
   * One job: its status, and what it produced once it ended.
   *
   * @example
   * ```ts
   * const { status } = await client.trainingJobs.retrieve('job_123');
   * ```
   */
  retrieve(jobId: string, options?: RequestOptions): APIPromise<J> {
    return this.core.json<J>({ method: 'GET', path: this.jobPath(jobId), options });
  }

  /**
   * Cancels a queued or running job (a running one ends `cancelled` at its next batch or stage). An ended job is a
   * 409.
   *
   * @example
   * ```ts
   * await client.optimizationJobs.cancel('job_123');
   * ```
   */
  cancel(jobId: string, options?: RequestOptions): APIPromise<J> {
    return this.core.json<J>({ method: 'POST', path: `${this.jobPath(jobId)}/cancel`, options });
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
  events(jobId: string, params: { after?: number; limit?: number } = {}, options?: RequestOptions): APIPromise<EL> {
    return this.core.json<EL>({ method: 'GET', path: `${this.jobPath(jobId)}/events`, query: params, options });
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
  stream(jobId: string, options: StreamOptions = {}): JobEventStream<E> {
    return this.openStream(jobId, options);
  }

  /** Reads a job's status for a stream that ended without news (finished, or the server restarted). */
  protected probe(jobId: string, options: StreamOptions) {
    return async (signal: AbortSignal | undefined) => (await this.retrieve(jobId, { ...options, signal })).status;
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
  async wait(jobId: string, options: WaitOptions<E> = {}): Promise<J> {
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
      if (timedOut) throw new APITimeoutError(`${this.noun} ${jobId} did not end within ${timeout} ms`, { cause: err });
      if (userSignal?.aborted && !(err instanceof APIUserAbortError))
        throw new APIUserAbortError(undefined, { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onAbort);
    }
  }

  private jobPath(jobId: string): string {
    return this.collection === 'training-jobs'
      ? path`/v1/training-jobs/${jobId}`
      : path`/v1/optimization-jobs/${jobId}`;
  }
}
