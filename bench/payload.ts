// bench/payload: one 1×3×224×224 FP32 tensor (588 KiB of data) through MaasClient to `maas serve` (the built CLI)
// serving an Identity model, as OIP JSON and as the binary tensor extension: end-to-end time, bytes on the wire,
// and each codec stage timed in-process on the same bodies (src/protocol, as the server and SDK run them).
// Env: BENCH_PAYLOAD_ITERATIONS (default 20).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { identityModel } from '../server/onnx/fixtures.js';
import { encodeInferRequest } from '../src/internal/infer-codec.js';
import {
  decodeBinaryBody,
  decodeJsonTensor,
  encodeBinaryBody,
  encodeTensorJsonData,
  parseJsonLossless,
  stringifyJson,
  type Tensor,
} from '../src/protocol/index.js';
import { maxAbsDiff, seededFloats } from './support/data.js';
import { envNumber } from './support/env.js';
import { importBuiltSdk, tempDir } from './support/paths.js';
import { bytes, note, ratio, saveResults, table, title } from './support/report.js';
import { startMaas } from './support/server-process.js';
import { median, timeRuns } from './support/stats.js';

const MODEL = 'identity_image';
const SHAPE = [1, 3, 224, 224];
const iterations = envNumber('BENCH_PAYLOAD_ITERATIONS', 20);

interface Stages {
  clientEncode: number;
  serverDecode: number;
  serverEncode: number;
  clientDecode: number;
  requestBytes: number;
  responseBytes: number;
}

/** Each codec stage of one request/response, timed in-process (median ms), with the body sizes. */
async function codecStages(data: Float32Array, binary: boolean): Promise<Stages> {
  const params = { inputs: { x: { data, shape: SHAPE } }, binary };
  const request = encodeInferRequest(params, 4096);
  const clientEncode = median(await timeRuns(() => encodeInferRequest(params, 4096), iterations));

  const requestBody = request.body;
  const headerLength = binary ? Number(request.headers['inference-header-content-length']) : undefined;
  // What the server runs: the body parser's JSON.parse (or the raw Buffer), then the tensor decoders.
  const serverDecodeOnce = (): Tensor =>
    typeof requestBody === 'string'
      ? decodeJsonTensor((parseJsonLossless(requestBody, 'body') as { inputs: unknown[] }).inputs[0], 'inputs[0]')
      : decodeBinaryBody(requestBody, headerLength, { section: 'inputs' }).tensors[0]!;
  const serverDecode = median(await timeRuns(serverDecodeOnce, iterations));
  const tensor = { ...serverDecodeOnce(), name: 'y' } as Tensor;

  const head = { model_name: MODEL, model_version: '1' };
  const serverEncodeOnce = (): { body: string | Uint8Array; headerLength?: number } => {
    if (!binary) {
      const entry = { name: 'y', datatype: tensor.datatype, shape: tensor.shape, data: encodeTensorJsonData(tensor) };
      return { body: stringifyJson({ ...head, outputs: [entry] }) };
    }
    return encodeBinaryBody({ ...head, outputs: [{ name: 'y' }] }, [tensor], { section: 'outputs' });
  };
  const serverEncode = median(await timeRuns(serverEncodeOnce, iterations));
  const response = serverEncodeOnce();
  const responseBody = typeof response.body === 'string' ? new TextEncoder().encode(response.body) : response.body;
  const clientDecode = median(
    await timeRuns(() => decodeBinaryBody(responseBody, response.headerLength, { section: 'outputs' }), iterations),
  );
  return {
    clientEncode,
    serverDecode,
    serverEncode,
    clientDecode,
    requestBytes: typeof requestBody === 'string' ? Buffer.byteLength(requestBody) : requestBody.byteLength,
    responseBytes: responseBody.byteLength,
  };
}

