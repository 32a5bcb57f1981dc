import type { FastifyInstance, FastifyReply } from 'fastify';
import type { components } from '../../../src/generated/openapi.js';
import { InvalidParameterError } from '../../errors.js';
import type { JobEvents } from '../../jobs/events.js';
import type { JobService } from '../../jobs/service.js';
import { isTerminal, type TrainingJobEvent } from '../../jobs/types.js';
import { type Idempotency, idempotencyKeyFrom, requestFingerprint } from '../idempotency.js';
import { pageParams, stringQuery } from '../params.js';

type TrainingJob = components['schemas']['TrainingJob'];

export interface TrainingJobRoutesOptions {
  jobs: JobService;
  events: JobEvents;
  idempotency: Idempotency;
  /** Milliseconds between `: heartbeat` comments on an idle event stream. */
  heartbeatMs: number;
}

/** POST/GET /v1/training-jobs, GET /v1/training-jobs/{id}, POST .../cancel, GET .../events (JSON page or SSE). */
export function registerTrainingJobRoutes(app: FastifyInstance, options: TrainingJobRoutesOptions): void {
  const { jobs, idempotency } = options;
  const streams = new Set<() => void>();
  // End open event streams first on shutdown: they would otherwise hold the HTTP drain until its timeout.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  app.post('/v1/training-jobs', async (request, reply) => {
    const key = idempotencyKeyFrom(request.headers);
    const fingerprint = requestFingerprint(['createTrainingJob', JSON.stringify(request.body ?? null)]);
    const result = await idempotency.run<TrainingJob>('createTrainingJob', key, fingerprint, async () => ({
      status: 201,
      body: jobs.create(request.body),
    }));
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(result.status).send(result.body);
  });

  app.get('/v1/training-jobs', async (request) => {
    const status = stringQuery(request.query, 'status', 32);
    return jobs.list({ ...pageParams(request.query), ...(status !== undefined ? { status } : {}) });
  });

  app.get('/v1/training-jobs/:job_id', async (request) => jobs.retrieve(jobId(request.params)));

  app.post('/v1/training-jobs/:job_id/cancel', async (request) => jobs.cancel(jobId(request.params)));

  app.get('/v1/training-jobs/:job_id/events', async (request, reply) => {
    const id = jobId(request.params);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const lastEventId = request.headers['last-event-id'];
    const after =
      typeof lastEventId === 'string' && lastEventId !== ''
        ? integer(lastEventId, 'Last-Event-ID header', 0, Number.MAX_SAFE_INTEGER)
        : query.after === undefined
          ? 0
          : integer(query.after, 'after', 0, Number.MAX_SAFE_INTEGER);
    const wantsStream = (request.headers.accept ?? '').includes('text/event-stream');
    if (!wantsStream) {
      const limit = query.limit === undefined ? 100 : integer(query.limit, 'limit', 1, 1000);
      return jobs.listEvents(id, after, limit);
    }
    jobs.require(id); // 404 before the stream starts
    streamEvents(reply, id, after, options, streams);
    return reply;
  });
}

/**
 * Server-Sent Events: the backlog after `after`, then live events, with heartbeats while idle; ends after the
 * terminal status event (at once if the client has already seen it). Backlog and subscription are set up in one
 * synchronous step, so no event is lost or sent twice.
 */
function streamEvents(
  reply: FastifyReply,
  jobId: string,
  after: number,
  options: TrainingJobRoutesOptions,
  streams: Set<() => void>,
): void {
  const { events, jobs, heartbeatMs } = options;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });

  let lastId = after;
  let ended = false;
  let unsubscribe = () => {};
  let heartbeat: NodeJS.Timeout | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearInterval(heartbeat);
    streams.delete(end);
    if (!res.writableEnded) res.end();
  };
  const send = (event: TrainingJobEvent) => {
    if (ended || event.id <= lastId) return;
    lastId = event.id;
    res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    if (event.type === 'status' && event.status && isTerminal(event.status)) end();
  };

  streams.add(end);
  res.on('close', end);
  for (;;) {
    const page = events.list(jobId, lastId, 1000);
    for (const event of page) send(event);
    if (ended || page.length < 1000) break;
  }
  if (ended) return;
  // Already ended and its terminal event was at or before `after`: nothing more will come.
  if (isTerminal(jobs.require(jobId).status)) {
    end();
    return;
  }
  unsubscribe = events.subscribe(jobId, send);
  heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
}

function jobId(params: unknown): string {
  return (params as { job_id: string }).job_id;
}

function integer(value: unknown, name: string, min: number, max: number): number {
  const text = String(value);
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new InvalidParameterError(name, `an integer from ${min} to ${max}`, text);
  return n;
}
