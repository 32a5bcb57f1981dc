import { json, type RequestContext } from '../context.js';
import { parseDataset } from '../datasets/parse.js';
import { invalidParameter, payloadTooLarge, unprocessable, unsupportedMediaType } from '../errors.js';
import { seqOf } from '../ids.js';
import { page } from '../pagination.js';
import { pageParams, stringQuery } from '../params.js';
import type { RouteDef } from '../router.js';
import type { DatasetDeleted, DatasetList } from '../types.js';

const FORMATS: Record<string, 'csv' | 'jsonl'> = { 'text/csv': 'csv', 'application/x-ndjson': 'jsonl' };

export function datasetIdParam(ctx: RequestContext): string {
  const id = ctx.param('dataset_id');
  if (!/^ds_[A-Za-z0-9]{1,64}$/.test(id)) throw invalidParameter('dataset_id', 'a dataset id (ds_…)', id);
  return id;
}

/** Items older than the cursor (lists are newest first); a cursor that is not an id of ours is a 400. */
export function olderThanCursor(after: string | undefined, name = 'after'): (seq: number) => boolean {
  if (after === undefined) return () => true;
  const limit = seqOf(after);
  if (limit < 0) throw invalidParameter(name, 'the next_cursor of a previous page', after);
  return (seq) => seq < limit;
}

async function create(ctx: RequestContext): Promise<Response> {
  const format = FORMATS[ctx.mediaType() ?? ''];
  if (!format) throw unsupportedMediaType(ctx.header('content-type') ?? null, ['text/csv', 'application/x-ndjson']);
  const name = stringQuery(ctx, 'name', 256);
  const key = ctx.idempotencyKey();
  const bytes = await ctx.bytes();
  const limit = ctx.options.maxDatasetBytes;
  if (bytes.length > limit) throw payloadTooLarge('Dataset', bytes.length, limit, '--max-dataset-size');
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
      const older = olderThanCursor(after);
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
    handle: (ctx) => json(ctx.state.requireDataset(datasetIdParam(ctx)).dataset),
  },
  {
    operationId: 'deleteDataset',
    method: 'DELETE',
    path: '/v1/datasets/:dataset_id',
    handle: (ctx) => {
      const id = datasetIdParam(ctx);
      ctx.state.requireDataset(id);
      ctx.state.datasets.delete(id);
      const body: DatasetDeleted = { id, object: 'dataset.deleted', deleted: true };
      return json(body);
    },
  },
];
