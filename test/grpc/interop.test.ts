// Interop: a plain grpc-js client built from the upstream proto by proto-loader (nothing of maas's codec) drives every
// RPC of inference.GRPCInferenceService against a real server, and each answer is compared with the HTTP API's for
// the same model and input: the same values, the same errors with the same messages, the same statistics.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaasClient } from '../../src/index.js';
import { identityModel, mlpModel, multiIoModel, slowModel } from '../support/models.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { grpc, healthClient, inferenceClient, type UpstreamClient, unary } from './upstream.js';

const BIG = 9007199254740993n; // 2^53 + 1
const temp = mkdtempSync(join(tmpdir(), 'maas-grpc-interop-'));
const repo = join(temp, 'models');
const mlp = mlpModel();

function addModel(name: string, bytes: Uint8Array, config?: object): void {
  mkdirSync(join(repo, name, '1'), { recursive: true });
  writeFileSync(join(repo, name, '1', 'model.onnx'), bytes);
  if (config) writeFileSync(join(repo, name, 'config.json'), JSON.stringify(config));
}
addModel('mlp', mlp.bytes);
addModel('multi_io', multiIoModel());
addModel('half', identityModel('FP16'));
addModel('wide', identityModel('UINT64'));
addModel('image', identityModel('FP32', [-1, 3, 224, 224]));
addModel('big', identityModel('FP32', [-1, 3, 512, 512]));
addModel('slow', slowModel());
addModel('batched', identityModel('FP32', [-1, 3]), {
  max_batch_size: 16,
  dynamic_batching: { max_queue_delay_microseconds: 300_000 },
});

let server: TestServer;
let client: UpstreamClient;
let http: MaasClient;

const input = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i) * 0.5);

