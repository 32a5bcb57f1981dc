import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidResponseError, MaasClient, type Tensor } from '../../src/index.js';
import { decodeBinaryBody, encodeBinaryBody, parseHeaderLength } from '../../src/protocol/binary-tensor.js';
import { encodeJsonTensor, stringifyJson } from '../../src/protocol/json-tensor.js';
import { type MockServer, type RecordedRequest, sendJson, startMockServer, TRANSPORTS } from './support/mock-server.js';

/** Decodes what the client sent, the way a server would. */
function decodeRequest(req: RecordedRequest) {
  const headerLength = parseHeaderLength(req.headers['inference-header-content-length']);
  const body = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.length);
  return decodeBinaryBody(body, headerLength, { section: 'inputs' });
}

describe.each(TRANSPORTS)('models.infer over %s', (_name, transport) => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  // An echo model: every input comes back as output `<name>_out`, binary when asked.
  async function echoServer() {
    server = await startMockServer((req, res) => {
      const decoded = decodeRequest(req);
      const header = decoded.header as { id?: string; parameters?: Record<string, unknown> };
      const outputs: Tensor[] = decoded.tensors.map((t) => ({ ...t, name: `${t.name}_out` }));
      const responseHeader = { model_name: 'echo', model_version: '3', id: header.id, outputs: [] as unknown[] };
      if (header.parameters?.binary_data_output === true) {
        const { body, headerLength } = encodeBinaryBody(responseHeader, outputs, { section: 'outputs' });
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': String(headerLength),
          'x-request-id': 'inf-1',
        });
        res.end(body);
        return;
      }
      responseHeader.outputs = outputs.map((t) => encodeJsonTensor(t));
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'inf-1' });
      res.end(stringifyJson(responseHeader));
    });
    return new MaasClient({ baseUrl: server.baseUrl, ...transport });
  }

  it('sends small inputs as JSON, with datatypes inferred from the data', async () => {
    const client = await echoServer();
    const result = await client.models.infer('echo', {
      id: 'r-1',
      inputs: {
        f: { data: new Float32Array([1.5, -2, Number.NaN, 4]), shape: [2, 2] },
        i: { data: new BigInt64Array([2n ** 62n + 1n, -3n]), shape: [2] },
        s: { data: ['héllo', ''], shape: [2] },
        b: { data: [true, false, true], shape: [1, 3] },
        n: { data: [[1, 2, 3]] },
      },
    });
    const req = server!.requests[0]!;
    expect(req.pathname).toBe('/v2/models/echo/infer');
    expect(req.headers['content-type']).toBe('application/json');
    const sent = JSON.parse(req.body.toString()) as { inputs: { name: string; datatype: string; shape: number[] }[] };
    expect(sent.inputs.map((t) => [t.name, t.datatype, t.shape])).toEqual([
      ['f', 'FP32', [2, 2]],
      ['i', 'INT64', [2]],
      ['s', 'BYTES', [2]],
      ['b', 'BOOL', [1, 3]],
      ['n', 'FP32', [1, 3]],
    ]);
    // 64-bit integers travel exactly (not through a float64).
    expect(req.body.toString()).toContain('4611686018427387905');

    expect(result.modelName).toBe('echo');
    expect(result.modelVersion).toBe('3');
    expect(result.id).toBe('r-1');
    expect(result.requestId).toBe('inf-1');
    expect(result.raw.model_name).toBe('echo');
    const f = result.output('f_out');
    expect(f.datatype).toBe('FP32');
    expect(f.shape).toEqual([2, 2]);
    expect(Array.from(f.data as Float32Array)).toEqual([1.5, -2, Number.NaN, 4]);
    expect(result.output('i_out').data).toEqual(new BigInt64Array([2n ** 62n + 1n, -3n]));
    expect(result.output('s_out').data).toEqual(['héllo', '']);
    expect(result.output('b_out').data).toEqual(new Uint8Array([1, 0, 1]));
    expect(() => result.output('nope')).toThrow(/No output named "nope"/);
  });

  it('switches to the binary extension above 4 KiB, both ways', async () => {
    const client = await echoServer();
    const big = new Float32Array(1100).map((_, i) => i / 7);
    const result = await client.models.infer('echo', { inputs: { x: { data: big, shape: [1, 1100] } } });
    const req = server!.requests[0]!;
    expect(req.headers['content-type']).toBe('application/octet-stream');
    const headerLength = Number(req.headers['inference-header-content-length']);
    expect(req.body.length).toBe(headerLength + 4400);
    const header = JSON.parse(req.body.subarray(0, headerLength).toString());
    expect(header.parameters).toEqual({ binary_data_output: true });
    expect(header.inputs).toEqual([
      { name: 'x', datatype: 'FP32', shape: [1, 1100], parameters: { binary_data_size: 4400 } },
    ]);
    const out = result.output('x_out');
    expect(out.data).toBeInstanceOf(Float32Array);
    expect(out.data).toEqual(big);
    expect(result.raw.outputs[0]?.parameters?.binary_data_size).toBe(4400);
  });

  it('keeps 4 KiB exactly as JSON, and honours binary: true|false and the binaryThreshold option', async () => {
    const client = await echoServer();
    await client.models.infer('echo', { inputs: { x: { data: new Float32Array(1024), shape: [1024] } } });
    await client.models.infer('echo', {
      inputs: { x: { data: new Float32Array(2000), shape: [2000] } },
      binary: false,
    });
    await client.models.infer('echo', { inputs: { x: { data: new Int32Array([1]), shape: [1] } }, binary: true });
    const small = client.withOptions({ binaryThreshold: 8 });
    await small.models.infer('echo', { inputs: { x: { data: new Float64Array(2), shape: [2] } } });
    await small.models.infer('echo', { inputs: { x: { data: new Float64Array(1), shape: [1] } } });
    expect(server!.requests.map((r) => r.headers['content-type'])).toEqual([
      'application/json',
      'application/json',
      'application/octet-stream',
      'application/octet-stream',
      'application/json',
    ]);
  });

  it('asks for each requested output in binary when outputs are named', async () => {
    const client = await echoServer();
    await client.models.infer('echo', {
      inputs: { x: { data: new Uint8Array([1, 2]), shape: [2] } },
      outputs: ['x_out'],
      binary: true,
      version: 2,
    });
    const req = server!.requests[0]!;
    expect(req.pathname).toBe('/v2/models/echo/versions/2/infer');
    const header = decodeRequest(req).header;
    expect(header.outputs).toEqual([{ name: 'x_out', parameters: { binary_data: true } }]);
    expect(header.parameters).toBeUndefined();
  });

  it('accepts a list of raw OIP tensors and explicit datatypes (FP16 from numbers)', async () => {
    const client = await echoServer();
    const result = await client.models.infer('echo', {
      inputs: [
        { name: 'h', datatype: 'FP16', shape: [2], data: [1, 0.5] },
        { name: 'u', datatype: 'UINT64', shape: [1], data: [2n ** 64n - 1n] },
        { name: 'c', data: new Float32Array([0.25]), datatype: 'FP16' },
      ],
    });
    expect(result.output('h_out').data).toEqual(new Uint16Array([0x3c00, 0x3800]));
    expect(result.output('u_out').data).toEqual(new BigUint64Array([2n ** 64n - 1n]));
    expect(result.output('c_out').data).toEqual(new Uint16Array([0x3400]));
  });

  it('rejects data that does not match the shape before sending anything', async () => {
    const client = await echoServer();
    const err = await client.models
      .infer('echo', { inputs: { x: { data: new Float32Array(5), shape: [2, 3] } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).field).toBe('inputs.x.data');
    expect((err as Error).message).toBe('inputs.x.data: expected 6 values for shape [2,3], got 5');
    const nested = await client.models
      .infer('echo', { inputs: { y: { data: [[1, 2], [3]], shape: [2, 2] } } })
      .catch((e: unknown) => e);
    expect(nested).toBeInstanceOf(InvalidInputError);
    const badType = await client.models
      .infer('echo', { inputs: { z: { data: ['a'], shape: [1], datatype: 'INT32' } } })
      .catch((e: unknown) => e);
    expect(badType).toBeInstanceOf(InvalidInputError);
    expect((badType as Error).message).toMatch(/^inputs\.z\.data/);
    expect(server!.requests).toHaveLength(0);
    // No inputs at all is sent as is: a model with none takes `"inputs": []` (one that has inputs names them).
    await client.models.infer('echo', { inputs: {} }).catch(() => undefined);
    expect(JSON.parse(server!.requests[0]!.body.toString())).toEqual({ inputs: [] });
  });

  it('throws InvalidResponseError on a corrupt binary response', async () => {
    server = await startMockServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'inference-header-content-length': '999' });
      res.end('{"model_name":"x","outputs":[]}');
    });
    const client = new MaasClient({ baseUrl: server.baseUrl, ...transport });
    const err = await client.models
      .infer('x', { inputs: { a: { data: new Float32Array(1), shape: [1] } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
  });
});

