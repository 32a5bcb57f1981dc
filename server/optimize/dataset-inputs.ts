// A dataset (a parsed table) as a model's inputs: the model's feature columns by name, rows with every feature
// present (the trainer's rule, server/training/encode.ts), and OIP tensors in the model's own input layout — one FP32
// [N, F] matrix, or one [N] tensor per column (FP32 numbers, BYTES strings) as the server's export with string
// features takes them.
import type { Table } from '../../src/protocol/datasets/table.js';
import type { Tensor } from '../../src/protocol/tensor.js';
import { isMissingCell } from '../training/encode.js';
import { TrainingError } from '../training/errors.js';
import { featureColumns } from '../training/table-columns.js';
import type { FeatureColumn, TargetColumn } from '../training/types.js';
import { OptimizeError } from './errors.js';
import type { ModelLayout } from './model-layout.js';

export interface DatasetSelection {
  /** Feature columns in the model's input order; default: the model's metadata, else every column but the target. */
  features?: string[];
  /** The target column; default the model's metadata `target`; null for none (unlabelled data). */
  target?: string | null;
}

export interface ModelDataset {
  features: string[];
  target: string | null;
  /** The table's feature columns (every row), for the trainer. */
  columns: FeatureColumn[];
  /** The target column (every row), or null. */
  targetValues: TargetColumn | null;
  /** Table rows with every feature present: the rows the model is run on. */
  rows: Int32Array;
  /** The model's input tensors for rows[from..to), wrapping around past the last row (for a batch larger than it). */
  feeds(from: number, to: number): Tensor[];
}

export function modelDataset(layout: ModelLayout, table: Table, selection: DatasetSelection = {}): ModelDataset {
  const target = selection.target === undefined ? layout.target : selection.target;
  const matrix = layout.inputs.length === 1 && layout.inputs[0]!.shape?.length === 2;
  const perColumn = !matrix && layout.inputs.every((i) => i.shape?.length === 1);
  if (!matrix && !perColumn) {
    const seen = layout.inputs.map((i) => `${i.name} [${i.shape?.join(', ') ?? '?'}]`).join(', ');
    throw new OptimizeError(
      'model_unsupported',
      `building inputs from a dataset needs one [N, F] input or one [N] input per column; the model takes ${seen}`,
    );
  }
  const features = perColumn ? layout.inputs.map((i) => i.name) : matrixFeatures(layout, table, selection, target);
  const columns = dataColumns(table, features);
  const targetValues = target === null ? null : dataColumns(table, [target])[0]!;
  const keep: number[] = [];
  for (let r = 0; r < table.rows; r++) if (columns.every((c) => !isMissingCell(c, r))) keep.push(r);
  const rows = Int32Array.from(keep);
  if (rows.length === 0)
    throw new OptimizeError('optimize_data_invalid', 'no row of the dataset has every feature value');
  return {
    features,
    target,
    columns,
    targetValues,
    rows,
    feeds: matrix ? matrixFeeds(layout.inputs[0]!.name, columns, rows, features) : columnFeeds(layout, columns, rows),
  };
}

function matrixFeatures(
  layout: ModelLayout,
  table: Table,
  selection: DatasetSelection,
  target: string | null,
): string[] {
  const width = layout.inputs[0]!.shape![1]!;
  const features =
    selection.features ?? layout.features ?? table.columns.map((c) => c.name).filter((name) => name !== target);
  if (width >= 0 && features.length !== width) {
    const where = selection.features ? 'features' : layout.features ? "the model's metadata" : 'the dataset';
    throw new OptimizeError(
      'optimize_data_invalid',
      `the model's input '${layout.inputs[0]!.name}' takes ${width} features; ${where} gives ${features.length}` +
        (selection.features ? '' : ' (name them with features)'),
      selection.features ? 'features' : undefined,
    );
  }
  return features;
}

/** Columns by name, with the trainer's lookup (and its message for a missing column). */
function dataColumns(table: Table, names: readonly string[]): FeatureColumn[] {
  try {
    return featureColumns(table, names);
  } catch (err) {
    if (err instanceof TrainingError) throw new OptimizeError('optimize_data_invalid', err.message);
    throw err;
  }
}

function matrixFeeds(name: string, columns: FeatureColumn[], rows: Int32Array, features: string[]) {
  columns.forEach((c, i) => {
    if (!ArrayBuffer.isView(c)) {
      throw new OptimizeError(
        'optimize_data_invalid',
        `column '${features[i]}' holds strings; the model takes numbers`,
      );
    }
  });
  const numeric = columns as Float64Array[];
  const width = columns.length;
  return (from: number, to: number): Tensor[] => {
    const data = new Float32Array((to - from) * width);
    for (let i = from; i < to; i++) {
      const r = rows[i % rows.length]!;
      for (let c = 0; c < width; c++) data[(i - from) * width + c] = numeric[c]![r]!;
    }
    return [{ name, datatype: 'FP32', shape: [to - from, width], data }];
  };
}

function columnFeeds(layout: ModelLayout, columns: FeatureColumn[], rows: Int32Array) {
  return (from: number, to: number): Tensor[] =>
    layout.inputs.map((input, c): Tensor => {
      const column = columns[c]!;
      const n = to - from;
      if (input.datatype === 'BYTES') {
        const data = Array.from({ length: n }, (_, i) =>
          String((column as ArrayLike<unknown>)[rows[(from + i) % rows.length]!]),
        );
        return { name: input.name, datatype: 'BYTES', shape: [n], data };
      }
      if (!ArrayBuffer.isView(column)) {
        throw new OptimizeError(
          'optimize_data_invalid',
          `column '${input.name}' holds strings; the model takes numbers`,
        );
      }
      const data = Float32Array.from(
        { length: n },
        (_, i) => (column as Float64Array)[rows[(from + i) % rows.length]!]!,
      );
      return { name: input.name, datatype: 'FP32', shape: [n], data };
    });
}
