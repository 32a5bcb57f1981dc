import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrainingServer, type TrainingTestServer } from '../jobs/support.js';

const iris = readFileSync(new URL('../../examples/iris/iris.csv', import.meta.url), 'utf8');

describe('datasets over HTTP', () => {
  let server: TrainingTestServer;
  beforeAll(async () => {
    server = await startTrainingServer({ maxDatasetSize: 64 * 1024 });
  });
  afterAll(async () => {
    await server?.close();
  });

  const upload = (body: string | Buffer, type = 'text/csv', headers: Record<string, string> = {}, query = '') =>
    server.app.inject({
      method: 'POST',
      url: `/v1/datasets${query}`,
      headers: { 'content-type': type, ...headers },
      payload: body,
    });

  it('stores a CSV upload and describes its columns', async () => {
    const res = await upload(iris, 'text/csv; charset=utf-8', {}, '?name=iris.csv');
    expect(res.statusCode).toBe(201);
    const ds = res.json();
    expect(ds).toMatchObject({
      object: 'dataset',
      name: 'iris.csv',
      format: 'csv',
      rows: 150,
      bytes: Buffer.byteLength(iris),
      columns: [
        { name: 'sepal_length', type: 'number', missing: 0 },
        { name: 'sepal_width', type: 'number', missing: 0 },
        { name: 'petal_length', type: 'number', missing: 0 },
        { name: 'petal_width', type: 'number', missing: 0 },
        { name: 'species', type: 'string', missing: 0 },
      ],
    });
    expect(ds.id).toMatch(/^ds_[0-9A-Z]{26}$/);
    const got = await server.app.inject({ method: 'GET', url: `/v1/datasets/${ds.id}` });
    expect(got.json()).toEqual(ds);
  });

  it('stores a JSONL upload', async () => {
    const res = await upload('{"x": 1.5, "y": 3.1}\n{"x": 2.0, "y": null}\n', 'application/x-ndjson');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      format: 'jsonl',
      name: null,
      rows: 2,
      columns: [
        { name: 'x', type: 'number', missing: 0 },
        { name: 'y', type: 'number', missing: 1 },
      ],
    });
  });

  it('rejects bad rows with 422 dataset_invalid and exact details, storing nothing', async () => {
    const before = (await server.app.inject({ method: 'GET', url: '/v1/datasets?limit=100' })).json().data.length;
    const res = await upload('a,b,c\n1,2,3\n4,5\n6,"7,8\n');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: 'Dataset has 2 invalid rows',
      code: 'dataset_invalid',
      status: 422,
      details: [
        { line: 3, column: 'c', message: 'expected 3 fields, got 2' },
        { line: 4, column: 'b', message: 'unterminated quoted field (the quote opens on line 4)' },
      ],
    });
    const after = (await server.app.inject({ method: 'GET', url: '/v1/datasets?limit=100' })).json().data.length;
    expect(after).toBe(before);
  });

  it('answers 413 over --max-dataset-size and 415 for other media types', async () => {
    const big = `a\n${'1\n'.repeat(40 * 1024)}`;
    const res = await upload(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: 'payload_too_large',
      error: `Dataset is ${big.length} bytes; the limit is 65536 bytes (--max-dataset-size)`,
    });
    const json = await upload('{"a": 1}', 'application/json');
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('replays an upload under the same Idempotency-Key and refuses another body under it', async () => {
    const key = { 'idempotency-key': 'ds-key-1' };
    const first = await upload('x,y\n1,2\n', 'text/csv', key);
    const again = await upload('x,y\n1,2\n', 'text/csv', key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await upload('x,y\n1,3\n', 'text/csv', key);
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('idempotency_conflict');
  });

  it('lists newest first with a cursor, and deletes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await upload(`v\n${i}\n`)).json().id);
    const page = (await server.app.inject({ method: 'GET', url: '/v1/datasets?limit=2' })).json();
    expect(page.data.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1]]);
    expect(page).toMatchObject({ object: 'list', has_more: true, next_cursor: ids[1] });
    const next = (await server.app.inject({ method: 'GET', url: `/v1/datasets?limit=1&after=${ids[1]}` })).json();
    expect(next.data[0].id).toBe(ids[0]);

    const del = await server.app.inject({ method: 'DELETE', url: `/v1/datasets/${ids[1]}` });
    expect(del.json()).toEqual({ id: ids[1], object: 'dataset.deleted', deleted: true });
    const gone = await server.app.inject({ method: 'GET', url: `/v1/datasets/${ids[1]}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'dataset_not_found', error: `Dataset '${ids[1]}' not found` });
    // The deleted id still works as a cursor.
    const afterDeleted = (
      await server.app.inject({ method: 'GET', url: `/v1/datasets?limit=1&after=${ids[1]}` })
    ).json();
    expect(afterDeleted.data[0].id).toBe(ids[0]);
  });
});

describe('datasets parsed in a worker thread (big uploads)', () => {
  let server: TrainingTestServer;
  beforeAll(async () => {
    server = await startTrainingServer({ parseInWorkerFrom: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives the same description and the same rejections as the inline parser', async () => {
    const post = (payload: string) =>
      server.app.inject({ method: 'POST', url: '/v1/datasets', headers: { 'content-type': 'text/csv' }, payload });
    const [ok, bad] = await Promise.all([post(iris), post('a,b\n1,2\n3\n')]);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      rows: 150,
      columns: [{ name: 'sepal_length', type: 'number', missing: 0 }, {}, {}, {}, { name: 'species', type: 'string' }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({
      code: 'dataset_invalid',
      details: [{ line: 3, column: 'b', message: 'expected 2 fields, got 1' }],
    });
  });
});
