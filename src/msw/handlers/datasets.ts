import { parseDataset } from '../../protocol/datasets/parse.js';
import { json, type RequestContext } from '../context.js';
import { badRequest, invalidParameter, payloadTooLarge, unprocessable, unsupportedMediaType } from '../errors.js';
import { page } from '../pagination.js';
import { pageParams, stringQuery } from '../params.js';
import type { RouteDef } from '../router.js';
import type { DatasetDeleted, DatasetList } from '../types.js';

const FORMATS: Record<string, 'csv' | 'jsonl'> = { 'text/csv': 'csv', 'application/x-ndjson': 'jsonl' };

/** Items older than the cursor (lists are newest first); the cursor must be the id of an existing item. */
export function olderThanCursor(
  after: string | undefined,
  cursorSeq: number | undefined,
  what: string,
): (seq: number) => boolean {
  if (after === undefined) return () => true;
  if (cursorSeq === undefined) throw invalidParameter('after', `the next_cursor of an earlier page (${what})`, after);
  return (seq) => seq < cursorSeq;
}

async function create(ctx: RequestContext): Promise<Response> {
  const format = FORMATS[ctx.mediaType() ?? ''];
  if (!format) throw unsupportedMediaType(ctx.header('content-type') ?? null, ['text/csv', 'application/x-ndjson']);
  const limit = ctx.options.maxDatasetBytes;
  const declared = Number(ctx.header('content-length'));
  if (declared > limit) throw payloadTooLarge('Dataset', declared, limit, '--max-dataset-size');
  const bytes = await ctx.bytes();
  if (bytes.length > limit) throw payloadTooLarge('Dataset', bytes.length, limit, '--max-dataset-size');
  if (bytes.length === 0) {
    throw badRequest('invalid_input', `body: expected the ${format.toUpperCase()} file, got 0 bytes`);
  }
  const name = stringQuery(ctx, 'name', 256);
  const key = ctx.idempotencyKey();
  return ctx.state.idempotency.run('createDataset', key, [format, name ?? '', bytes], () => {
    const result = parseDataset(bytes, format);
    if (!result.ok) throw unprocessable('dataset_invalid', result.summary, result.issues);
    return { status: 201, body: ctx.state.storeDataset(format, result, bytes.length, name ?? null).dataset };
  });
}

export const datasetsRoutes: RouteDef[] = [
  { operationId: 'createDataset', method: 'POST', path: '/v1/datasets', largeBody: true, handle: create },
  {
    operationId: 'listDatasets',
    method: 'GET',
    path: '/v1/datasets',
    handle: (ctx) => {
      const { limit, after } = pageParams(ctx);
      const older = olderThanCursor(
        after,
        after === undefined ? undefined : ctx.state.datasets.get(after)?.seq,
        'a dataset id',
      );
      const records = [...ctx.state.datasets.values()].filter((r) => older(r.seq)).sort((a, b) => b.seq - a.seq);
      const body: DatasetList = page(
        records,
        limit,
        (r) => r.dataset.id,
        (r) => structuredClone(r.dataset),
      );
      return json(body);
    },
  },
  {
    operationId: 'retrieveDataset',
    method: 'GET',
    path: '/v1/datasets/:dataset_id',
    handle: (ctx) => json(ctx.state.requireDataset(ctx.param('dataset_id')).dataset),
  },
  {
    operationId: 'deleteDataset',
    method: 'DELETE',
    path: '/v1/datasets/:dataset_id',
    handle: (ctx) => {
      const id = ctx.param('dataset_id');
      ctx.state.requireDataset(id);
      ctx.state.datasets.delete(id);
      const body: DatasetDeleted = { id, object: 'dataset.deleted', deleted: true };
      return json(body);
    },
  },
];
