// bench/grpc: one `maas serve` (the built CLI), the same model and input, three protocols — gRPC ModelInfer with raw
// contents, HTTP with the binary tensor extension, HTTP with OIP JSON — at concurrency 1 and 32, for the keras_mlp
// demo model (1×100 FP32 in, 1×10 out) and an Identity on 1×3×224×224 FP32 (588 KiB each way). Every client is bare
// (pre-encoded bodies; grpc-js with bytes passed through, undici's Pool), so the figures compare the protocols and
// the server, not client codecs. Then MaasGrpcClient (maas/grpc) against the bare grpc-js client on keras_mlp at
// c=32: the SDK's overhead (target ≥ 0.90). Runs alternate (A B C C B A) so drift on a shared machine hits all alike.
// Env: BENCH_GRPC_SECONDS (per run, default 3), BENCH_GRPC_SDK_PAIRS (rounds of bare, bare with deadline, SDK; default 6).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Pool } from 'undici';
import { identityModel } from '../server/onnx/fixtures.js';
import { encodeBinaryBody } from '../src/protocol/binary-tensor.js';
import { decodeWireInferRequest, encodeInferMessage, wireTensors } from '../src/protocol/grpc/infer-messages.js';
import type { Tensor } from '../src/protocol/tensor.js';
import { seededFloats } from './support/data.js';
import { envNumber } from './support/env.js';
import { copyDemoModels, repoRoot, tempDir } from './support/paths.js';
import { note, ratio, saveResults, table, title } from './support/report.js';
import { startMaas } from './support/server-process.js';
import { median, quantile, timeRuns } from './support/stats.js';

const seconds = envNumber('BENCH_GRPC_SECONDS', 3);
const sdkPairs = envNumber('BENCH_GRPC_SDK_PAIRS', 6);
const codecIterations = envNumber('BENCH_GRPC_CODEC_ITERATIONS', 200);

interface Codec {
  requestSerialize(value: object): Buffer;
  requestDeserialize(bytes: Buffer): Record<string, unknown>;
}

/**
 * The choice the server made: the hand-written codec (src/protocol/grpc) against proto-loader's (protobufjs) on the
 * upstream proto, for what the server does per ModelInferRequest — decode the message into tensors — and what a
 * client does — encode one. Median µs in this process.
 */
