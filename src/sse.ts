// Server-Sent Events for job events (training and optimisation): parses with eventsource-parser, remembers the last event id, and
// reconnects by itself (Last-Event-ID) so the caller sees every event once, in order, until the terminal status.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { APIConnectionError, APIError, APIUserAbortError, InvalidResponseError, MaasError } from './errors.js';
import { parseJson } from './internal/json.js';
import { type OpenStream, path, type RequestCore } from './internal/request-core.js';
import { backoffDelay, isRetryableStatus } from './internal/retry.js';
import type { RequestOptions } from './options.js';
import type { OptimizationJobEvent, TrainingJobEvent, TrainingJobStatus } from './types.js';

/**
 * Options of `trainingJobs.stream()`.
 *
 * @example
 * ```ts
 * client.trainingJobs.stream('job_1', { after: 12, idleTimeout: 30_000, signal: ac.signal });
 * ```
 */
export interface StreamOptions extends RequestOptions {
  /** Start after this event id (the events up to it are skipped). */
  after?: number | undefined;
  /** Milliseconds without a byte (events or heartbeats) before the connection is dropped and reopened. Default: the client's timeout. */
  idleTimeout?: number | undefined;
  /** Consecutive reconnects that bring no new event before giving up. Default 5. */
  maxReconnects?: number | undefined;
}

const TERMINAL: ReadonlySet<TrainingJobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Whether a job status is final (`succeeded`, `failed` or `cancelled`).
 *
 * @example
 * ```ts
 * if (isTerminalStatus(job.status)) console.log('done');
 * ```
 */
export function isTerminalStatus(status: TrainingJobStatus | undefined): boolean {
  return status !== undefined && TERMINAL.has(status);
}

/** Reads the job's current status, to tell a finished job from a dropped connection. */
export type StatusProbe = (signal: AbortSignal | undefined) => Promise<TrainingJobStatus>;

/** What every job event has that the stream reads. */
interface StreamedEvent {
  id: number;
  type: string;
  status?: TrainingJobStatus | undefined;
}

/**
 * A live, resumable stream of a job's events (`TrainingJobEventStream`, `OptimizationJobEventStream`). Iterate it
 * once with `for await`; breaking out closes the connection. It ends after the job's terminal status event.
 *
 * @example
 * ```ts
 * const stream = client.trainingJobs.stream('job_1');
 * for await (const event of stream) {
 *   if (event.type === 'metrics') console.log(event.metrics?.epoch, event.metrics?.train_loss);
 * }
 * console.log('last event', stream.lastEventId);
 * ```
 */
export class JobEventStream<E extends StreamedEvent> implements AsyncIterable<E> {
  #lastEventId: number | undefined;
  #started = false;

  constructor(
    private readonly core: RequestCore,
    private readonly jobId: string,
    private readonly options: StreamOptions,
    private readonly probeStatus: StatusProbe,
    /** The jobs' collection path: `/v1/<collection>/{id}/events`. */
    private readonly collection: 'training-jobs' | 'optimization-jobs' = 'training-jobs',
  ) {
    this.#lastEventId = options.after;
  }

  /** The id of the last event delivered (the resume point). */
  get lastEventId(): number | undefined {
    return this.#lastEventId;
  }

