// A job's events, live: the SDK's stream (read with fetch so the API key goes as a header; it reconnects by itself
// and resumes with Last-Event-ID), folded into curves per epoch, the newest events for the log, and the latest status
// and stage. A finished job replays the same way, so one code path shows both. Training and optimisation jobs share
// it: each page passes its resource's `stream`.
import { useEffect, useState } from 'preact/hooks';
import type {
  OptimizationJobEvent,
  OptimizationJobStage,
  TrainingJobEvent,
  TrainingJobStatus,
} from '../../../../src/index.js';
import { isTerminalStatus } from '../../../../src/index.js';
import { session } from '../api/session.js';
import { addEpoch, type Curves, emptyCurves } from '../lib/curves.js';
import type { AsyncState } from './use-async.js';

/** The log shows the newest this many events. */
const LOG_LIMIT = 300;

export type JobEvent = TrainingJobEvent | OptimizationJobEvent;

export interface LiveJob<E extends JobEvent> {
  curves: Curves;
  events: E[];
  status: TrainingJobStatus | undefined;
  /** The last stage event's stage (optimisation jobs). */
  stage: OptimizationJobStage | undefined;
  /** Bumped per batch of events drawn. */
  version: number;
  error: unknown;
  ended: boolean;
}

/** How a page opens its job's stream: `(id, { signal }) => client.trainingJobs.stream(id, { signal })`. */
export type OpenStream<E> = (id: string, options: { signal: AbortSignal }) => AsyncIterable<E>;

/** Follows the job's event stream; redraws at most every 50 ms however fast epochs arrive. */
export function useJobEvents<E extends JobEvent>(id: string, open: OpenStream<E>): LiveJob<E> {
  const [live, setLive] = useState<LiveJob<E>>(() => fresh());
  useEffect(() => {
    const controller = new AbortController();
    const state = fresh<E>();
    setLive(state);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const draw = () => {
      timer = undefined;
      setLive({ ...state, events: state.events.slice(-LOG_LIMIT), version: ++state.version });
    };
    const schedule = () => {
      timer ??= setTimeout(draw, 50);
    };
    (async () => {
      try {
        for await (const event of open(id, { signal: controller.signal })) {
          state.events.push(event);
          if (state.events.length > LOG_LIMIT * 2) state.events.splice(0, state.events.length - LOG_LIMIT);
          if (event.type === 'metrics' && event.metrics) addEpoch(state.curves, event.metrics);
          if (event.type === 'status' && event.status) state.status = event.status;
          if ('stage' in event && event.type === 'stage' && event.stage) state.stage = event.stage;
          schedule();
        }
        state.ended = true;
        clearTimeout(timer);
        draw();
      } catch (err) {
        if (controller.signal.aborted) return;
        session.report(err);
        state.error = err;
        clearTimeout(timer);
        draw();
      }
    })();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id, session.version]);
  return live;
}

function fresh<E extends JobEvent>(): LiveJob<E> {
  return {
    curves: emptyCurves(),
    events: [],
    status: undefined,
    stage: undefined,
    version: 0,
    error: undefined,
    ended: false,
  };
}

/**
 * The stream's terminal status event can come a moment before the job row says so: reads the job again (every
 * 150 ms) until it has ended too, for its result, report and finish time.
 */
export function useJobSettles(
  job: AsyncState<{ status: TrainingJobStatus }>,
  streamStatus: TrainingJobStatus | undefined,
): void {
  const terminal = streamStatus !== undefined && isTerminalStatus(streamStatus);
  const j = job.data;
  useEffect(() => {
    if (!terminal || !j || isTerminalStatus(j.status)) return;
    const timer = setTimeout(job.reload, 150);
    return () => clearTimeout(timer);
  }, [terminal, j]);
}