async function codecs(cases: readonly Case[]): Promise<Record<string, Record<string, number>>> {
  const definitions = loadSync('grpc_service.proto', {
    includeDirs: [join(repoRoot, 'server/grpc/proto')],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loader = definitions['inference.GRPCInferenceService'] as unknown as Record<string, Codec>;
  const infer = loader.ModelInfer!;
  const out: Record<string, Record<string, number>> = {};
  const rows: (string | number)[][] = [];
  for (const c of cases) {
    for (const raw of [true, false]) {
      const data = c.input.data as Float32Array;
      const bytes = Buffer.from(encodeInferMessage('request', { modelName: c.model, tensors: [c.input], raw }));
      const entry = { name: c.input.name, datatype: 'FP32', shape: c.input.shape };
      const object = raw
        ? {
            model_name: c.model,
            inputs: [entry],
            raw_input_contents: [Buffer.from(data.buffer, data.byteOffset, data.byteLength)],
          }
        : { model_name: c.model, inputs: [{ ...entry, contents: { fp32_contents: Array.from(data) } }] };
      const us = async (fn: () => unknown) => median(await timeRuns(fn, codecIterations, 5)) * 1000;
      const oursDecode = await us(() => {
        const r = decodeWireInferRequest(bytes);
        return wireTensors(r.inputs, r.rawInputContents, 'inputs');
      });
      const loaderDecode = await us(() => {
        const r = infer.requestDeserialize(bytes) as {
          raw_input_contents: Buffer[];
          inputs: { contents: { fp32_contents: number[] } }[];
        };
        // What the server would still have to do: the tensor as a Float32Array.
        if (raw) {
          const b = r.raw_input_contents[0]!;
          return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
        }
        return Float32Array.from(r.inputs[0]!.contents.fp32_contents);
      });
      const oursEncode = await us(() => encodeInferMessage('request', { modelName: c.model, tensors: [c.input], raw }));
      const loaderEncode = await us(() => infer.requestSerialize(object));
      const key = `${c.label} ${raw ? 'raw' : 'typed'}`;
      out[key] = { oursDecode, loaderDecode, oursEncode, loaderEncode };
      rows.push([key, oursDecode, loaderDecode, (loaderDecode / oursDecode).toFixed(1), oursEncode, loaderEncode]);
    }
  }
  table(['ModelInferRequest (median µs)', 'decode: ours', 'proto-loader', '×', 'encode: ours', 'proto-loader'], rows);
  note('');
  return out;
}

interface Case {
  label: string;
  model: string;
  input: Tensor;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

/** `connections` loops, each sending the next request when its answer came, for `seconds`. */
async function closedLoop(connections: number, send: () => Promise<unknown>): Promise<Run> {
  const times: number[] = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        try {
          await send();
          times.push(performance.now() - start);
        } catch {
          failures++;
        }
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { rps: times.length / wall, p50: quantile(times, 0.5), p99: quantile(times, 0.99), failures };
}

const passBytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const keepBytes = (b: Buffer) => b;

/** The SDK's transport against the bare client, same request, c=32 on keras_mlp. */
async function sdkVersusBare(client: Client, address: string, mlp: Case) {
  const { MaasGrpcClient } = (await import(
    pathToFileURL(join(repoRoot, 'dist/grpc/index.js')).href
  )) as typeof import('../src/grpc/index.js');
  const sdk = new MaasGrpcClient({ address, apiKey: null, maxRetries: 0 });
  const data = mlp.input.data as Float32Array;
  const viaSdk = () => sdk.models.infer('keras_mlp', { inputs: { input: { data, shape: [1, 100] } } });
  const bare = grpcSender(client, bodies(mlp).grpc);
  // The same bare call with the SDK's default deadline: what the deadline itself costs (grpc-js arms a timer on
  // both sides and the server parses grpc-timeout), apart from the SDK's own work.
  const bareDeadline = grpcSender(client, bodies(mlp).grpc, 60_000);
  await viaSdk();
  // Short rounds of the three in rotated order: per-round ratios, then their median, so the load other engineers
  // put on the machine between rounds does not decide the figure.
  const senders = { bare, bareDeadline, sdk: viaSdk };
  const names = Object.keys(senders) as Array<keyof typeof senders>;
  const pairs: Array<Record<keyof typeof senders, number>> = [];
  for (let i = 0; i < sdkPairs; i++) {
    const round = {} as Record<keyof typeof senders, number>;
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      round[name] = (await closedLoop(32, senders[name])).rps;
    }
    pairs.push(round);
  }
  sdk.close();
  const sdkRatio = median(pairs.map((p) => p.sdk / p.bare));
  note('');
  table(
    [`keras_mlp c=32 (median of ${sdkPairs} rounds)`, 'req/s'],
    [
      ['bare grpc-js client (pre-encoded, no deadline)', median(pairs.map((p) => p.bare))],
      ['bare grpc-js client (pre-encoded, 60 s deadline)', median(pairs.map((p) => p.bareDeadline))],
      ['MaasGrpcClient.models.infer (encode, 60 s deadline, decode)', median(pairs.map((p) => p.sdk))],
    ],
  );
  ratio('bare grpc-js with deadline ÷ without', median(pairs.map((p) => p.bareDeadline / p.bare)));
  ratio('MaasGrpcClient ÷ bare grpc-js with deadline', median(pairs.map((p) => p.sdk / p.bareDeadline)));
  ratio('MaasGrpcClient ÷ bare grpc-js', sdkRatio, { op: '>=', value: 0.9 });
  return { pairs, ratio: sdkRatio };
}

function grpcSender(client: Client, request: Uint8Array, deadlineMs = 0): () => Promise<unknown> {
  return () =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        '/inference.GRPCInferenceService/ModelInfer',
        passBytes,
        keepBytes,
        request,
        new Metadata(),
        deadlineMs > 0 ? { deadline: Date.now() + deadlineMs } : {},
        (err, value) => (err ? reject(err) : resolve(value)),
      );
    });
}