  [Symbol.asyncIterator](): AsyncGenerator<E, void, undefined> {
    if (this.#started) throw new MaasError(`A ${this.constructor.name} can be iterated only once`);
    this.#started = true;
    return this.#events();
  }

  async *#events(): AsyncGenerator<E, void, undefined> {
    const { signal } = this.options;
    const maxReconnects = this.options.maxReconnects ?? 5;
    const idleTimeout = this.options.idleTimeout ?? this.core.config.timeout;
    let fruitless = 0;
    for (;;) {
      if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });
      let progressed = false;
      let endedCleanly = false;
      let failure: unknown;
      let connection: OpenStream | undefined;
      let idleTimer: ReturnType<typeof setTimeout> | undefined;
      try {
        connection = await this.#connect();
        const conn = connection;
        const resetIdle = () => {
          clearTimeout(idleTimer);
          if (idleTimeout > 0 && Number.isFinite(idleTimeout)) idleTimer = setTimeout(() => conn.close(), idleTimeout);
        };
        const pending: EventSourceMessage[] = [];
        const parser = createParser({ onEvent: (message) => pending.push(message) });
        const decoder = new TextDecoder();
        resetIdle();
        for await (const chunk of conn.response.chunks()) {
          resetIdle();
          parser.feed(decoder.decode(chunk, { stream: true }));
          for (let message = pending.shift(); message; message = pending.shift()) {
            const event = parseEvent(message) as E;
            // After a reconnect the server replays from Last-Event-ID; anything at or before it is a duplicate.
            if (this.#lastEventId !== undefined && event.id <= this.#lastEventId) continue;
            this.#lastEventId = event.id;
            progressed = true;
            yield event;
            if (event.type === 'status' && isTerminalStatus(event.status)) return;
          }
        }
        endedCleanly = true;
      } catch (err) {
        if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });
        if (err instanceof InvalidResponseError) throw err;
        if (err instanceof APIError && !isRetryableStatus(err.status)) throw err;
        failure = err;
      } finally {
        clearTimeout(idleTimer);
        connection?.close();
      }
      // A clean end with nothing new: either the job already finished (and `after` was past its last event) or the
      // server restarted. Ask the job.
      if (endedCleanly && !progressed && isTerminalStatus(await this.probeStatus(signal))) return;
      fruitless = progressed ? 0 : fruitless + 1;
      if (fruitless > maxReconnects) {
        if (failure instanceof MaasError) throw failure;
        throw new APIConnectionError(
          `Event stream of ${this.jobId} dropped ${fruitless} times in a row without a new event`,
          { cause: failure },
        );
      }
      await this.#pause(progressed ? 0 : backoffDelay(fruitless - 1, this.core.config.backoff));
    }
  }

  #connect(): Promise<OpenStream> {
    const last = this.#lastEventId;
    return this.core.stream({
      method: 'GET',
      path:
        this.collection === 'training-jobs'
          ? path`/v1/training-jobs/${this.jobId}/events`
          : path`/v1/optimization-jobs/${this.jobId}/events`,
      query: { after: last },
      accept: 'text/event-stream',
      headers: last === undefined ? undefined : { 'last-event-id': String(last) },
      options: this.options,
    });
  }

  async #pause(ms: number): Promise<void> {
    if (ms <= 0) return;
    try {
      await this.core.config.sleep(ms, this.options.signal);
    } catch (err) {
      throw new APIUserAbortError(undefined, { cause: err });
    }
  }
}

/**
 * A live, resumable stream of a training job's events (see `JobEventStream`).
 *
 * @example
 * ```ts
 * for await (const event of client.trainingJobs.stream('job_1')) console.log(event.type);
 * ```
 */
export class TrainingJobEventStream extends JobEventStream<TrainingJobEvent> {}

/**
 * A live, resumable stream of an optimisation job's events: `stage`, `metrics` (fine-tuning, distillation),
 * `message` (the gate's verdict among them) and `status` (see `JobEventStream`).
 *
 * @example
 * ```ts
 * for await (const event of client.optimizationJobs.stream('job_1')) {
 *   if (event.type === 'stage') console.log('now', event.stage);
 * }
 * ```
 */
export class OptimizationJobEventStream extends JobEventStream<OptimizationJobEvent> {
  constructor(core: RequestCore, jobId: string, options: StreamOptions, probeStatus: StatusProbe) {
    super(core, jobId, options, probeStatus, 'optimization-jobs');
  }
}

function parseEvent(message: EventSourceMessage): StreamedEvent {
  let event: StreamedEvent;
  try {
    event = parseJson(message.data) as StreamedEvent;
  } catch (err) {
    throw new InvalidResponseError(
      `Event stream sent data that is not JSON: ${JSON.stringify(message.data.slice(0, 200))}`,
      200,
      message.data,
      undefined,
      { cause: err },
    );
  }
  if (typeof event?.id !== 'number') {
    const fromField = Number(message.id);
    if (!Number.isSafeInteger(fromField)) {
      throw new InvalidResponseError('Event stream sent an event without an id', 200, message.data, undefined);
    }
    event.id = fromField;
  }
  return event;
}
