// Server-Sent Events for training job events: parses with eventsource-parser, remembers the last event id, and
// reconnects by itself (Last-Event-ID) so the caller sees every event once, in order, until the terminal status.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { APIConnectionError, APIError, APIUserAbortError, InvalidResponseError, MaasError } from './errors.js';
import { parseJson } from './internal/json.js';
import { type OpenStream, path, type RequestCore } from './internal/request-core.js';
import { backoffDelay, isRetryableStatus } from './internal/retry.js';
import type { RequestOptions } from './options.js';
import type { TrainingJobEvent, TrainingJobStatus } from './types.js';

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

/**
 * A live, resumable stream of a training job's events. Iterate it once with `for await`; breaking out closes the
 * connection. It ends after the job's terminal status event.
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
export class TrainingJobEventStream implements AsyncIterable<TrainingJobEvent> {
  #lastEventId: number | undefined;
  #started = false;

  constructor(
    private readonly core: RequestCore,
    private readonly jobId: string,
    private readonly options: StreamOptions,
    private readonly probeStatus: StatusProbe,
  ) {
    this.#lastEventId = options.after;
  }

  /** The id of the last event delivered (the resume point). */
  get lastEventId(): number | undefined {
    return this.#lastEventId;
  }

  [Symbol.asyncIterator](): AsyncGenerator<TrainingJobEvent, void, undefined> {
    if (this.#started) throw new MaasError('A TrainingJobEventStream can be iterated only once');
    this.#started = true;
    return this.#events();
  }

  async *#events(): AsyncGenerator<TrainingJobEvent, void, undefined> {
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
            const event = parseEvent(message);
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
      path: path`/v1/training-jobs/${this.jobId}/events`,
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

function parseEvent(message: EventSourceMessage): TrainingJobEvent {
  let event: TrainingJobEvent;
  try {
    event = parseJson(message.data) as TrainingJobEvent;
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
