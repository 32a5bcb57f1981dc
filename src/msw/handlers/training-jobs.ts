import { json, NOT_JSON, type RequestContext } from '../context.js';
import { invalidParameter, unsupportedMediaType } from '../errors.js';
import { page } from '../pagination.js';
import { pageParams } from '../params.js';
import type { RouteDef } from '../router.js';
import { eventStream } from '../sse.js';
import { checkCreateBody } from '../training-spec.js';
import type { TrainingJobEventList, TrainingJobList, TrainingJobStatus } from '../types.js';
import { olderThanCursor } from './datasets.js';

const STATUSES: TrainingJobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

function jobIdParam(ctx: RequestContext): string {
  const id = ctx.param('job_id');
  if (!/^job_[A-Za-z0-9]{1,64}$/.test(id)) throw invalidParameter('job_id', 'a training job id (job_…)', id);
  return id;
}

async function create(ctx: RequestContext): Promise<Response> {
  const key = ctx.idempotencyKey();
  if (ctx.body === NOT_JSON) throw unsupportedMediaType(ctx.header('content-type') ?? null, ['application/json']);
  const body = checkCreateBody(ctx.body);
  const bytes = await ctx.bytes();
  return ctx.state.idempotency.run('createTrainingJob', key, [bytes], () => ({
    status: 201,
    body: structuredClone(ctx.state.createJob(body).job),
  }));
}

/** A non-negative integer from `after` or `Last-Event-ID`, as the events endpoint takes them. */
function eventCursor(ctx: RequestContext): number {
  const header = ctx.header('last-event-id');
  if (header !== undefined) {
    if (!/^[0-9]+$/.test(header)) throw invalidParameter('Last-Event-ID header', 'a non-negative integer', header);
    return Number(header);
  }
  const after = ctx.url.searchParams.get('after');
  if (after === null) return 0;
  if (!/^[0-9]+$/.test(after)) throw invalidParameter('after', 'a non-negative integer event id', after);
  return Number(after);
}

function events(ctx: RequestContext): Response {
  const record = ctx.state.jobs.require(jobIdParam(ctx));
  const after = eventCursor(ctx);
  if ((ctx.header('accept') ?? '').includes('text/event-stream')) {
    const stream = eventStream(ctx.state, record, after, ctx.options.heartbeatMs, ctx.request.signal);
    return new Response(stream, {
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    });
  }
  const rawLimit = ctx.url.searchParams.get('limit');
  const limit = rawLimit === null ? 100 : /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
  if (!(limit >= 1 && limit <= 1000)) throw invalidParameter('limit', 'an integer from 1 to 1000', rawLimit);
  const newer = record.events.filter((e) => e.id > after);
  const data = newer.slice(0, limit).map((e) => structuredClone(e));
  const last = data[data.length - 1];
  // As the spec's example: the cursor is the last event id even on the last page, so polling can resume from it.
  const body: TrainingJobEventList = {
    object: 'list',
    data,
    has_more: newer.length > limit,
    next_cursor: last === undefined ? null : String(last.id),
  };
  return json(body);
}

export const trainingJobsRoutes: RouteDef[] = [
  { operationId: 'createTrainingJob', method: 'POST', path: '/v1/training-jobs', handle: create },
  {
    operationId: 'listTrainingJobs',
    method: 'GET',
    path: '/v1/training-jobs',
    handle: (ctx) => {
      const { limit, after } = pageParams(ctx);
      const status = ctx.url.searchParams.get('status');
      if (status !== null && !STATUSES.includes(status as TrainingJobStatus)) {
        throw invalidParameter('status', `one of ${STATUSES.join(', ')}`, status);
      }
      const older = olderThanCursor(after);
      const records = ctx.state.jobs.list().filter((r) => older(r.seq) && (status === null || r.job.status === status));
      const body: TrainingJobList = page(
        records,
        limit,
        (r) => r.job.id,
        (r) => structuredClone(r.job),
      );
      return json(body);
    },
  },
  {
    operationId: 'retrieveTrainingJob',
    method: 'GET',
    path: '/v1/training-jobs/:job_id',
    handle: (ctx) => json(ctx.state.jobs.require(jobIdParam(ctx)).job),
  },
  {
    operationId: 'cancelTrainingJob',
    method: 'POST',
    path: '/v1/training-jobs/:job_id/cancel',
    handle: (ctx) => json(ctx.state.jobs.cancel(jobIdParam(ctx), Date.now())),
  },
  { operationId: 'listTrainingJobEvents', method: 'GET', path: '/v1/training-jobs/:job_id/events', handle: events },
];
