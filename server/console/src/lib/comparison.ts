// Two versions' figures side by side (an optimisation job's parent and candidate, or two evaluated versions): one row
// per figure with both raw values (what the tests compare with the API) and how they read, and the change from the
// reference (the first column) to the other. A figure neither version has (RMSE of a classifier) is left out.
import type { EvaluationFigures, OptimizationReport } from '../../../../src/index.js';
import { formatBytes, formatMs, formatNumber } from './format.js';

export type FigureKind = 'share' | 'number' | 'ms' | 'bytes' | 'count';

export interface ComparisonRow {
  key: string;
  label: string;
  kind: FigureKind;
  /** The reference's value and the other's; null where the figure does not apply. */
  values: [number | null, number | null];
  /** How each value reads ('–' for null). */
  text: [string, string];
  /** The other against the reference: '+1.50 pt' for shares, '×0.27' for the rest; '' when either is missing. */
  change: string;
}

/** The figures both tables have, read from an evaluation. */
type Figures = Pick<
  EvaluationFigures,
  | 'accuracy'
  | 'rmse'
  | 'mae'
  | 'loss'
  | 'agreement'
  | 'max_abs_diff'
  | 'mean_abs_diff'
  | 'latency'
  | 'size_bytes'
  | 'gzip_bytes'
>;

/**
 * One figure as it reads.
 *
 * @example formatFigure('share', 0.8333) // '83.33 %'
 */
export function formatFigure(kind: FigureKind, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (kind) {
    case 'share':
      return `${(value * 100).toFixed(2)} %`;
    case 'ms':
      return formatMs(value);
    case 'bytes':
      return value < 1024 ? `${value} B` : `${formatBytes(value)} (${value} B)`;
    case 'count':
      return String(value);
    default:
      return formatNumber(value);
  }
}

/**
 * The other value against the reference.
 *
 * @example changeOf('share', 0.9, 0.885) // '−1.50 pt'
 * @example changeOf('bytes', 2000, 500) // '×0.250'
 */
export function changeOf(kind: FigureKind, reference: number | null, other: number | null): string {
  if (reference === null || other === null || !Number.isFinite(reference) || !Number.isFinite(other)) return '';
  if (kind === 'share') {
    const pt = (other - reference) * 100;
    return `${pt < 0 ? '−' : '+'}${Math.abs(pt).toFixed(2)} pt`;
  }
  if (reference === 0) return other === 0 ? '×1' : '';
  return `×${formatNumber(Number((other / reference).toPrecision(3)))}`;
}

function row(key: string, label: string, kind: FigureKind, a: number | null, b: number | null): ComparisonRow {
  return {
    key,
    label,
    kind,
    values: [a, b],
    text: [formatFigure(kind, a), formatFigure(kind, b)],
    change: changeOf(kind, a, b),
  };
}

const latencyOf = (f: Figures, batch: number) => f.latency.find((l) => l.batch === batch);

/** The rows of two evaluations: quality, agreement and differences, latency per batch size, size. */
export function figureRows(reference: Figures, other: Figures): ComparisonRow[] {
  const rows = [
    row('accuracy', 'Accuracy', 'share', reference.accuracy, other.accuracy),
    row('rmse', 'RMSE', 'number', reference.rmse, other.rmse),
    row('mae', 'MAE', 'number', reference.mae, other.mae),
    row('loss', 'Loss', 'number', reference.loss, other.loss),
    row('agreement', 'Agreement', 'share', reference.agreement, other.agreement),
    row('max_abs_diff', 'Max abs diff', 'number', reference.max_abs_diff, other.max_abs_diff),
    row('mean_abs_diff', 'Mean abs diff', 'number', reference.mean_abs_diff, other.mean_abs_diff),
  ];
  const batches = [...new Set([...reference.latency, ...other.latency].map((l) => l.batch))].sort((a, b) => a - b);
  for (const batch of batches) {
    for (const p of ['p50', 'p99'] as const) {
      const field = `${p}_ms` as const;
      rows.push(
        row(
          `latency_${p}_b${batch}`,
          `Latency ${p}, batch ${batch}`,
          'ms',
          latencyOf(reference, batch)?.[field] ?? null,
          latencyOf(other, batch)?.[field] ?? null,
        ),
      );
    }
  }
  rows.push(
    row('size_bytes', 'Size', 'bytes', reference.size_bytes, other.size_bytes),
    row('gzip_bytes', 'Size gzipped', 'bytes', reference.gzip_bytes, other.gzip_bytes),
  );
  return rows.filter((r) => r.values[0] !== null || r.values[1] !== null);
}

/** An optimisation report's rows: the figures of parent and candidate, then parameters and sparsity. */
export function reportRows(report: OptimizationReport): ComparisonRow[] {
  return [
    ...figureRows(report.parent, report.candidate),
    row('parameters', 'Parameters', 'count', report.parameters.before, report.parameters.after),
    row('sparsity', 'Sparsity', 'share', report.sparsity.before, report.sparsity.after),
  ];
}
