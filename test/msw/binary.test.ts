import { describe, expect, it } from 'vitest';
import { decodeBinaryBody, encodeBinaryBody } from '../../src/protocol/binary-tensor.js';
import { BASE, useMock } from './harness.js';

const { call } = useMock({ clock: false });

async function inferBinary(model: string, header: object, tensors: Parameters<typeof encodeBinaryBody>[1]) {
  const { body, headerLength } = encodeBinaryBody(header, tensors);
  return call('POST', `/v2/models/${model}/infer`, {
    body: body as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
  });
}

describe('binary tensor extension', () => {
  it('round-trips binary inputs and outputs, with exact INT64 and BYTES length prefixes', async () => {
    const big = 2n ** 62n + 5n;
    const r = await inferBinary(
      'multi_io',
      {
        id: 'bin-1',
        inputs: [],
        outputs: [
          { name: 'ids_plus_one', parameters: { binary_data: true } },
          { name: 'text_out', parameters: { binary_data: true } },
          { name: 'mask_not' },
        ],
      },
      [
        { name: 'ids', datatype: 'INT64', shape: [1, 3], data: new BigInt64Array([big, -1n, 41n]) },
        { name: 'mask', datatype: 'BOOL', shape: [1, 3], data: new Uint8Array([1, 0, 0]) },
        { name: 'text', datatype: 'BYTES', shape: [1], data: ['ünïcode'] },
      ],
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    const length = Number(r.headers.get('inference-header-content-length'));
    const decoded = decodeBinaryBody(r.raw as Uint8Array, length, { section: 'outputs' });
    expect(decoded.header).toMatchObject({ model_name: 'multi_io', model_version: '1', id: 'bin-1' });
    const [ids, text, mask] = decoded.tensors;
    expect(ids).toMatchObject({ name: 'ids_plus_one', datatype: 'INT64', shape: [1, 3] });
    expect(Array.from(ids!.data as BigInt64Array)).toEqual([big + 1n, 0n, 42n]);
    expect(text).toEqual({ name: 'text_out', datatype: 'BYTES', shape: [1], data: ['ünïcode'] });
    // mask_not was not asked as binary: it stays JSON inside the header.
    expect((decoded.header.outputs as Array<{ name: string; data?: unknown }>)[2]).toEqual({
      name: 'mask_not',
      datatype: 'BOOL',
      shape: [1, 3],
      data: [false, true, true],
    });
    expect(Array.from(mask!.data as Uint8Array)).toEqual([0, 1, 1]);
  });

  it('binary_data_output returns every output binary; JSON and binary inputs mix in one request', async () => {
    const { body, headerLength } = encodeBinaryBody(
      {
        parameters: { binary_data_output: true },
        inputs: [
          { name: 'ids', datatype: 'INT64', shape: [1, 3], data: [1, 2, 3] },
          { name: 'mask' },
          { name: 'text', datatype: 'BYTES', shape: [1], data: ['ab'] },
        ],
      },
      [{ name: 'mask', datatype: 'BOOL', shape: [1, 3], data: new Uint8Array([1, 1, 1]) }],
    );
    const response = await fetch(`${BASE}/v2/models/multi_io/infer`, {
      method: 'POST',
      body: body as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
    });
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const decoded = decodeBinaryBody(bytes, Number(response.headers.get('inference-header-content-length')), {
      section: 'outputs',
    });
    expect(decoded.tensors.map((t) => t.name)).toEqual(['ids_plus_one', 'mask_not', 'text_out', 'count']);
    expect(
      (decoded.header.outputs as Array<{ parameters?: { binary_data_size?: number } }>).every(
        (o) => (o.parameters?.binary_data_size ?? -1) >= 0,
      ),
    ).toBe(true);
    expect(Array.from(decoded.tensors[1]!.data as Uint8Array)).toEqual([0, 0, 0]);
    expect(Array.from(decoded.tensors[3]!.data as BigInt64Array)).toEqual([3n]);
  });

  it('a binary request without binary outputs gets a JSON response; FP32 values as in JSON', async () => {
    const data = new Float32Array(100).fill(0.25);
    const r = await inferBinary('keras_mlp', { inputs: [] }, [
      { name: 'input', datatype: 'FP32', shape: [1, 100], data },
    ]);
    expect(r.headers.get('content-type')).toContain('application/json');
    const json = await call('POST', '/v2/models/keras_mlp/infer', {
      json: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], data: Array.from(data) }] },
    });
    expect(r.body.outputs).toEqual(json.body.outputs);
  });

  it('rejects binary sizes that do not add up, naming the problem', async () => {
    const { body } = encodeBinaryBody({ inputs: [] }, [
      { name: 'input', datatype: 'FP32', shape: [1, 100], data: new Float32Array(100) },
    ]);
    const r = await call('POST', '/v2/models/keras_mlp/infer', {
      body: body.slice(0, body.length - 4) as Uint8Array<ArrayBuffer>,
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(body.length - 400),
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid_input');
    expect(r.body.error).toMatch(/binary|header|bytes/);
  });
});
