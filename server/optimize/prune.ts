import type { Table } from '../../src/protocol/datasets/table.js';
import { floatValues } from '../onnx/tensor-values.js';
import type { OptimizerSpec } from '../training/types.js';
import { invalidOption } from './errors.js';
import { fineTune } from './fine-tune.js';
import { importDense } from './import-dense.js';
import { pruneByMagnitude } from './magnitude.js';
import { finishRewrite, type PassOutcome, parseParent, type RewriteResult } from './rewrite.js';
import { findWeights } from './weights.js';

/** `{ type: "prune", sparsity, scope, fine_tune? }`, with the fine-tuning dataset as a parsed table. */
export interface PruneSpec {
  type?: 'prune';
  /** Fraction of the MatMul/Gemm/Conv weights set to zero, 0 ≤ sparsity < 1. */
  sparsity: number;
  /** One magnitude threshold over every weight (`global`, default) or the same fraction per weight (`layer`). */
  scope?: 'global' | 'layer';
  /** Retrain the surviving weights (dense networks only), the pruned ones held at zero. */
  fine_tune?: FineTuneSpec | null;
}

export interface FineTuneSpec {
  /** The dataset (an optimisation job resolves its `dataset` id to the parsed table). */
  data: Table;
  /** Default: the model's metadata `target`. */
  target?: string;
  /** The model's feature columns in input order; default: its metadata, else every column but the target. */
  features?: string[];
  epochs: number;
  /** Default: the training default (Adam, lr 0.001). */
  optimizer?: OptimizerSpec;
  batch_size?: number;
  seed?: number;
}

const DENSIFIED =
  'ONNX Runtime densifies on load: the zeros are stored and multiplied like any other weight, so the file only ' +
  'shrinks once compressed (gzip_bytes) and runs no faster.';

/**
 * Magnitude-prunes a model's MatMul/Gemm/Conv weights, then optionally fine-tunes a dense network with the masks
 * held (see import-dense.ts for the graphs that can be fine-tuned). Pure apart from the training it runs.
 *
 * @example
 * const { bytes, report } = prune(parent, { sparsity: 0.9, scope: 'global', fine_tune: { data, epochs: 10 } });
 * report.gzip_ratio; // e.g. 0.15
 */
export function prune(parent: Uint8Array, spec: PruneSpec): RewriteResult {
  const { sparsity } = spec;
  if (spec.type !== undefined && spec.type !== 'prune') invalidOption('type', '"prune"', spec.type);
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity < 1)) {
    invalidOption('sparsity', 'a number from 0 to less than 1', sparsity);
  }
  const scope = spec.scope ?? 'global';
  if (scope !== 'global' && scope !== 'layer') invalidOption('scope', '"global" or "layer"', scope);
  const graph = parseParent(parent);
  // Refuse a graph that cannot be fine-tuned before spending time on it.
  if (spec.fine_tune) importDense(graph);
  const { uses, skipped } = findWeights(graph);
  const names = [...new Set(uses.map((u) => u.name))];
  const tensors = names.map((name) => ({ name, values: floatValues(graph.constant(name)!) }));
  const masks = pruneByMagnitude(tensors, sparsity, scope);
  const weights = tensors.map(({ name, values }) => {
    graph.setInitializer(name, 'FP32', uses.find((u) => u.name === name)!.dims, values);
    const kept = masks.get(name)!.reduce((n, m) => n + m, 0);
    return { name, parameters: values.length, sparsity: 1 - kept / values.length };
  });
  const outcome: PassOutcome = {
    rewritten: names,
    skipped,
    weights,
    notes: [
      `Magnitude pruning, ${scope === 'global' ? 'one threshold over all weights' : 'the same fraction per weight'}, ` +
        `to ${(sparsity * 100).toFixed(1)} % zeros; biases are not pruned.`,
      DENSIFIED,
    ],
  };
  if (spec.fine_tune) {
    outcome.fine_tune = fineTune(graph, masks, spec.fine_tune);
    outcome.notes.push('Fine-tuned with the pruned weights held at zero.');
  }
  return finishRewrite('prune', parent, graph, outcome);
}
