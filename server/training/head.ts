import {
  argmaxRow,
  countCorrect,
  identityMse,
  softmaxCrossEntropy,
  softmaxDistillation,
  softmaxMse,
} from './losses.js';
import type { LossName, Task } from './types.js';

/**
 * The output head for a task and loss: classification → softmax (with cross_entropy or mse on the one-hot label),
 * regression → identity with mse. Binary classification is a 2-way softmax too, so every classifier exports alike.
 */
export interface Head {
  readonly classification: boolean;
  /**
   * Turns raw outputs Z (m×outputs) into probabilities/values in place and returns the summed per-row loss; with
   * `grad`, writes scale·∂loss/∂Z there. `labels` (classification) or `targets` (regression) hold the m rows' truth.
   */
  apply(
    Z: Float64Array,
    labels: Int32Array,
    targets: Float64Array,
    m: number,
    grad: Float64Array | null,
    scale: number,
  ): number;
  /**
   * Rows (of m) whose most probable class is the label; 0 for regression. Distillation: the label, or for an
   * unlabelled row the teacher's most probable class (`targets` holds the teacher's rows).
   */
  correct(P: Float64Array, labels: Int32Array, m: number, targets?: Float64Array): number;
}

export function createHead(task: Task, loss: LossName, outputs: number): Head {
  if (task === 'regression') {
    return {
      classification: false,
      apply: (Z, _labels, targets, m, grad, scale) => identityMse(Z, targets, m, outputs, grad, scale),
      correct: () => 0,
    };
  }
  const fn = loss === 'cross_entropy' ? softmaxCrossEntropy : softmaxMse;
  return {
    classification: true,
    apply: (Z, labels, _targets, m, grad, scale) => fn(Z, labels, m, outputs, grad, scale),
    correct: (P, labels, m) => countCorrect(P, labels, m, outputs),
  };
}

/**
 * The distillation head (see softmaxDistillation): `targets` carries the teacher's softened probabilities, m×outputs,
 * and a label < 0 marks a row without a hard label.
 */
export function createDistillationHead(outputs: number, temperature: number, alpha: number): Head {
  return {
    classification: true,
    apply: (Z, labels, soft, m, grad, scale) =>
      softmaxDistillation(Z, labels, soft, m, outputs, grad, scale, temperature, alpha),
    correct: (P, labels, m, soft) => {
      let correct = 0;
      for (let r = 0; r < m; r++) {
        const o = r * outputs;
        const truth = labels[r]! >= 0 ? labels[r]! : argmaxRow(soft!, o, outputs);
        if (argmaxRow(P, o, outputs) === truth) correct++;
      }
      return correct;
    },
  };
}
