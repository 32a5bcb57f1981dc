import { describe, expect, it } from 'vitest';
import { useMock } from './harness.js';

const { call, state } = useMock({
  clock: false,
  seed: { datasets: [{ format: 'csv', content: 'a,b\n1,x\n', name: 'seeded.csv' }] },
});
const csv = (body: string) => ({ body, headers: { 'content-type': 'text/csv' } });
const jsonl = (body: string) => ({ body, headers: { 'content-type': 'application/x-ndjson' } });

describe('datasets', () => {
  it('types CSV columns (number when every present value is numeric) and counts missing cells', async () => {
    const text = 'x,label,note\n1.5,a,\n-2e3,b,"quoted, with comma"\n,3,plain\n';
    const r = await call('POST', '/v1/datasets?name=data.csv', csv(text));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      object: 'dataset',
      name: 'data.csv',
      format: 'csv',
      rows: 3,
      bytes: new TextEncoder().encode(text).length,
      columns: [
        { name: 'x', type: 'number', missing: 1 },
        { name: 'label', type: 'string', missing: 0 },
        { name: 'note', type: 'string', missing: 1 },
      ],
    });
    expect(r.body.id).toMatch(/^ds_[A-Za-z0-9]+$/);
  });

  it('types JSONL columns from the first line; rejects nested values and new keys with line details', async () => {
    const ok = await call('POST', '/v1/datasets', jsonl('{"x": 1, "y": "a"}\n{"x": null, "y": "b"}\n{"y": "7"}\n'));
    expect(ok.body).toMatchObject({
      format: 'jsonl',
      rows: 3,
      name: null,
      columns: [
        { name: 'x', type: 'number', missing: 2 },
        { name: 'y', type: 'string', missing: 0 },
      ],
    });
    const bad = await call('POST', '/v1/datasets', jsonl('{"x": 1}\n{"x": [1]}\nnot json\n{"z": 2}\n'));
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('dataset_invalid');
    expect(bad.body.error).toBe('Dataset has 3 invalid rows');
    expect(bad.body.details[0]).toEqual({
      line: 2,
      column: 'x',
      message: 'expected a number, string, boolean or null, got an array',
    });
    expect(bad.body.details[1]).toMatchObject({ line: 3, message: expect.stringMatching(/^invalid JSON: /) });
    expect(bad.body.details[2]).toEqual({
      line: 4,
      column: 'z',
      message: "unexpected column 'z'; the first line defines the columns (x)",
    });
  });

  it('rejects empty uploads, header-only files and other media types', async () => {
    expect((await call('POST', '/v1/datasets', csv(''))).body).toMatchObject({
      status: 400,
      error: 'body: expected the CSV file, got 0 bytes',
    });
    expect((await call('POST', '/v1/datasets', csv('a,b\n'))).body).toMatchObject({
      status: 422,
      error: 'Dataset is invalid: the file has a header row but no data rows; a dataset needs at least one row',
    });
    expect((await call('POST', '/v1/datasets', { json: { a: 1 } })).body).toMatchObject({
      status: 415,
      error: "Content-Type 'application/json' is not supported here; expected text/csv or application/x-ndjson",
    });
  });

  it('lists newest first with cursors, retrieves and deletes', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await call('POST', '/v1/datasets', csv(`v\n${n}\n`))).body.id);
    const seeded = (await call('GET', '/v1/datasets?limit=100')).body.data.at(-1);
    expect(seeded).toMatchObject({ name: 'seeded.csv', rows: 1 });
    const page = await call('GET', '/v1/datasets?limit=2');
    expect(page.body.data.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1]]);
    expect(page.body).toMatchObject({ has_more: true, next_cursor: ids[1] });
    const rest = await call('GET', `/v1/datasets?limit=2&after=${ids[1]}`);
    expect(rest.body.data.map((d: { id: string }) => d.id)).toEqual([ids[0], seeded.id]);
    expect(rest.body.has_more).toBe(false);
    expect((await call('GET', `/v1/datasets/${ids[0]}`)).body.id).toBe(ids[0]);
    expect((await call('DELETE', `/v1/datasets/${ids[0]}`)).body).toEqual({
      id: ids[0],
      object: 'dataset.deleted',
      deleted: true,
    });
    expect((await call('GET', `/v1/datasets/${ids[0]}`)).body).toMatchObject({
      code: 'dataset_not_found',
      error: `Dataset '${ids[0]}' not found`,
    });
    const badCursor = await call('GET', `/v1/datasets?after=${ids[0]}`);
    expect(badCursor.body).toMatchObject({
      code: 'invalid_parameter',
      error: `after: expected the next_cursor of an earlier page (a dataset id), got '${ids[0]}'`,
    });
  });

  it('addDataset() parses like an upload and throws on invalid content', () => {
    expect(state.addDataset({ format: 'jsonl', content: '{"q": 1}\n' })).toMatchObject({
      rows: 1,
      columns: [{ name: 'q', type: 'number', missing: 0 }],
    });
    expect(() => state.addDataset({ format: 'csv', content: 'a\n1,2\n' })).toThrow(/Dataset has 1 invalid row/);
  });
});