function httpSender(pool: Pool, path: string, body: string | Uint8Array, headers: Record<string, string>) {
  return async () => {
    const res = await pool.request({ method: 'POST', path, body, headers });
    const bytes = await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${new TextDecoder().decode(bytes)}`);
    return bytes;
  };
}

function bodies(c: Case) {
  const grpc = encodeInferMessage('request', { modelName: c.model, tensors: [c.input], raw: true });
  const binary = encodeBinaryBody(
    { inputs: [{ name: c.input.name }], parameters: { binary_data_output: true } },
    [c.input],
    { section: 'inputs' },
  );
  const json = JSON.stringify({
    inputs: [
      { name: c.input.name, datatype: 'FP32', shape: c.input.shape, data: Array.from(c.input.data as Float32Array) },
    ],
  });
  return { grpc, binary, json };
}

async function main(): Promise<void> {
  title(`grpc: gRPC raw vs HTTP binary vs HTTP JSON on one maas serve (${seconds} s per run)`);
  const tmp = await tempDir('grpc');
  const repo = await copyDemoModels(tmp.dir);
  await mkdir(join(repo, 'identity_image', '1'), { recursive: true });
  await writeFile(join(repo, 'identity_image', '1', 'model.onnx'), identityModel('FP32', [-1, 3, 224, 224]));
  const server = await startMaas([
    ...['--model-repository', repo, '--data-dir', join(tmp.dir, 'data'), '--grpc-port', '0'],
  ]);
  const address = server.grpcAddress;
  if (!address) throw new Error(`maas serve printed no gRPC address (${server.output.join('\n')})`);
  const channelOptions = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
  const client = new Client(address, credentials.createInsecure(), channelOptions);
  const pools = new Map<number, Pool>();
  const pool = (c: number) => {
    if (!pools.has(c)) pools.set(c, new Pool(server.url, { connections: c }));
    return pools.get(c)!;
  };
  const cases: Case[] = [
    {
      label: 'keras_mlp 1×100',
      model: 'keras_mlp',
      input: { name: 'input', datatype: 'FP32', shape: [1, 100], data: seededFloats(100) },
    },
    {
      label: 'image 1×3×224×224',
      model: 'identity_image',
      input: { name: 'x', datatype: 'FP32', shape: [1, 3, 224, 224], data: seededFloats(3 * 224 * 224) },
    },
  ];
  const results: Record<string, Record<string, Run>> = {};
  const rows: (string | number)[][] = [];
  try {
    // First, while this process's heap is small: the SDK allocates more per call than the bare client, and after the
    // 588 KiB image runs a quarter of this process's CPU went to garbage collection, which charged the SDK unfairly.
    const sdk = await sdkVersusBare(client, address, cases[0]!);
    const codec = await codecs(cases);
    for (const c of cases) {
      const b = bodies(c);
      const path = `/v2/models/${c.model}/infer`;
      for (const connections of [1, 32]) {
        const senders = {
          'gRPC raw': grpcSender(client, b.grpc),
          'HTTP binary': httpSender(pool(connections), path, b.binary.body, {
            'content-type': 'application/octet-stream',
            'inference-header-content-length': String(b.binary.headerLength),
          }),
          'HTTP JSON': httpSender(pool(connections), path, b.json, { 'content-type': 'application/json' }),
        };
        const names = Object.keys(senders) as (keyof typeof senders)[];
        for (const name of names) await senders[name](); // warm: connections, sessions
        const runs: Record<string, Run[]> = {};
        for (const name of [...names, ...[...names].reverse()]) {
          (runs[name] ??= []).push(await closedLoop(connections, senders[name]));
        }
        const key = `${c.label} c=${connections}`;
        results[key] = {};
        for (const name of names) {
          const [a, z] = runs[name]!;
          const merged: Run = {
            rps: (a!.rps + z!.rps) / 2,
            p50: (a!.p50 + z!.p50) / 2,
            p99: Math.max(a!.p99, z!.p99),
            failures: a!.failures + z!.failures,
          };
          results[key][name] = merged;
          rows.push([c.label, connections, name, merged.rps, merged.p50, merged.p99, merged.failures]);
        }
      }
    }
    table(['tensor', 'c', 'protocol', 'req/s', 'p50 ms', 'p99 ms', 'failures'], rows);

    await saveResults('grpc', { seconds, codec, results, sdk });
  } finally {
    client.close();
    for (const p of pools.values()) await p.close();
    await server.stop();
    await tmp.cleanup();
  }
}

await main();
