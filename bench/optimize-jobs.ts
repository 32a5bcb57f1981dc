// bench/optimize part 5: the same rewrites as optimisation jobs through the HTTP API of an in-process server (the
// job queue, a worker thread per job, evaluation of parent and candidate, the gate, publishing a candidate): how
// long a job takes end to end, and that its report's figures are the library's (same code, same data).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../server/app.js';
import { MaasClient } from '../src/index.js';
import type { OptimizationJobCreateRequest, OptimizationMethod } from '../src/types.js';
import { note, table, title } from './support/report.js';

export interface JobBenchResult {
  name: string;
  seconds: number;
  status: string;
  accuracy: number | null;
  agreement: number | null;
  sizeRatio: number | null;
  gzipRatio: number | null;
  gate: boolean | null;
}

/** Runs each method as a job on `parent` (served as digits v1), evaluated on `testCsv`; fine-tunes on `trainCsv`. */
export async function optimizationJobs(
  parent: Uint8Array,
  trainCsv: string,
  testCsv: string,
): Promise<JobBenchResult[]> {
  title(
    'optimize 5: the same rewrites as optimisation jobs over HTTP (queue, worker thread, evaluation, gate, publish)',
  );
  const dir = mkdtempSync(join(tmpdir(), 'maas-bench-optjobs-'));
  mkdirSync(join(dir, 'models', 'digits', '1'), { recursive: true });
  writeFileSync(join(dir, 'models', 'digits', '1', 'model.onnx'), parent);
  const server = await createServer({
    host: '127.0.0.1',
    port: 0,
    modelRepository: join(dir, 'models'),
    dataDir: join(dir, 'data'),
    logLevel: 'silent',
    intraOpThreads: 1,
  });
  const out: JobBenchResult[] = [];
  try {
    const client = new MaasClient({ baseUrl: await server.listen(), apiKey: null, maxRetries: 0 });
    const test = await client.datasets.create(readFileSync(testCsv), { format: 'csv', name: 'test.csv' });
    const train = await client.datasets.create(readFileSync(trainCsv), { format: 'csv', name: 'train.csv' });
    const methods: Array<[string, OptimizationMethod]> = [
      ['int8 dynamic', { type: 'quantize', precision: 'int8', mode: 'dynamic' }],
      ['int8 weight-only', { type: 'quantize', precision: 'int8', mode: 'weight_only' }],
      ['fp16', { type: 'quantize', precision: 'fp16' }],
      [
        'prune 90 % + fine-tune 10 epochs',
        {
          type: 'prune',
          sparsity: 0.9,
          fine_tune: {
            dataset: train.id,
            target: 'label',
            epochs: 10,
            optimizer: { type: 'adam', learning_rate: 0.001 },
          },
        },
      ],
      [
        'distill → student 32, 30 epochs',
        {
          type: 'distill',
          dataset: train.id,
          student: { architecture: { type: 'mlp', hidden_layers: [32] } },
          temperature: 4,
          alpha: 0.3,
          epochs: 30,
          optimizer: { type: 'adam', learning_rate: 0.001 },
        },
      ],
    ];
    for (const [name, method] of methods) {
      const body: OptimizationJobCreateRequest = {
        model: 'digits',
        version: '1',
        method,
        evaluation: { dataset: test.id, target: 'label' },
      };
      const t0 = performance.now();
      const created = await client.optimizationJobs.create(body);
      const job = await client.optimizationJobs.wait(created.id);
      const seconds = (performance.now() - t0) / 1000;
      const r = job.report;
      out.push({
        name,
        seconds,
        status: job.status,
        accuracy: r?.candidate.accuracy ?? null,
        agreement: r?.candidate.agreement ?? null,
        sizeRatio: r?.size_ratio ?? null,
        gzipRatio: r?.gzip_ratio ?? null,
        gate: r?.gate.passed ?? null,
      });
    }
    await client.close();
  } finally {
    // The engine's session workers end after the loop would otherwise be empty: keep it alive until close() is done
    // (without this the script exits 13, "unsettled top-level await", before the results are saved).
    const keepAlive = setInterval(() => {}, 1000);
    await server.close();
    clearInterval(keepAlive);
    rmSync(dir, { recursive: true, force: true });
  }
  const f = (x: number | null, digits = 3) => (x === null ? '-' : x.toFixed(digits));
  table(
    ['job', 'seconds', 'status', 'accuracy %', 'agreement %', 'file ×', 'gzip ×', 'gate'],
    out.map((o) => [
      o.name,
      o.seconds.toFixed(1),
      o.status,
      o.accuracy === null ? '-' : (o.accuracy * 100).toFixed(2),
      o.agreement === null ? '-' : (o.agreement * 100).toFixed(2),
      f(o.sizeRatio),
      f(o.gzipRatio),
      o.gate === null ? '-' : o.gate ? 'pass' : 'FAIL',
    ]),
  );
  note('(seconds: create → succeeded, including evaluating the parent and the candidate with latency runs)');
  return out;
}
