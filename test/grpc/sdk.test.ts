// The SDK's gRPC transport (maas/grpc) against a real server: the same results as MaasClient over HTTP, the same
// typed errors and messages, retries on connection failures, and abort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaasGrpcClient } from '../../src/grpc/index.js';
import {
  APIConnectionError,
  APIUserAbortError,
  BadRequestError,
  InvalidInputError,
  MaasClient,
  NotFoundError,
} from '../../src/index.js';
import { mlpModel, multiIoModel, slowModel } from '../support/models.js';
import { startTestServer, type TestServer } from '../support/server.js';

const BIG = 9007199254740993n;
let server: TestServer;
let grpc: MaasGrpcClient;
let http: MaasClient;

beforeAll(async () => {
  server = await startTestServer({
    models: { mlp: mlpModel().bytes, multi_io: multiIoModel(), slow: slowModel() },
    settings: { grpc: true, grpcPort: 0 },
  });
  grpc = new MaasGrpcClient({ address: server.server.grpcAddress!, apiKey: null, maxRetries: 0 });
  http = new MaasClient({ baseUrl: server.baseUrl, apiKey: null, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  grpc?.close();
  await server?.close();
});

const input = Float32Array.from({ length: 200 }, (_, i) => Math.cos(i));

describe('MaasGrpcClient.models.infer', () => {
  it('returns what MaasClient returns over HTTP, raw and typed', async () => {
    const params = { inputs: { input: { data: input, shape: [2, 100] } }, id: 'r1' };
    const viaHttp = await http.models.infer('mlp', params);
    for (const binary of [true, false]) {
      const viaGrpc = await grpc.models.infer('mlp', { ...params, binary });
      expect(viaGrpc.modelName).toBe('mlp');
      expect(viaGrpc.modelVersion).toBe('1');
      expect(viaGrpc.id).toBe('r1');
      expect(viaGrpc.output('probabilities').shape).toEqual([2, 10]);
      expect(viaGrpc.output('probabilities').data).toEqual(viaHttp.output('probabilities').data);
      expect(viaGrpc.requestId).toMatch(/\S/);
    }
  });

  it('INT64 stays exact, BOOL and BYTES come back as on HTTP; outputs can be picked', async () => {
    const params = {
      inputs: {
        ids: { data: new BigInt64Array([BIG, -BIG, 1n]), shape: [1, 3] },
        mask: { data: [[true, false, true]] },
        text: { data: ['héllo'] },
      },
      outputs: ['ids_plus_one', 'text_out'],
    };
    const viaGrpc = await grpc.models.infer('multi_io', params);
    const viaHttp = await http.models.infer('multi_io', params);
    expect(viaGrpc.outputs.map((o) => o.name)).toEqual(['ids_plus_one', 'text_out']);
    expect([...(viaGrpc.output('ids_plus_one').data as BigInt64Array)]).toEqual([BIG + 1n, -BIG + 1n, 2n]);
    expect(viaGrpc.output('ids_plus_one').data).toEqual(viaHttp.output('ids_plus_one').data);
    expect(viaGrpc.output('text_out').data).toEqual(['héllo']);
  });

  it('throws the same typed errors with the same messages as MaasClient', async () => {
    const missing = await grpc.models.infer('nope', { inputs: { x: { data: [1] } } }).catch((e: unknown) => e);
    const missingHttp = await http.models.infer('nope', { inputs: { x: { data: [1] } } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe('model_not_found');
    expect((missing as NotFoundError).status).toBe(404);
    // The message carries each call's own request id; the server's text is the same.
    expect((missing as NotFoundError).body).toMatchObject({
      error: (missingHttp as { body: { error: string } }).body.error,
    });
    expect((missing as NotFoundError).requestId).toMatch(/\S/);

    const shape = { inputs: { input: { data: input.subarray(0, 99), shape: [1, 99] } } };
    const bad = await grpc.models.infer('mlp', shape).catch((e: unknown) => e);
    const badHttp = await http.models.infer('mlp', shape).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).code).toBe((badHttp as BadRequestError).code);
    expect((bad as BadRequestError).body).toMatchObject({ error: (badHttp as { body: { error: string } }).body.error });

    // Rejected before any I/O, as on MaasClient.
    await expect(grpc.models.infer('mlp', { inputs: { input: { data: input, shape: [3, 100] } } })).rejects.toThrow(
      InvalidInputError,
    );
  });

  it('retries a connection failure with backoff, then throws APIConnectionError', async () => {
    const lines: string[] = [];
    const nowhere = new MaasGrpcClient({
      address: '127.0.0.1:1',
      maxRetries: 2,
      backoff: { baseDelayMs: 1, maxDelayMs: 2 },
      logger: { info: (line: string) => lines.push(line) },
      apiKey: null,
    });
    try {
      const err = await nowhere.models
        .infer('mlp', { inputs: { input: { data: input, shape: [2, 100] } } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIConnectionError);
      expect((err as Error).message).toMatch(/127\.0\.0\.1:1/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/retry 2\/2/);
    } finally {
      nowhere.close();
    }
  });

  it('abort cancels the call with APIUserAbortError', async () => {
    const controller = new AbortController();
    const call = grpc.models.infer(
      'slow',
      { inputs: { size: { data: new BigInt64Array([2048n, 2048n]) } } },
      { signal: controller.signal },
    );
    await expect.poll(() => server.server.dataPlane.inflightCount, { timeout: 20_000 }).toBe(1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
  }, 60_000);
});
