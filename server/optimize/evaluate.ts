// Evaluating a version on a dataset by running it: outputs (batched), quality against the target and against
// another version, latency at batch 1 and 64 measured on the session, file and gzip size. ONNX Runtime runs
// through server/inference/onnx-model.ts, the project's one onnxruntime-node import.
import type { Table } from '../../src/protocol/datasets/table.js';
import type { Tensor } from '../../src/protocol/tensor.js';
import { type OnnxModel, openOnnxModel, type SessionOptions } from '../inference/onnx-model.js';
import { type DatasetSelection, type ModelDataset, modelDataset } from './dataset-inputs.js';
import { OptimizeError } from './errors.js';
import {
  encodeLabels,
  looksLikeProbabilities,
  type OutputMetrics,
  regressionTargets,
  scoreOutputs,
  type Truth,
} from './metrics.js';
import { type ModelLayout, readLayout } from './model-layout.js';
import { gzipSize } from './report.js';
import { parseParent } from './rewrite.js';

/** Rows per session run when running a whole dataset. */
const RUN_BATCH = 256;

export interface SessionChoice {
  /** Config entries the version needs (a rewrite's sessionConfig). */
  sessionConfig?: Record<string, string>;
  /** Intra-op threads; default 1, so figures do not depend on what else the machine runs. */
  intraOpThreads?: number;
}

/** One version's output on every dataset row, row-major. */
export interface DatasetOutputs {
  output: string;
  columns: number;
  values: Float32Array;
}

export interface LatencyFigures {
  batch: number;
  runs: number;
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
}

export interface LatencyOptions {
  batchSizes?: number[];
  /** Timed runs per batch size; default 200 at batch 1, 50 above. */
  runs?: (batch: number) => number;
  /** Untimed runs first; default 10. */
  warmup?: number;
}

export interface VersionEvaluation {
  task: 'classification' | 'regression';
  output: string;
  metrics: OutputMetrics;
  latency: LatencyFigures[];
  size_bytes: number;
  gzip_bytes: number;
  /** The outputs themselves, to compare the next version against. */
  outputs: DatasetOutputs;
}

export interface EvaluateOptions extends SessionChoice, DatasetSelection {
  /** Which output to score; default `probabilities`, else `value`, else the first FP32 output. */
  output?: string;
  /** The outputs of the version to compare with (e.g. the parent), on the same dataset. */
  reference?: DatasetOutputs | null;
  /** Latency measurement; false skips it. */
  latency?: LatencyOptions | false;
}

/**
 * Runs a version over a dataset and scores it: accuracy or RMSE/MAE (and loss) against the target when the dataset
 * has it, agreement and max abs difference against `reference`, latency p50/p99, file and gzip size.
 *
 * @example
 * const parent = await evaluateVersion(fp32, table, {});
 * const int8 = await evaluateVersion(q.bytes, table, { sessionConfig: q.sessionConfig, reference: parent.outputs });
 * gateVerdict('quantize_int8', int8, parent);
 */
export async function evaluateVersion(
  bytes: Uint8Array,
  table: Table,
  options: EvaluateOptions = {},
): Promise<VersionEvaluation> {
  const layout = readLayout(parseParent(bytes));
  const data = modelDataset(layout, table, options);
  const model = await openSession(bytes, options);
  try {
    const outputs = await runOutputs(model, data, pickOutput(layout, options.output));
    const task =
      layout.task ?? (looksLikeProbabilities(outputs.values, outputs.columns) ? 'classification' : 'regression');
    const metrics = scoreOutputs(
      outputs.values,
      outputs.columns,
      truthOf(layout, data, task, outputs.columns),
      options.reference?.values,
    );
    const latency =
      options.latency === false ? [] : await measureLatency(model, (n) => data.feeds(0, n), options.latency);
    return {
      task,
      output: outputs.output,
      metrics,
      latency,
      size_bytes: bytes.length,
      gzip_bytes: gzipSize(bytes),
      outputs,
    };
  } finally {
    await model.close();
  }
}

export async function openSession(bytes: Uint8Array, choice: SessionChoice = {}): Promise<OnnxModel> {
  const options: SessionOptions = { intraOpThreads: choice.intraOpThreads ?? 1, interOpThreads: 1 };
  if (choice.sessionConfig) options.configEntries = choice.sessionConfig;
  return openOnnxModel(bytes, options);
}

/** `output` of every dataset row, run RUN_BATCH rows at a time. */
export async function runOutputs(model: OnnxModel, data: ModelDataset, output: string): Promise<DatasetOutputs> {
  const n = data.rows.length;
  let values: Float32Array | null = null;
  let columns = 0;
  for (let from = 0; from < n; from += RUN_BATCH) {
    const to = Math.min(n, from + RUN_BATCH);
    const [result] = await model.run(data.feeds(from, to), [output]);
    if (result?.datatype !== 'FP32') {
      throw new OptimizeError('model_unsupported', `output '${output}' is ${result?.datatype}, not FP32`);
    }
    if (!values) {
      columns = result.shape.slice(1).reduce((a, d) => a * d, 1);
      values = new Float32Array(n * columns);
    }
    values.set(result.data as Float32Array, from * columns);
  }
  return { output, columns, values: values! };
}

/** Per batch size: `runs` timed session runs on `feeds(batch)` after a warm-up; p50, p99 and mean in ms. */
export async function measureLatency(
  model: OnnxModel,
  feeds: (batch: number) => Tensor[],
  options: LatencyOptions = {},
): Promise<LatencyFigures[]> {
  const figures: LatencyFigures[] = [];
  for (const batch of options.batchSizes ?? [1, 64]) {
    const input = feeds(batch);
    const runs = options.runs?.(batch) ?? (batch === 1 ? 200 : 50);
    for (let i = 0; i < (options.warmup ?? 10); i++) await model.run(input);
    const times = new Float64Array(runs);
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await model.run(input);
      times[i] = performance.now() - t0;
    }
    times.sort();
    const at = (q: number) => times[Math.min(runs - 1, Math.max(0, Math.ceil(q * runs) - 1))]!;
    figures.push({ batch, runs, p50_ms: at(0.5), p99_ms: at(0.99), mean_ms: times.reduce((a, b) => a + b, 0) / runs });
  }
  return figures;
}

/** The output to score or learn from: `wanted`, else `probabilities`, else `value`, else the first FP32 output. */
export function pickOutput(layout: ModelLayout, wanted: string | undefined): string {
  const names = layout.outputs.map((o) => o.name);
  if (wanted) {
    if (!names.includes(wanted)) {
      throw new OptimizeError(
        'optimize_spec_invalid',
        `output: the model has no output '${wanted}' (it has ${names.join(', ')})`,
        'output',
      );
    }
    return wanted;
  }
  const found =
    ['probabilities', 'value'].find((n) => names.includes(n)) ??
    layout.outputs.find((o) => o.datatype === 'FP32')?.name;
  if (!found)
    throw new OptimizeError('model_unsupported', `the model has no FP32 output to score (it has ${names.join(', ')})`);
  return found;
}

function truthOf(layout: ModelLayout, data: ModelDataset, task: Truth['task'], columns: number): Truth {
  if (!data.targetValues) return { task };
  if (task === 'regression') return { task, targets: regressionTargets(data.targetValues, data.rows) };
  const labels = layout.classLabels ?? Array.from({ length: columns }, (_, i) => i);
  return { task, labels: encodeLabels(data.targetValues, data.rows, labels) };
}
