// What a new user hits first: arguments the SDK must reject itself with a typed error, and server errors whose
// message must say what to do.
import { afterEach, describe, expect, it } from 'vitest';
import {
  APIError,
  APIUserAbortError,
  BadRequestError,
  InvalidInputError,
  MaasClient,
  UnprocessableEntityError,
} from '../../src/index.js';
import { errorBody, type MockServer, sendJson, startMockServer } from './support/mock-server.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('datasets.create arguments', () => {
  it('rejects a body that is no text, bytes or Blob with InvalidInputError, before sending anything', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 500, errorBody(500, 'internal')));
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    for (const [body, got] of [
      [12345, 'the number 12345'],
      [{ rows: [] }, 'an object'],
      [[1, 2], 'an array of 2'],
      [new Map(), 'a Map'],
      [undefined, 'undefined'],
    ] as const) {
      const err = await rejection(client.datasets.create(body as never));
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).field).toBe('body');
      expect((err as Error).message).toBe(
        `body: expected CSV or JSON Lines text (a string), its bytes (Uint8Array or ArrayBuffer), or a Blob/File, got ${got}`,
      );
    }
    expect(server.requests).toEqual([]);
  });

  it('rejects an unsupported format (and params that are not an object) by name', async () => {
    server = await startMockServer((_req, res) => sendJson(res, 500, errorBody(500, 'internal')));
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    const format = await rejection(client.datasets.create('a\n1\n', { format: 'parquet' as never }));
    expect(format).toBeInstanceOf(InvalidInputError);
    expect(format).toMatchObject({
      field: 'params.format',
      message: `params.format: expected 'csv' or 'jsonl', got "parquet"`,
    });
    const params = await rejection(client.datasets.create('a\n1\n', 'csv' as never));
    expect(params).toMatchObject({
      field: 'params',
      message: 'params: expected an object { format?, name? }, got "csv"',
    });
    const name = await rejection(client.datasets.create('a\n1\n', { name: 7 as never }));
    expect(name).toMatchObject({ field: 'params.name', message: 'params.name: expected a string, got the number 7' });
    expect(server.requests).toEqual([]);
  });
});

describe('error messages with details', () => {
  it('show the first three details, where each is, and how many more there are', async () => {
    const details = [
      { line: 3, column: 'x', message: "expected a number, got 'abc'" },
      { line: 5, column: 'y', message: 'missing value' },
      { field: 'target', message: 'unknown column' },
      { line: 9, message: 'too many fields' },
      { line: 11, message: 'too many fields' },
    ];
    server = await startMockServer((_req, res) =>
      sendJson(res, 422, { ...errorBody(422, 'dataset_invalid', 'Dataset has 4 invalid rows'), details }),
    );
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    const err = await rejection(client.datasets.create('x,y\n', { format: 'csv' }));
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect((err as APIError).message).toBe(
      "422 dataset_invalid: Dataset has 4 invalid rows: line 3, column 'x': expected a number, got 'abc'; " +
        "line 5, column 'y': missing value; target: unknown column; and 2 more (see .details) (request req_test)",
    );
    expect((err as APIError).details).toEqual(details);
  });

  it('do not repeat a detail the summary already quotes', () => {
    const body = {
      ...errorBody(422, 'dataset_invalid', 'Dataset is invalid: the file has no rows'),
      details: [{ message: 'the file has no rows' }],
    };
    expect(APIError.generate(422, body, undefined, new Headers()).message).toBe(
      '422 dataset_invalid: Dataset is invalid: the file has no rows (request req_body)',
    );
  });
});

describe('infer: datatypes the SDK chose', () => {
  const mismatch = (message: string) => (_req: unknown, res: Parameters<typeof sendJson>[0]) =>
    sendJson(res, 400, errorBody(400, 'datatype_mismatch', message));

  it('a datatype_mismatch on plain numbers says to pass a typed array or `datatype`', async () => {
    server = await startMockServer(mismatch("inputs[0]: input 'ids' has datatype FP32; model 'm' expects INT32"));
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    const err = await rejection(client.models.infer('m', { inputs: { ids: { data: [1, 2, 3] } } }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as Error).message).toBe(
      "400 datatype_mismatch: inputs[0]: input 'ids' has datatype FP32; model 'm' expects INT32 (request req_test)" +
        " — inputs.ids was sent as FP32, the default for an array of numbers: pass an Int32Array or `datatype: 'INT32'` on the input",
    );
  });

  it('names `datatype` alone where no typed array reads as the datatype (BOOL from a Uint8Array)', async () => {
    server = await startMockServer(mismatch("inputs[0]: input 'mask' has datatype UINT8; model 'm' expects BOOL"));
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    const err = await rejection(client.models.infer('m', { inputs: { mask: { data: new Uint8Array([1, 0]) } } }));
    expect((err as Error).message).toMatch(
      /inputs\.mask was sent as UINT8, the default for a Uint8Array: pass `datatype: 'BOOL'` on the input$/,
    );
  });

  it('stays generic for another server’s wording, and says nothing when the caller chose the datatype', async () => {
    server = await startMockServer(mismatch('unexpected datatype TYPE_FP32 for input ids, expecting TYPE_INT64'));
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    const generic = await rejection(client.models.infer('m', { inputs: { ids: { data: [1] } } }));
    expect((generic as Error).message).toMatch(
      /— inputs\.ids was sent as FP32, the default for an array of numbers: pass a typed array of the model's datatype or set the input's `datatype`$/,
    );
    const chosen = await rejection(client.models.infer('m', { inputs: { ids: { data: [1], datatype: 'FP32' } } }));
    expect((chosen as Error).message).not.toContain(' — ');
  });
});

describe('aborting a list', () => {
  it('rejects the first page with APIUserAbortError (as the APIUserAbortError example shows)', async () => {
    server = await startMockServer(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      sendJson(res, 200, { object: 'list', data: [], has_more: false, next_cursor: null });
    });
    const client = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
    const ac = new AbortController();
    const firstPage = client.models.list({}, { signal: ac.signal }).page();
    setTimeout(() => ac.abort(), 20);
    await expect(firstPage).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
