import type { FastifyReply } from 'fastify';
import type { components } from '../../../src/generated/openapi.js';
import type { JobEvents } from '../../jobs/events.js';
import type { JobService } from '../../jobs/service.js';
import { isTerminal, type TrainingJobEvent } from '../../jobs/types.js';
import { requestTrace } from '../../observability/trace.js';
import type { ServerFeature } from '../../services.js';
import { idempotencyKeyFrom, requestFingerprint } from '../idempotency.js';
import { listBody } from '../list-page.js';
import { boundedInteger, pageParams, stringQuery } from '../params.js';
import { openSseStream } from '../sse.js';

type TrainingJob = components['schemas']['TrainingJob'];

/** POST/GET /v1/training-jobs, GET /v1/training-jobs/{id}, POST .../cancel, GET .../events (JSON page or SSE). */
export const trainingJobRoutes: ServerFeature = {
  name: 'training-jobs',
  setup(app, { jobs, events, idempotency, sseHeartbeatMs }) {
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
        body: await jobs.create(request.body, { traceId: requestTrace(request.raw)?.traceId }),
      }));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.status).send(result.body);
    });

    app.get('/v1/training-jobs', async (request) => {
      const status = stringQuery(request.query, 'status', 32);
      const page = await jobs.list({ ...pageParams(request.query), ...(status !== undefined ? { status } : {}) });
      return listBody(page, (job) => job.id);
    });

    app.get('/v1/training-jobs/:job_id', async (request) => jobs.retrieve(jobId(request.params)));

    app.post('/v1/training-jobs/:job_id/cancel', async (request) => jobs.cancel(jobId(request.params)));

    app.get('/v1/training-jobs/:job_id/events', async (request, reply) => {
      const id = jobId(request.params);
      const query = (request.query ?? {}) as Record<string, unknown>;
      const lastEventId = request.headers['last-event-id'];
      const after =
        typeof lastEventId === 'string' && lastEventId !== ''
          ? boundedInteger(lastEventId, 'Last-Event-ID header', 0, Number.MAX_SAFE_INTEGER)
          : query.after === undefined
            ? 0
            : boundedInteger(query.after, 'after', 0, Number.MAX_SAFE_INTEGER);
      const wantsStream = (request.headers.accept ?? '').includes('text/event-stream');
      if (!wantsStream) {
        const limit = query.limit === undefined ? 100 : boundedInteger(query.limit, 'limit', 1, 1000);
        const page = await jobs.listEvents(id, after, limit);
        return listBody(page, (event) => String(event.id), { cursorOnLastPage: true });
      }
      await jobs.require(id); // 404 before the stream starts
      await streamEvents(reply, id, after, { jobs, events, heartbeatMs: sseHeartbeatMs }, streams);
      return reply;
    });
  },
};

/**
 * The job's events after `after` over SSE: the backlog, then live events; ends after the terminal status event (at
 * once if the client has already seen it). It subscribes before reading the backlog and skips ids it has sent, so
 * no event is lost or sent twice.
 */
async function streamEvents(
  reply: FastifyReply,
  jobId: string,
  after: number,
  options: { jobs: JobService; events: JobEvents; heartbeatMs: number },
  streams: Set<() => void>,
): Promise<void> {
  const { events, jobs } = options;
  const stream = openSseStream(reply, options.heartbeatMs);
  const end = () => stream.end();
  streams.add(end);
  stream.onEnd(() => streams.delete(end));

  let lastId = after;
  const deliver = (event: TrainingJobEvent) => {
    if (stream.ended || event.id <= lastId) return;
    lastId = event.id;
    stream.send(event.id, event.type, event);
    if (event.type === 'status' && event.status && isTerminal(event.status)) stream.end();
  };
  let pending: TrainingJobEvent[] | undefined = [];
  stream.onEnd(
    events.subscribe(jobId, (event) => {
      if (pending) pending.push(event);
      else deliver(event);
    }),
  );
  for (;;) {
    const page = await events.list(jobId, lastId, 1000);
    for (const event of page) deliver(event);
    if (stream.ended || page.length < 1000) break;
  }
  const arrived = pending;
  pending = undefined;
  for (const event of arrived) deliver(event);
  // The job ended: send what its last transaction recorded (it may not be published yet) and stop. Also when its
  // terminal event was at or before `after`: nothing more will come.
  if (!stream.ended && isTerminal((await jobs.require(jobId)).status)) {
    for (const event of await events.list(jobId, lastId, 1000)) deliver(event);
    stream.end();
  }
}

function jobId(params: unknown): string {
  return (params as { job_id: string }).job_id;
}
