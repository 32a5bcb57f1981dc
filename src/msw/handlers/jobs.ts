// The routes every job kind has in the mock, as the server's server/http/routes/job-routes.ts: create (through the
// idempotency store), list newest first by status, retrieve, cancel, and events as a JSON page or an SSE stream.
import { stringifyJson } from '../../protocol/json-text.js';
import { json, type RequestContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import type { AnyJobRecord, JobKind } from '../job-engine.js';
import { page } from '../pagination.js';
import { pageParams, stringQuery } from '../params.js';
import type { RouteDef } from '../router.js';
import { eventStream } from '../sse.js';
import type { TrainingJobStatus } from '../types.js';
import { olderThanCursor } from './datasets.js';

const STATUSES: TrainingJobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

const jobIdParam = (ctx: RequestContext) => ctx.param('job_id');

function integer(value: string, name: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw invalidParameter(name, `an integer from ${min} to ${max}`, value);
  return n;
}

/** `Last-Event-ID` (when not empty) or `after`, as the events endpoint takes them. */
function eventCursor(ctx: RequestContext): number {
  const header = ctx.header('last-event-id');
  if (header !== undefined && header !== '') return integer(header, 'Last-Event-ID header', 0, Number.MAX_SAFE_INTEGER);
  const after = ctx.url.searchParams.get('after');
  return after === null ? 0 : integer(after, 'after', 0, Number.MAX_SAFE_INTEGER);
}

export interface JobRoutesOf {
  kind: JobKind;
  /** `/v1/training-jobs` */
  path: string;
  /** Operation ids: create, list, retrieve, cancel, events. */
  ops: [string, string, string, string, string];
  /** Checks the body and queues the job (its errors are the server's). */
  create(ctx: RequestContext, body: unknown): AnyJobRecord;
}

export function jobRoutes(of: JobRoutesOf): RouteDef[] {
  const { kind, path } = of;
  const [createOp, listOp, retrieveOp, cancelOp, eventsOp] = of.ops;
  const create = async (ctx: RequestContext): Promise<Response> => {
    const key = ctx.idempotencyKey();
    // Like the server, any body reaches the spec check (a CSV body is a string there: 400 "expected an object").
    const body = await ctx.routeBody();
    return ctx.state.idempotency.run(createOp, key, [stringifyJson(body ?? null)], () => ({
      status: 201,
      body: structuredClone(of.create(ctx, body).job),
    }));
  };
  const events = (ctx: RequestContext): Response => {
    const record = ctx.state.jobs.require(jobIdParam(ctx), kind);
    const after = eventCursor(ctx);
    if ((ctx.header('accept') ?? '').includes('text/event-stream')) {
      const stream = eventStream(ctx.state, record, after, ctx.options.heartbeatMs, ctx.request.signal);
      return new Response(stream, {
        status: 200,
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          'x-accel-buffering': 'no',
        },
      });
    }
    const rawLimit = ctx.url.searchParams.get('limit');
    const limit = rawLimit === null ? 100 : integer(rawLimit, 'limit', 1, 1000);
    const newer = (record.events as Array<{ id: number }>).filter((e) => e.id > after);
    const data = newer.slice(0, limit).map((e) => structuredClone(e));
    const last = data[data.length - 1];
    // As the spec's example: the cursor is the last event id even on the last page, so polling can resume from it.
    return json({
      object: 'list',
      data,
      has_more: newer.length > limit,
      next_cursor: last === undefined ? null : String(last.id),
    });
  };
  return [
    { operationId: createOp, method: 'POST', path, handle: create },
    {
      operationId: listOp,
      method: 'GET',
      path,
      handle: (ctx) => {
        const { limit, after } = pageParams(ctx);
        const status = stringQuery(ctx, 'status', 32) ?? null;
        if (status !== null && !STATUSES.includes(status as TrainingJobStatus)) {
          throw invalidParameter('status', `one of ${STATUSES.join(', ')}`, status);
        }
        const older = olderThanCursor(
          after,
          after === undefined ? undefined : ctx.state.jobs.find(after)?.seq,
          'a job id',
        );
        const records = ctx.state.jobs
          .list(kind)
          .filter((r) => older(r.seq) && (status === null || r.job.status === status));
        return json(
          page(
            records,
            limit,
            (r) => r.job.id,
            (r) => structuredClone(r.job),
          ),
        );
      },
    },
    {
      operationId: retrieveOp,
      method: 'GET',
      path: `${path}/:job_id`,
      handle: (ctx) => json(ctx.state.jobs.require(jobIdParam(ctx), kind).job),
    },
    {
      operationId: cancelOp,
      method: 'POST',
      path: `${path}/:job_id/cancel`,
      handle: (ctx) => json(ctx.state.jobs.cancel(jobIdParam(ctx), Date.now(), kind)),
    },
    { operationId: eventsOp, method: 'GET', path: `${path}/:job_id/events`, handle: events },
  ];
}
