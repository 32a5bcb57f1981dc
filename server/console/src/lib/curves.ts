// A training job's curves, per epoch, grown from its metrics events as they arrive (live over SSE, or replayed from
// the start for a finished job). The arrays are uPlot's data columns: epoch on x, one array per series, null where an
// epoch has no value (no validation split, a regression has no accuracy).
import type { EpochMetrics } from '../../../../src/index.js';

export const LOSS_SERIES = ['train_loss', 'val_loss'] as const;
export const ACCURACY_SERIES = ['train_accuracy', 'val_accuracy'] as const;
type SeriesName = (typeof LOSS_SERIES)[number] | (typeof ACCURACY_SERIES)[number];

export interface Curves {
  epochs: number[];
  series: Record<SeriesName, (number | null)[]>;
}

export function emptyCurves(): Curves {
  return { epochs: [], series: { train_loss: [], val_loss: [], train_accuracy: [], val_accuracy: [] } };
}

/** Appends one epoch; an epoch at or before the last one is a replay and is skipped. Returns whether it was added. */
export function addEpoch(curves: Curves, metrics: EpochMetrics): boolean {
  const last = curves.epochs.at(-1);
  if (last !== undefined && metrics.epoch <= last) return false;
  curves.epochs.push(metrics.epoch);
  for (const name of [...LOSS_SERIES, ...ACCURACY_SERIES]) {
    const value = metrics[name];
    curves.series[name].push(typeof value === 'number' && Number.isFinite(value) ? value : null);
  }
  return true;
}

/** Whether a series has any value (a chart leaves out the ones that have none). */
export function hasValues(values: readonly (number | null)[]): boolean {
  return values.some((v) => v !== null);
}