async function main(): Promise<void> {
  title(`payload: 1×3×224×224 FP32 through MaasClient, JSON vs binary tensor extension (${iterations} iterations)`);
  const tmp = await tempDir('payload');
  const repo = join(tmp.dir, 'models');
  await mkdir(join(repo, MODEL, '1'), { recursive: true });
  await writeFile(join(repo, MODEL, '1/model.onnx'), identityModel('FP32', [-1, 3, 224, 224]));
  const server = await startMaas(['--model-repository', repo, '--data-dir', join(tmp.dir, 'data')]);
  const { MaasClient } = await importBuiltSdk();
  const client = new MaasClient({ baseUrl: server.url, apiKey: null, maxRetries: 0 });
  try {
    const data = seededFloats(3 * 224 * 224);
    const infer = (binary: boolean) => client.models.infer(MODEL, { inputs: { x: { data, shape: SHAPE } }, binary });
    const wire: Record<string, number> = {};
    for (const binary of [false, true]) {
      const result = await infer(binary);
      const diff = maxAbsDiff(result.output('y').data as Float32Array, data);
      if (diff !== 0) throw new Error(`identity model returned different values (binary ${binary}, max diff ${diff})`);
      wire[binary ? 'binary' : 'json'] = Number(result.response.headers.get('content-length'));
      if (binary !== (result.response.headers.get('inference-header-content-length') !== null)) {
        throw new Error(`binary ${binary}: the response came back in the other encoding`);
      }
    }

    // Interleaved, so drift on a shared machine hits both encodings alike.
    const e2e = { json: [] as number[], binary: [] as number[] };
    for (let i = 0; i < 3; i++) await Promise.all([infer(false), infer(true)]);
    for (let i = 0; i < iterations; i++) {
      for (const binary of [false, true]) {
        const t0 = performance.now();
        await infer(binary);
        e2e[binary ? 'binary' : 'json'].push(performance.now() - t0);
      }
    }
    const json = await codecStages(data, false);
    const binary = await codecStages(data, true);
    const jsonE2e = median(e2e.json);
    const binaryE2e = median(e2e.binary);
    if (json.responseBytes !== wire.json || binary.responseBytes !== wire.binary) {
      note(
        `(server's content-length: JSON ${wire.json}, binary ${wire.binary}; in-process encoders agree only roughly)`,
      );
    }

    const row = (stage: string, j: number, b: number) => [stage, j, b, (b / j).toFixed(4)];
    table(
      ['stage (median ms)', 'JSON', 'binary', 'binary÷JSON'],
      [
        row('end to end (MaasClient → maas serve → back)', jsonE2e, binaryE2e),
        row('client encode (encodeInferRequest)', json.clientEncode, binary.clientEncode),
        row('server decode (JSON.parse + tensor decode)', json.serverDecode, binary.serverDecode),
        row('server encode (response body)', json.serverEncode, binary.serverEncode),
        row('client decode (response body)', json.clientDecode, binary.clientDecode),
      ],
    );
    note('');
    table(
      ['bytes on the wire', 'JSON', 'binary', 'binary÷JSON'],
      [
        [
          'request body',
          bytes(json.requestBytes),
          bytes(binary.requestBytes),
          (binary.requestBytes / json.requestBytes).toFixed(4),
        ],
        ['response body', bytes(wire.json!), bytes(wire.binary!), (wire.binary! / wire.json!).toFixed(4)],
      ],
    );
    note('');
    ratio('binary÷JSON end-to-end ms', binaryE2e / jsonE2e, { op: '<=', value: 0.1 });
    ratio('binary÷JSON server decode ms', binary.serverDecode / json.serverDecode);
    ratio('binary÷JSON request bytes', binary.requestBytes / json.requestBytes);
    await saveResults('payload', { iterations, e2e: { json: jsonE2e, binary: binaryE2e }, json, binary, wire });
  } finally {
    await client.close();
    await server.stop();
    await tmp.cleanup();
  }
}

await main();
