import { type AnyJobRecord, isTerminal } from './job-engine.js';
import type { MaasMockState } from './state.js';
import type { OptimizationJobEvent, TrainingJobEvent } from './types.js';

const encoder = new TextEncoder();

export function formatEvent(event: TrainingJobEvent | OptimizationJobEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/**
 * A live Server-Sent Events stream of one job's events after `after`: replays what exists, then follows the job
 * (time-driven steps are applied by a timer set for when the next one is due, so fake timers drive it too), sends
 * `: heartbeat` comments while idle, and ends after the terminal status event. Ends too if the state is reset.
 */
export function eventStream(
  state: MaasMockState,
  record: AnyJobRecord,
  after: number,
  heartbeatMs: number,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  let sent = after;
  let done = false;
  let stepTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe = () => {};
  let flushQueued = false;

  const stop = () => {
    done = true;
    unsubscribe();
    if (stepTimer !== undefined) clearTimeout(stepTimer);
    if (heartbeatTimer !== undefined) clearTimeout(heartbeatTimer);
    signal?.removeEventListener('abort', onAbort);
  };
  let onAbort = () => {};

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (done) return;
        stop();
        controller.close();
      };
      const heartbeat = () => {
        if (done) return;
        controller.enqueue(encoder.encode(': heartbeat\n\n'));
        heartbeatTimer = setTimeout(heartbeat, heartbeatMs);
        unref(heartbeatTimer);
      };
      const flush = () => {
        flushQueued = false;
        if (done) return;
        if (state.jobs.find(record.job.id) !== record) return close();
        for (const event of record.events) {
          if (event.id <= sent) continue;
          controller.enqueue(encoder.encode(formatEvent(event)));
          sent = event.id;
        }
        const last = record.events[record.events.length - 1];
        if (isTerminal(record.job.status) && last?.type === 'status' && last.id <= sent) return close();
        scheduleStep();
      };
      const scheduleStep = () => {
        if (stepTimer !== undefined) return;
        const wait = state.msUntilNextStep();
        if (wait === null) return;
        stepTimer = setTimeout(() => {
          stepTimer = undefined;
          state.sync();
          flush();
        }, wait);
        unref(stepTimer);
      };
      unsubscribe = state.jobs.subscribe((jobId) => {
        if ((jobId === record.job.id || jobId === '*') && !flushQueued) {
          flushQueued = true;
          queueMicrotask(flush);
        }
      });
      onAbort = close;
      signal?.addEventListener('abort', onAbort);
      heartbeatTimer = setTimeout(heartbeat, heartbeatMs);
      unref(heartbeatTimer);
      flush();
    },
    cancel() {
      stop();
    },
  });
}
