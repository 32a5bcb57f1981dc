import type { EpochMetrics, TrainingHyperparameters } from './types.js';

export interface MetricsInput {
  hyperparameters: TrainingHyperparameters;
  /** Distinct target values (classification); ignored for regression. */
  classCount: number;
  /** Rows trained on per epoch. */
  trainRows: number;
  /** Whether the job validates (a validation dataset, or validation_split > 0). */
  validates: boolean;
  /** Simulated duration of one epoch (the `clock.epochMs` option). */
  epochMs: number;
}

/**
 * The metrics of epoch `epoch` (1-based) of E = hyperparameters.epochs, a documented function of the spec:
 *
 *   r               = exp(-3 · epoch / E)
 *   L0              = ln(max(C, 2)) for classification with C classes, 1 for regression
 *   train_loss      = L0 · r
 *   val_loss        = 1.1 · L0 · r                                    (only when the job validates)
 *   train_accuracy  = 1 − (1 − 1/max(C, 2)) · r                       (classification only)
 *   val_accuracy    = max(0, 1 − 1.1 · (1 − 1/max(C, 2)) · r)          (classification, when the job validates)
 *   learning_rate   = optimizer.learning_rate
 *   samples_per_second = trainRows · 1000 / epochMs
 *   elapsed_ms      = epoch · epochMs
 *
 * The loss only falls, so early stopping never triggers in the mock.
 */
export function epochMetrics(input: MetricsInput, epoch: number): EpochMetrics {
  const { hyperparameters: hp, epochMs } = input;
  const classification = hp.task === 'classification';
  const classes = Math.max(input.classCount, 2);
  const r = Math.exp((-3 * epoch) / hp.epochs);
  const l0 = classification ? Math.log(classes) : 1;
  const metrics: EpochMetrics = {
    epoch,
    train_loss: l0 * r,
    learning_rate: hp.optimizer.learning_rate ?? 0,
    samples_per_second: (input.trainRows * 1000) / epochMs,
    elapsed_ms: epoch * epochMs,
  };
  if (classification) metrics.train_accuracy = 1 - (1 - 1 / classes) * r;
  if (input.validates) {
    metrics.val_loss = 1.1 * l0 * r;
    if (classification) metrics.val_accuracy = Math.max(0, 1 - 1.1 * (1 - 1 / classes) * r);
  }
  return metrics;
}