describe.each(TRANSPORTS)('models.predict over %s', (_name, transport) => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('speaks TF-Serving row and columnar formats', async () => {
    server = await startMockServer((req, res) => {
      const body = JSON.parse(req.body.toString()) as { instances?: unknown[]; inputs?: unknown };
      if (body.instances) sendJson(res, 200, { predictions: body.instances.map(() => [0.9, 0.1]) });
      else sendJson(res, 200, { outputs: { y: [[0.2, 0.8]] } });
    });
    const client = new MaasClient({ baseUrl: server.baseUrl, ...transport });
    const row = await client.models.predict('iris', {
      instances: [new Float32Array([5.5, 3]), [1, 2]],
      signatureName: 'serving_default',
    });
    expect(row.predictions).toEqual([
      [0.9, 0.1],
      [0.9, 0.1],
    ]);
    const col = await client.models.predict('iris', { inputs: { x: [[1, 2]] }, version: '4' });
    expect(col.outputs).toEqual({ y: [[0.2, 0.8]] });
    expect(server.requests.map((r) => r.pathname)).toEqual([
      '/v1/models/iris:predict',
      '/v1/models/iris/versions/4:predict',
    ]);
    expect(JSON.parse(server.requests[0]!.body.toString())).toEqual({
      signature_name: 'serving_default',
      instances: [
        [5.5, 3],
        [1, 2],
      ],
    });
    expect(JSON.parse(server.requests[1]!.body.toString())).toEqual({ inputs: { x: [[1, 2]] } });
  });
});
