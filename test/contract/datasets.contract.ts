// Datasets: upload CSV and JSON Lines (typed columns, missing counts), rejected uploads with line-level details,
// idempotent creates, list pages, retrieve and delete.
import { expect, it } from 'vitest';
import { CONTRACT_AREAS } from '../support/contract-coverage.js';
import { apiError } from '../support/contract-expect.js';
import { describeContract } from '../support/contract-targets.js';

const CSV = 'x,y,label\n1,2.5,a\n3,,b\n-4,1e3,c\n';
const JSONL = '{"a": 1, "b": "u"}\n{"a": 2.5}\n';
const BAD_CSV = 'a,b\n1,2\n3\n4,5,6\n7,8\n';

describeContract('datasets', CONTRACT_AREAS.datasets, (t) => {
  it('create (CSV): typed columns with missing counts, rows, bytes, name', async () => {
    const ds = await t.client.datasets.create(CSV, { format: 'csv', name: 'small.csv' });
    expect(ds).toEqual({
      id: expect.stringMatching(/^ds_[A-Za-z0-9]+$/),
      object: 'dataset',
      name: 'small.csv',
      format: 'csv',
      rows: 3,
      columns: [
        { name: 'x', type: 'number', missing: 0 },
        { name: 'y', type: 'number', missing: 1 },
        { name: 'label', type: 'string', missing: 0 },
      ],
      bytes: new TextEncoder().encode(CSV).length,
      created_at: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(ds.created_at))).toBe(false);
    expect(await t.client.datasets.retrieve(ds.id)).toEqual(ds);
  });

  it('create (JSON Lines): columns in first-seen order, absent keys counted missing, no name is null', async () => {
    const ds = await t.client.datasets.create(JSONL, { format: 'jsonl' });
    expect(ds).toMatchObject({
      object: 'dataset',
      name: null,
      format: 'jsonl',
      rows: 2,
      columns: [
        { name: 'a', type: 'number', missing: 0 },
        { name: 'b', type: 'string', missing: 1 },
      ],
      bytes: JSONL.length,
    });
  });

  it('create errors: a bad CSV is a 422 dataset_invalid whose details name line, column and problem', async () => {
    const error = await apiError(t.client.datasets.create(BAD_CSV, { format: 'csv' }));
    // Pinned literally: the server's parser and the mock's must say the same thing.
    expect(error).toEqual({
      status: 422,
      code: 'dataset_invalid',
      message: 'Dataset has 2 invalid rows',
      details: [
        { line: 3, column: 'b', message: 'expected 2 fields, got 1' },
        { line: 4, message: 'expected 2 fields, got 3' },
      ],
    });
  });

  it('create errors: a JSONL line that is not JSON (422 with its line), an empty upload (400)', async () => {
    const badLine = await apiError(t.client.datasets.create('{"a": 1}\n{"a": \n', { format: 'jsonl' }));
    expect(badLine).toMatchObject({ status: 422, code: 'dataset_invalid', message: 'Dataset has 1 invalid row' });
    expect(badLine.details).toEqual([{ line: 2, message: expect.stringMatching(/^invalid JSON: /) }]);
    const empty = await apiError(t.client.datasets.create('', { format: 'csv' }));
    expect(empty).toEqual({
      status: 400,
      code: 'invalid_input',
      message: 'body: expected the CSV file, got 0 bytes',
      details: undefined,
    });
  });

  it('create errors: a content type that is neither CSV nor JSON Lines is a 415', async () => {
    const res = await t.session.raw('POST', '/v1/datasets', { headers: { 'content-type': 'text/plain' }, body: CSV });
    expect([res.status, res.json().code]).toEqual([415, 'unsupported_media_type']);
  });

  it('create: the same Idempotency-Key and body return the first dataset; another body with it is a 409', async () => {
    const key = 'contract-dataset-key';
    const first = await t.client.datasets.create(CSV, { format: 'csv' }, { idempotencyKey: key });
    const again = await t.client.datasets.create(CSV, { format: 'csv' }, { idempotencyKey: key });
    expect(again).toEqual(first);
    expect(await apiError(t.client.datasets.create(JSONL, { format: 'jsonl' }, { idempotencyKey: key }))).toMatchObject(
      { status: 409, code: 'idempotency_conflict' },
    );
  });

  it('list: newest first in cursor pages', async () => {
    const a = await t.client.datasets.create('v\n1\n', { format: 'csv', name: 'list-a' });
    const b = await t.client.datasets.create('v\n2\n', { format: 'csv', name: 'list-b' });
    const page = await t.session.raw('GET', '/v1/datasets?limit=1');
    expect(page.json()).toMatchObject({ object: 'list', has_more: true, next_cursor: b.id, data: [{ id: b.id }] });
    const next = await t.session.raw('GET', `/v1/datasets?limit=1&after=${b.id}`);
    expect(next.json().data[0].id).toBe(a.id);
    const ids: string[] = [];
    for await (const ds of t.client.datasets.list({ limit: 2 })) ids.push(ds.id);
    expect(ids.slice(0, 2)).toEqual([b.id, a.id]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await apiError(t.client.datasets.list({ limit: 0 }))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
    });
  });

  it('retrieve and delete: deleted once, then 404 dataset_not_found, as for an id that never existed', async () => {
    const ds = await t.client.datasets.create('v\n1\n', { format: 'csv' });
    expect(await t.client.datasets.delete(ds.id)).toEqual({ id: ds.id, object: 'dataset.deleted', deleted: true });
    expect(await apiError(t.client.datasets.retrieve(ds.id))).toMatchObject({
      status: 404,
      code: 'dataset_not_found',
    });
    expect(await apiError(t.client.datasets.delete(ds.id))).toMatchObject({ status: 404, code: 'dataset_not_found' });
    expect(await apiError(t.client.datasets.retrieve('ds_neverexisted'))).toMatchObject({
      status: 404,
      code: 'dataset_not_found',
    });
  });
});