beforeAll(async () => {
  server = await startTestServer({ modelRepository: repo, settings: { grpc: true, grpcPort: 0 } });
  // As tritonclient does: the client's own 4 MiB receive default lifted, so the server's limit is what is tested.
  client = inferenceClient(server.server.grpcAddress!, { 'grpc.max_receive_message_length': -1 });
  http = new MaasClient({ baseUrl: server.baseUrl, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  client?.close();
  await server?.close();
  rmSync(temp, { recursive: true, force: true });
});

/** The HTTP error body of a failed call (status, error message). */
async function httpError(path: string, init?: RequestInit): Promise<{ status: number; error: string; code: string }> {
  const res = await fetch(`${server.baseUrl}${path}`, init);
  const body = (await res.json()) as { error: string; code: string };
  return { status: res.status, error: body.error, code: body.code };
}

async function grpcError(method: string, request: object, metadata?: grpc.Metadata, on = client) {
  try {
    await unary(on, method, request, metadata);
  } catch (err) {
    const e = err as grpc.ServiceError;
    return { code: e.code, details: e.details, metadata: e.metadata.getMap() };
  }
  throw new Error(`${method} succeeded; an error was expected`);
}

const jsonInfer = (model: string, body: object) =>
  fetch(`${server.baseUrl}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('server RPCs', () => {
  it('ServerLive, ServerReady and ServerMetadata answer what /v2 and its health routes answer', async () => {
    expect(await unary(client, 'ServerLive', {})).toEqual({ live: true });
    expect(await unary(client, 'ServerReady', {})).toEqual({ ready: true });
    const meta = await unary(client, 'ServerMetadata', {});
    expect(meta).toEqual(await (await fetch(`${server.baseUrl}/v2`)).json());
  });

  it('grpc.health.v1.Health/Check says SERVING, and NOT_FOUND for an unknown service', async () => {
    const health = healthClient(server.server.grpcAddress!);
    try {
      expect(await unary(health, 'Check', { service: '' })).toEqual({ status: 'SERVING' });
      expect(await unary(health, 'Check', { service: 'inference.GRPCInferenceService' })).toEqual({
        status: 'SERVING',
      });
      const err = await grpcError('Check', { service: 'nope' }, undefined, health);
      expect(err.code).toBe(grpc.status.NOT_FOUND);
      expect(err.details).toContain("Unknown service 'nope'");
    } finally {
      health.close();
    }
  });
});

describe('model RPCs', () => {
  it('ModelReady and ModelMetadata equal the HTTP answers', async () => {
    expect(await unary(client, 'ModelReady', { name: 'mlp', version: '' })).toEqual({ ready: true });
    expect(await unary(client, 'ModelReady', { name: 'mlp', version: '1' })).toEqual({ ready: true });
    const meta = (await unary(client, 'ModelMetadata', { name: 'mlp', version: '' })) as {
      inputs: { shape: string[] }[];
      outputs: { shape: string[] }[];
    };
    const viaHttp = await (await fetch(`${server.baseUrl}/v2/models/mlp`)).json();
    const numeric = (ts: { shape: string[] }[]) => ts.map((t) => ({ ...t, shape: t.shape.map(Number) }));
    expect({ ...meta, inputs: numeric(meta.inputs), outputs: numeric(meta.outputs) }).toEqual(viaHttp);
  });

  it('ModelConfig is the HTTP config in Triton’s proto form', async () => {
    const { config } = (await unary(client, 'ModelConfig', { name: 'batched', version: '' })) as {
      config: Record<string, unknown> & {
        input: { name: string; data_type: string; dims: string[] }[];
        dynamic_batching: { max_queue_delay_microseconds: string };
      };
    };
    const viaHttp = (await (await fetch(`${server.baseUrl}/v2/models/batched/config`)).json()) as {
      name: string;
      max_batch_size: number;
      input: { name: string; data_type: string; dims: number[] }[];
    };
    expect(config.name).toBe(viaHttp.name);
    expect(config.max_batch_size).toBe(16);
    expect(config.max_batch_size).toBe(viaHttp.max_batch_size);
    expect(config.input.map((i) => ({ name: i.name, data_type: i.data_type, dims: i.dims.map(Number) }))).toEqual(
      viaHttp.input.map((i) => ({ name: i.name, data_type: i.data_type, dims: i.dims })),
    );
    expect(config.dynamic_batching.max_queue_delay_microseconds).toBe('300000');
  });

  it('an unknown model is NOT_FOUND with the HTTP 404 message, a bad name INVALID_ARGUMENT', async () => {
    const viaHttp = await httpError('/v2/models/nope');
    expect(viaHttp.status).toBe(404);
    for (const method of ['ModelReady', 'ModelMetadata', 'ModelConfig']) {
      const err = await grpcError(method, { name: 'nope', version: '' });
      expect(err.code).toBe(grpc.status.NOT_FOUND);
      expect(err.details).toBe(viaHttp.error);
      expect(err.metadata['maas-error-code']).toBe(viaHttp.code);
    }
    const bad = await grpcError('ModelMetadata', { name: '../etc', version: '' });
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.details).toMatch(/name/);
  });
});

describe('ModelInfer', () => {
  it('typed contents: the mlp’s probabilities equal HTTP JSON’s', async () => {
    const response = (await unary(client, 'ModelInfer', {
      model_name: 'mlp',
      id: 'req-7',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], contents: { fp32_contents: [...input] } }],
    })) as {
      model_name: string;
      model_version: string;
      id: string;
      outputs: { name: string; datatype: string; shape: string[]; contents: { fp32_contents: number[] } }[];
      raw_output_contents: Buffer[];
    };
    const viaHttp = (await (
      await jsonInfer('mlp', {
        id: 'req-7',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], data: [...input] }],
      })
    ).json()) as { outputs: { data: number[] }[] };
    expect(response.model_name).toBe('mlp');
    expect(response.model_version).toBe('1');
    expect(response.id).toBe('req-7');
    expect(response.raw_output_contents).toEqual([]);
    const [out] = response.outputs;
    expect(out!.name).toBe('probabilities');
    expect(out!.datatype).toBe('FP32');
    expect(out!.shape).toEqual(['1', '10']);
    expect(Float32Array.from(out!.contents.fp32_contents)).toEqual(Float32Array.from(viaHttp.outputs[0]!.data));
    expect(out!.contents.fp32_contents.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('raw in, raw out: bytes equal the HTTP binary extension’s for a 1×3×224×224 FP32 tensor', async () => {
    const image = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => (i % 251) / 251);
    const response = (await unary(client, 'ModelInfer', {
      model_name: 'image',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3, 224, 224] }],
      raw_input_contents: [Buffer.from(image.buffer)],
    })) as { outputs: { contents: unknown }[]; raw_output_contents: Buffer[] };
    expect(response.outputs[0]!.contents).toBeNull();
    const raw = response.raw_output_contents[0]!;
    const viaHttp = await http.models.infer('image', {
      inputs: { x: { data: image, shape: [1, 3, 224, 224] } },
      binary: true,
    });
    const httpData = viaHttp.output('y').data as Float32Array;
    expect(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))).toEqual(httpData);
    expect(httpData).toEqual(image);
  });

  it('INT64, BOOL and BYTES (typed and raw with 4-byte length prefixes) equal the HTTP path; INT64 exact', async () => {
    const ids = [1n, -5n, BIG, 0n, 7n, -BIG];
    const typed = (await unary(client, 'ModelInfer', {
      model_name: 'multi_io',
      inputs: [
        { name: 'ids', datatype: 'INT64', shape: [2, 3], contents: { int64_contents: ids.map(String) } },
        {
          name: 'mask',
          datatype: 'BOOL',
          shape: [2, 3],
          contents: { bool_contents: [true, false, true, false, false, true] },
        },
        {
          name: 'text',
          datatype: 'BYTES',
          shape: [2],
          contents: { bytes_contents: [Buffer.from('héllo'), Buffer.from('')] },
        },
      ],
    })) as { outputs: { name: string; contents: Record<string, unknown[]> }[] };
    const byName = Object.fromEntries(typed.outputs.map((o) => [o.name, o.contents]));
    expect(byName.ids_plus_one!.int64_contents).toEqual(ids.map((v) => String(v + 1n)));
    expect(byName.mask_not!.bool_contents).toEqual([false, true, false, true, true, false]);
    expect(byName.count!.int64_contents).toEqual(['2', '1']);
    expect((byName.text_out!.bytes_contents as Buffer[]).map((b) => b.toString())).toEqual(['héllo', '']);

    const viaHttp = await http.models.infer('multi_io', {
      inputs: {
        ids: { data: new BigInt64Array(ids), shape: [2, 3] },
        mask: {
          data: [
            [true, false, true],
            [false, false, true],
          ],
        },
        text: { data: ['héllo', ''] },
      },
    });
    expect((byName.ids_plus_one!.int64_contents as string[]).map(BigInt)).toEqual([
      ...(viaHttp.output('ids_plus_one').data as BigInt64Array),
    ]);

    // Raw: BYTES elements as 4-byte little-endian lengths followed by the bytes, as tritonclient sends them.
    const lengthPrefixed = (items: string[]) =>
      Buffer.concat(
        items.flatMap((s) => {
          const b = Buffer.from(s);
          const len = Buffer.alloc(4);
          len.writeUInt32LE(b.length);
          return [len, b];
        }),
      );
    const raw = (await unary(client, 'ModelInfer', {
      model_name: 'multi_io',
      inputs: [
        { name: 'ids', datatype: 'INT64', shape: [2, 3] },
        { name: 'mask', datatype: 'BOOL', shape: [2, 3] },
        { name: 'text', datatype: 'BYTES', shape: [2] },
      ],
      outputs: [{ name: 'text_out' }, { name: 'ids_plus_one' }],
      raw_input_contents: [
        Buffer.from(new BigInt64Array(ids).buffer),
        Buffer.from([1, 0, 1, 0, 0, 1]),
        lengthPrefixed(['héllo', '']),
      ],
    })) as { outputs: { name: string }[]; raw_output_contents: Buffer[] };
    expect(raw.outputs.map((o) => o.name)).toEqual(['text_out', 'ids_plus_one']);
    expect(raw.raw_output_contents[0]).toEqual(lengthPrefixed(['héllo', '']));
    const plusOne = raw.raw_output_contents[1]!;
    expect([
      ...new BigInt64Array(plusOne.buffer.slice(plusOne.byteOffset, plusOne.byteOffset + plusOne.byteLength)),
    ]).toEqual(ids.map((v) => v + 1n));
  });

  it('FP16 and UINT64 (no typed field for FP16: the answer is raw) round-trip exactly', async () => {
    const halves = new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x3555]);
    const half = (await unary(client, 'ModelInfer', {
      model_name: 'half',
      inputs: [{ name: 'x', datatype: 'FP16', shape: [2, 3] }],
      raw_input_contents: [Buffer.from(halves.buffer)],
    })) as { outputs: { datatype: string }[]; raw_output_contents: Buffer[] };
    expect(half.outputs[0]!.datatype).toBe('FP16');
    expect(new Uint8Array(half.raw_output_contents[0]!)).toEqual(new Uint8Array(halves.buffer));

    const max = 18446744073709551615n;
    const wide = (await unary(client, 'ModelInfer', {
      model_name: 'wide',
      inputs: [
        {
          name: 'x',
          datatype: 'UINT64',
          shape: [1, 3],
          contents: { uint64_contents: [String(max), String(BIG), '0'] },
        },
      ],
    })) as { outputs: { contents: { uint64_contents: string[] } }[] };
    expect(wide.outputs[0]!.contents.uint64_contents).toEqual([String(max), String(BIG), '0']);
  });

  it('bad inputs are INVALID_ARGUMENT with the message HTTP gives for the same mistake', async () => {
    const wrongShape = {
      name: 'input',
      datatype: 'FP32',
      shape: [1, 99],
      contents: { fp32_contents: [...input.subarray(0, 99)] },
    };
    const err = await grpcError('ModelInfer', { model_name: 'mlp', inputs: [wrongShape] });
    const viaHttp = await httpError('/v2/models/mlp/infer', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 99], data: [...input.subarray(0, 99)] }],
      }),
    });
    expect(viaHttp.status).toBe(400);
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toBe(viaHttp.error);
    expect(err.metadata['maas-error-code']).toBe(viaHttp.code);

    const unknown = await grpcError('ModelInfer', { model_name: 'nope', inputs: [wrongShape] });
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    expect(unknown.details).toBe((await httpError('/v2/models/nope')).error);

    const mixed = await grpcError('ModelInfer', {
      model_name: 'mlp',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100] }],
      raw_input_contents: [Buffer.alloc(12)],
    });
    expect(mixed.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(mixed.details).toMatch(/raw_input_contents\[0\].*400 bytes|expected 400 bytes|got 12/);
  });

  it('messages above grpc-js’s 4 MiB default pass (a 6 MiB tensor each way)', async () => {
    const data = Float32Array.from({ length: 2 * 3 * 512 * 512 }, (_, i) => i);
    const response = (await unary(client, 'ModelInfer', {
      model_name: 'big',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 3, 512, 512] }],
      raw_input_contents: [Buffer.from(data.buffer)],
    })) as { raw_output_contents: Buffer[] };
    const out = response.raw_output_contents[0]!;
    expect(out.byteLength).toBe(data.byteLength);
    expect(new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength))).toEqual(data);
  });
});

describe('ModelStreamInfer', () => {
  it('answers each message with its id; a failed message gets error_message and the stream goes on', async () => {
    const call = (
      client.ModelStreamInfer as unknown as () => grpc.ClientDuplexStream<object, Record<string, unknown>>
    ).call(client);
    const received: Record<string, unknown>[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      call.on('data', (m) => received.push(m));
      call.on('end', resolve);
      call.on('error', reject);
    });
    const good = (id: string) => ({
      model_name: 'mlp',
      id,
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], contents: { fp32_contents: [...input] } }],
    });
    call.write(good('a'));
    call.write({
      model_name: 'mlp',
      id: 'bad',
      inputs: [{ name: 'nope', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } }],
    });
    call.write(good('c'));
    call.end();
    await ended;
    expect(received).toHaveLength(3);
    const errors = received.filter((m) => m.error_message);
    expect(errors).toHaveLength(1);
    const viaHttp = await httpError('/v2/models/mlp/infer', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'nope', datatype: 'FP32', shape: [1], data: [1] }] }),
    });
    expect(errors[0]!.error_message).toBe(viaHttp.error);
    const answers = received
      .filter((m) => !m.error_message)
      .map((m) => m.infer_response as { id: string; outputs: { contents: { fp32_contents: number[] } }[] });
    expect(answers.map((a) => a.id).sort()).toEqual(['a', 'c']);
    expect(answers[0]!.outputs[0]!.contents.fp32_contents).toEqual(answers[1]!.outputs[0]!.contents.fp32_contents);
  });
});

describe('same engine', () => {
  it('gRPC and HTTP requests batch together, and both count in ModelStatistics as in /v2/models/…/stats', async () => {
    const rows = (k: number) => [k, k + 1, k + 2];
    const viaGrpc = [0, 1, 2].map((k) =>
      unary(client, 'ModelInfer', {
        model_name: 'batched',
        inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], contents: { fp32_contents: rows(k) } }],
      }),
    );
    const viaHttp = [3, 4, 5].map((k) =>
      http.models.infer('batched', { inputs: { x: { data: new Float32Array(rows(k)), shape: [1, 3] } } }),
    );
    const grpcOut = (await Promise.all(viaGrpc)) as { outputs: { contents: { fp32_contents: number[] } }[] }[];
    const httpOut = await Promise.all(viaHttp);
    expect(grpcOut.map((r) => r.outputs[0]!.contents.fp32_contents)).toEqual([0, 1, 2].map(rows));
    expect(httpOut.map((r) => [...(r.output('y').data as Float32Array)])).toEqual([3, 4, 5].map(rows));

    const stats = (await unary(client, 'ModelStatistics', { name: 'batched', version: '' })) as {
      model_stats: { name: string; inference_count: string; execution_count: string }[];
    };
    const viaRest = (await (await fetch(`${server.baseUrl}/v2/models/batched/stats`)).json()) as {
      model_stats: { inference_count: number; execution_count: number }[];
    };
    expect(stats.model_stats).toHaveLength(1);
    expect(Number(stats.model_stats[0]!.inference_count)).toBe(6);
    expect(Number(stats.model_stats[0]!.inference_count)).toBe(viaRest.model_stats[0]!.inference_count);
    expect(Number(stats.model_stats[0]!.execution_count)).toBe(viaRest.model_stats[0]!.execution_count);
    // Six requests inside one 300 ms queue window: fewer executions than requests means they were batched.
    expect(Number(stats.model_stats[0]!.execution_count)).toBeLessThan(6);

    const all = (await unary(client, 'ModelStatistics', { name: '', version: '' })) as {
      model_stats: { name: string }[];
    };
    expect(all.model_stats.map((s) => s.name)).toContain('batched');
    expect(all.model_stats.map((s) => s.name)).toContain('mlp');
  });
});

describe('metrics', () => {
  it('counts gRPC calls in maas_http_requests_total with protocol grpc, by method path and mapped status', async () => {
    const metrics = async () => (await fetch(`${server.baseUrl}/metrics`)).text();
    const series = (text: string, route: string, status: number) => {
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('maas_http_requests_total{') &&
            l.includes('protocol="grpc"') &&
            l.includes(`route="${route}"`) &&
            l.includes(`status="${status}"`),
        );
      return line === undefined ? 0 : Number(line.split(' ').at(-1));
    };
    const infer = '/inference.GRPCInferenceService/ModelInfer';
    const before = await metrics();
    await unary(client, 'ModelInfer', {
      model_name: 'mlp',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], contents: { fp32_contents: [...input] } }],
    });
    await grpcError('ModelInfer', { model_name: 'nope', inputs: [] });
    const after = await metrics();
    expect(series(after, infer, 200) - series(before, infer, 200)).toBe(1);
    expect(series(after, infer, 404) - series(before, infer, 404)).toBe(1);
    expect(after).toMatch(/maas_http_requests_total\{[^}]*protocol="grpc"[^}]*method="POST"/);
  });
});

describe('repository RPCs', () => {
  it('RepositoryIndex equals POST /v2/repository/index; Unload and Load change readiness as HTTP sees it', async () => {
    const index = (await unary(client, 'RepositoryIndex', { repository_name: '', ready: false })) as {
      models: { name: string; version: string; state: string; reason: string }[];
    };
    const viaHttp = await (await fetch(`${server.baseUrl}/v2/repository/index`, { method: 'POST' })).json();
    expect(index.models).toEqual(viaHttp);

    expect(await unary(client, 'RepositoryModelUnload', { model_name: 'wide' })).toEqual({});
    expect(await unary(client, 'ModelReady', { name: 'wide', version: '' })).toEqual({ ready: false });
    expect((await fetch(`${server.baseUrl}/v2/models/wide/ready`)).status).toBe(503);
    const readyOnly = (await unary(client, 'RepositoryIndex', { ready: true })) as { models: { name: string }[] };
    expect(readyOnly.models.map((m) => m.name)).not.toContain('wide');

    expect(await unary(client, 'RepositoryModelLoad', { model_name: 'wide' })).toEqual({});
    expect(await unary(client, 'ModelReady', { name: 'wide', version: '' })).toEqual({ ready: true });
    const missing = await grpcError('RepositoryModelLoad', { model_name: 'nope' });
    expect(missing.code).toBe(grpc.status.NOT_FOUND);
  });

  it('the RPCs maas does not serve are UNIMPLEMENTED and say what to do instead', async () => {
    const err = await grpcError('SystemSharedMemoryStatus', { name: '' });
    expect(err.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(err.details).toMatch(/SystemSharedMemoryStatus is not implemented.*raw_input_contents/);
    expect((await grpcError('TraceSetting', {})).code).toBe(grpc.status.UNIMPLEMENTED);
  });
});

describe('API keys, load shedding, limits and drain', () => {
  it('API keys come from authorization: Bearer metadata; health stays open', async () => {
    const secured = await startTestServer({
      models: { mlp: mlp.bytes },
      apiKeys: ['k-1'],
      settings: { grpc: true, grpcPort: 0 },
    });
    const c = inferenceClient(secured.server.grpcAddress!);
    try {
      expect(await unary(c, 'ServerLive', {})).toEqual({ live: true });
      const none = await grpcError('ModelMetadata', { name: 'mlp' }, undefined, c);
      const viaHttp = await fetch(`${secured.baseUrl}/v2/models/mlp`);
      expect(none.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(none.details).toBe(((await viaHttp.json()) as { error: string }).error);
      const wrong = new grpc.Metadata();
      wrong.set('authorization', 'Bearer nope');
      expect((await grpcError('ModelMetadata', { name: 'mlp' }, wrong, c)).code).toBe(grpc.status.UNAUTHENTICATED);
      const right = new grpc.Metadata();
      right.set('authorization', 'Bearer k-1');
      expect(await unary(c, 'ModelMetadata', { name: 'mlp' }, right)).toMatchObject({ name: 'mlp' });
    } finally {
      c.close();
      await secured.close();
    }
  }, 60_000);

  it('--max-inflight sheds gRPC calls as UNAVAILABLE with retry-after; a message over --max-body-size is RESOURCE_EXHAUSTED', async () => {
    const small = await startTestServer({
      models: { slow: slowModel(), mlp: mlp.bytes },
      settings: { grpc: true, grpcPort: 0, maxInflight: 1, maxBodySize: 1024 * 1024 },
    });
    const c = inferenceClient(small.server.grpcAddress!);
    try {
      const size = { name: 'size', datatype: 'INT64', shape: [2], contents: { int64_contents: ['1024', '1024'] } };
      // The HTTP request holds the only slot; gRPC finds the server full, as a second HTTP request would.
      const running = fetch(`${small.baseUrl}/v2/models/slow/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ name: 'size', datatype: 'INT64', shape: [2], data: [2048, 2048] }] }),
      });
      await expect.poll(() => small.server.dataPlane.inflightCount, { timeout: 20_000 }).toBe(1);
      const shed = await grpcError('ModelInfer', { model_name: 'slow', inputs: [size] }, undefined, c);
      expect(shed.code).toBe(grpc.status.UNAVAILABLE);
      expect(shed.details).toMatch(/inference requests in progress, its limit \(--max-inflight\)/);
      expect(shed.metadata['retry-after']).toBe('1');
      expect((await running).status).toBe(200);

      const tooBig = await grpcError(
        'ModelInfer',
        {
          model_name: 'mlp',
          inputs: [{ name: 'input', datatype: 'FP32', shape: [2700, 100] }],
          raw_input_contents: [Buffer.alloc(2700 * 100 * 4)],
        },
        undefined,
        c,
      );
      expect(tooBig.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(tooBig.details).toMatch(/larger than max/i);
    } finally {
      c.close();
      await small.close();
    }
  }, 120_000);

  it('during the drain delay ServerReady is false and Health NOT_SERVING, inference still answers, open streams end', async () => {
    const draining = await startTestServer({ models: { mlp: mlp.bytes }, settings: { grpc: true, grpcPort: 0 } });
    const address = draining.server.grpcAddress!;
    const c = inferenceClient(address);
    const health = healthClient(address);
    try {
      const stream = (c.ModelStreamInfer as unknown as () => grpc.ClientDuplexStream<object, object>).call(c);
      const streamDone = new Promise<string>((resolve) => {
        stream.on('data', () => {});
        stream.on('end', () => resolve('end'));
        stream.on('error', (err: grpc.ServiceError) => resolve(`${err.code} ${err.details}`));
      });
      const closed = draining.server.close({ drainDelayMs: 1500 });
      expect(await unary(c, 'ServerReady', {})).toEqual({ ready: false });
      expect(await unary(health, 'Check', { service: '' })).toEqual({ status: 'NOT_SERVING' });
      const answer = (await unary(c, 'ModelInfer', {
        model_name: 'mlp',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], contents: { fp32_contents: [...input] } }],
      })) as { outputs: { contents: { fp32_contents: number[] } }[] };
      expect(answer.outputs[0]!.contents.fp32_contents).toHaveLength(10);
      await closed;
      // The client never ended its side: the server ends the stream with UNAVAILABLE, saying why.
      expect(await streamDone).toMatch(/^14 The server is shutting down/);
    } finally {
      c.close();
      health.close();
      await draining.close();
    }
  }, 60_000);

  it('close() lets an in-flight gRPC call finish, then refuses new ones', async () => {
    const draining = await startTestServer({ models: { slow: slowModel() }, settings: { grpc: true, grpcPort: 0 } });
    const address = draining.server.grpcAddress!;
    const c = inferenceClient(address);
    try {
      // n = 2048: about half a second, long enough to be seen in flight on a busy machine.
      const size = { name: 'size', datatype: 'INT64', shape: [2], contents: { int64_contents: ['2048', '2048'] } };
      const slow = unary(c, 'ModelInfer', { model_name: 'slow', inputs: [size] });
      await expect.poll(() => draining.server.dataPlane.inflightCount, { timeout: 20_000 }).toBe(1);
      const closed = draining.close();
      const answer = (await slow) as { outputs: { contents: { fp32_contents: number[] } }[] };
      const total = answer.outputs[0]!.contents.fp32_contents[0]!;
      expect(Math.abs(total - 2048 ** 3) / 2048 ** 3).toBeLessThan(0.01);
      await closed;
      const after = inferenceClient(address);
      const refused = await grpcError('ServerLive', {}, undefined, after).finally(() => after.close());
      expect(refused.code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      c.close();
    }
  }, 120_000);
});
