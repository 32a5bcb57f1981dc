import type { Table, TableColumn } from '../../src/protocol/datasets/table.js';
import { TrainingError } from './errors.js';
import type { DataSplit, FeatureColumn, TargetColumn, Task } from './types.js';

/**
 * A parsed dataset's columns by name, as the trainer takes them: numbers with NaN for a missing cell, strings with
 * null (one-hot encoded by the trainer). Training jobs and optimisation jobs (fine-tuning, distillation, evaluation)
 * read their data through here, so a column means the same to both.
 */
export function tableColumn(table: Table, name: string): TableColumn {
  const found = table.columns.find((c) => c.name === name);
  if (!found) throw new TrainingError('training_data_invalid', `column '${name}' is not in the data`);
  return found;
}

export function featureColumns(table: Table, names: readonly string[]): FeatureColumn[] {
  return names.map((name) => tableColumn(table, name).values);
}

/** The target column; a regression needs it numeric. */
export function targetColumn(table: Table, name: string, task: Task): TargetColumn {
  const target = tableColumn(table, name);
  if (task === 'regression' && target.type !== 'number') {
    throw new TrainingError('training_data_invalid', `target '${target.name}' is not numeric`);
  }
  return target.values;
}

/** The spec's feature columns and target, by name. */
export function columnsFor(table: Table, spec: { features?: string[]; target?: string; task: Task }): DataSplit {
  return {
    features: featureColumns(table, spec.features ?? []),
    target: targetColumn(table, spec.target ?? '', spec.task),
  };
}
