// The mock's evaluation and optimisation figures: documented constants and functions of the spec, as the fake model
// is (no model runs here). docs/optimization.md lists them too.
import type { ResolvedMethod } from '../protocol/optimization-spec.js';
import type { EvaluationFigures } from './types.js';

/**
 * A version's figures on a dataset in the mock:
 * - classification (the version has a `probabilities` output): accuracy 0.95, loss 0.15;
 * - regression: RMSE 0.5, MAE 0.4, loss (MSE) 0.25;
 * - latency: batch 1 p50 0.05 ms, p99 0.1 ms, mean 0.06 ms (200 runs); batch 64 p50 0.4 ms, p99 0.8 ms, mean 0.45 ms
 *   (50 runs);
 * - gzip_bytes = round(0.9 · size_bytes).
 */
export const FAKE_EVALUATION = {
  accuracy: 0.95,
  loss: 0.15,
  rmse: 0.5,
  mae: 0.4,
  mse: 0.25,
  latency: [
    { batch: 1, runs: 200, p50_ms: 0.05, p99_ms: 0.1, mean_ms: 0.06 },
    { batch: 64, runs: 50, p50_ms: 0.4, p99_ms: 0.8, mean_ms: 0.45 },
  ],
  gzipRatio: 0.9,
} as const;

/** Against `compare_to`: the same version agrees fully (1, 0, 0); another one 0.98, max 0.02, mean 0.002. */
export const FAKE_COMPARISON = { agreement: 0.98, max_abs_diff: 0.02, mean_abs_diff: 0.002 } as const;

/** What a method does to the figures in the mock (candidate = parent × or − these). */
export interface FakeEffect {
  size: number;
  gzip: number;
  /** Latency multiplier at batch 1 and at batch 64. */
  latency: [number, number];
  parameters: number;
  sparsity: number;
  agreement: number;
  accuracyDropPt: number;
  rmseIncrease: number;
  maxAbsDiff: number;
  meanAbsDiff: number;
}

/**
 * Per method (s = sparsity):
 *
 * | method | size | gzip | latency b1, b64 | agreement | accuracy drop | RMSE × | max abs diff |
 * | --- | --- | --- | --- | --- | --- | --- | --- |
 * | int8 dynamic | 0.27 | 0.25 | 0.3, 0.5 | 0.998 | 0.1 pt | 1.01 | 0.004 |
 * | int8 weight-only | 0.27 | 0.25 | 1, 1 | 0.999 | 0.05 pt | 1.005 | 0.002 |
 * | fp16 | 0.5 | 0.5 | 1, 1 | 1 | 0 | 1 | 0.0005 |
 * | prune | 1 | 1 − 0.85 s | 1, 1 | 1 − 0.1 s | 2 s pt (0.5 s fine-tuned) | 1 + 0.05 s | 0.1 s |
 * | distill | 0.2 | 0.2 | 0.3, 0.3 | 0.97 | 1 pt | 1.05 | 0.05 |
 *
 * Mean abs diff is a tenth of the max; parameters scale as the size (pruning keeps them, zeroing s of them).
 */
export function fakeEffect(method: ResolvedMethod): FakeEffect {
  const effect = (
    size: number,
    gzip: number,
    latency: [number, number],
    agreement: number,
    drop: number,
    rmse: number,
    maxAbsDiff: number,
    sparsity = 0,
  ): FakeEffect => ({
    size,
    gzip,
    latency,
    parameters: method.type === 'prune' ? 1 : size,
    sparsity,
    agreement,
    accuracyDropPt: drop,
    rmseIncrease: rmse - 1,
    maxAbsDiff,
    meanAbsDiff: maxAbsDiff / 10,
  });
  switch (method.type) {
    case 'quantize':
      if (method.precision === 'fp16') return effect(0.5, 0.5, [1, 1], 1, 0, 1, 0.0005);
      return method.mode === 'dynamic'
        ? effect(0.27, 0.25, [0.3, 0.5], 0.998, 0.1, 1.01, 0.004)
        : effect(0.27, 0.25, [1, 1], 0.999, 0.05, 1.005, 0.002);
    case 'prune': {
      const s = method.sparsity;
      const drop = (method.fine_tune ? 0.5 : 2) * s;
      return effect(1, 1 - 0.85 * s, [1, 1], 1 - 0.1 * s, drop, 1 + 0.05 * s, 0.1 * s, s);
    }
    default:
      return effect(0.2, 0.2, [0.3, 0.3], 0.97, 1, 1.05, 0.05);
  }
}

/** The parent's figures on `rows` rows of the dataset (no reference: agreement and differences are null). */
export function parentFigures(
  task: 'classification' | 'regression',
  base: Pick<EvaluationFigures, 'output' | 'target' | 'features' | 'rows' | 'labelled_rows' | 'size_bytes'>,
): EvaluationFigures {
  const e = FAKE_EVALUATION;
  const classification = task === 'classification';
  return {
    task,
    ...base,
    accuracy: classification ? e.accuracy : null,
    loss: classification ? e.loss : e.mse,
    rmse: classification ? null : e.rmse,
    mae: classification ? null : e.mae,
    agreement: null,
    max_abs_diff: null,
    mean_abs_diff: null,
    latency: e.latency.map((l) => ({ ...l })),
    gzip_bytes: Math.round(e.gzipRatio * base.size_bytes),
  };
}

/** The candidate's figures: the parent's changed by the method's effect, compared with the parent. */
export function candidateFigures(parent: EvaluationFigures, effect: FakeEffect): EvaluationFigures {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  const classification = parent.task === 'classification';
  const size = Math.round(parent.size_bytes * effect.size);
  return {
    ...parent,
    accuracy: parent.accuracy === null ? null : round(parent.accuracy - effect.accuracyDropPt / 100),
    rmse: parent.rmse === null ? null : round(parent.rmse * (1 + effect.rmseIncrease)),
    mae: parent.mae === null ? null : round(parent.mae * (1 + effect.rmseIncrease)),
    agreement: classification ? effect.agreement : null,
    max_abs_diff: effect.maxAbsDiff,
    mean_abs_diff: effect.meanAbsDiff,
    latency: parent.latency.map((l, i) => {
      const k = effect.latency[i === 0 ? 0 : 1];
      return { ...l, p50_ms: round(l.p50_ms * k), p99_ms: round(l.p99_ms * k), mean_ms: round(l.mean_ms * k) };
    }),
    size_bytes: size,
    gzip_bytes: Math.round(parent.gzip_bytes * effect.gzip),
  };
}
