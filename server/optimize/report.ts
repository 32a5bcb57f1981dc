// What a rewrite did, in figures: parameters, sparsity, size and gzip size before and after, opset and IR written.
// Snake_case, as an optimisation job will return it on the wire.
import { gzipSync } from 'node:zlib';
import { ModelGraph } from '../onnx/model-graph.js';
import { type ConstantValues, isExternal, tensorValues } from '../onnx/tensor-values.js';
import type { EpochMetrics } from '../training/types.js';
import type { SkippedNode } from './weights.js';

const STRING = 8;
const FLOAT16 = 10;

/** One model's figures. */
export interface ModelStats {
  /** Elements of every numeric initializer (weights, biases, scales, tables; not string labels). */
  parameters: number;
  /** Fraction of those elements that are exactly zero (a quantised zero counts when its integer is 0). */
  sparsity: number;
  size_bytes: number;
  /** gzip (zlib level 6, `gzip`'s default) of the model file: what zeros save on disk and on the wire. */
  gzip_bytes: number;
  opset: number;
  ir_version: number;
}

export interface BeforeAfter<T> {
  before: T;
  after: T;
}

export interface RewriteReport {
  method: 'quantize' | 'prune' | 'distill';
  parameters: BeforeAfter<number>;
  sparsity: BeforeAfter<number>;
  size_bytes: BeforeAfter<number>;
  gzip_bytes: BeforeAfter<number>;
  /** after ÷ before. */
  size_ratio: number;
  gzip_ratio: number;
  /** The standard-domain opset and IR version of the written model. */
  opset: number;
  ir_version: number;
  /** Nodes rewritten (quantise) or weights changed (prune). */
  rewritten: string[];
  skipped: SkippedNode[];
  /** What a reader should know about the result: what was chosen and why, what it does not do. */
  notes: string[];
  /** Pruning: each weight's size and sparsity after the rewrite. */
  weights?: { name: string; parameters: number; sparsity: number }[];
  /** Pruning with fine-tuning: how the retraining went. */
  fine_tune?: FineTuneReport;
}

/** The retraining of a pruned network with its masks held (server/training with a preset). */
export interface FineTuneReport {
  epochs: number;
  /** Rows the trainer used. */
  rows: number;
  features: string[];
  target: string;
  /** Per epoch, as a training job reports them. */
  history: EpochMetrics[];
  /** The trainer's messages (what it dropped, what it encoded). */
  messages: string[];
}

export function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 6 }).length;
}

export function modelStats(bytes: Uint8Array): ModelStats {
  const graph = ModelGraph.parse(bytes);
  let parameters = 0;
  let zeros = 0;
  for (const t of graph.graph.initializer ?? []) {
    if (t.dataType === STRING || isExternal(t)) continue;
    const values = tensorValues(t) as Exclude<ConstantValues, Uint8Array[]>;
    const fp16 = t.dataType === FLOAT16;
    parameters += values.length;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      // ±0 in half bits is 0x0000 or 0x8000.
      if (fp16 ? ((v as number) & 0x7fff) === 0 : v === 0 || v === 0n) zeros++;
    }
  }
  return {
    parameters,
    sparsity: parameters > 0 ? zeros / parameters : 0,
    size_bytes: bytes.length,
    gzip_bytes: gzipSize(bytes),
    opset: graph.opset('') ?? 0,
    ir_version: graph.irVersion,
  };
}

/** The report of a rewrite from `before` to `after` bytes. */
export function rewriteReport(
  method: RewriteReport['method'],
  before: Uint8Array,
  after: Uint8Array,
  details: { rewritten: string[]; skipped: SkippedNode[]; notes: string[] } & Pick<
    RewriteReport,
    'weights' | 'fine_tune'
  >,
): RewriteReport {
  const a = modelStats(before);
  const b = modelStats(after);
  return {
    method,
    parameters: { before: a.parameters, after: b.parameters },
    sparsity: { before: a.sparsity, after: b.sparsity },
    size_bytes: { before: a.size_bytes, after: b.size_bytes },
    gzip_bytes: { before: a.gzip_bytes, after: b.gzip_bytes },
    size_ratio: b.size_bytes / a.size_bytes,
    gzip_ratio: b.gzip_bytes / a.gzip_bytes,
    opset: b.opset,
    ir_version: b.ir_version,
    rewritten: details.rewritten,
    skipped: details.skipped,
    notes: details.notes,
    ...(details.weights ? { weights: details.weights } : {}),
    ...(details.fine_tune ? { fine_tune: details.fine_tune } : {}),
  };
}
