// Which data a version is evaluated on: a dataset, its target column and the feature columns (default: the model's
// metadata, else every column but the target). The optimisation form and the model page's evaluation use it.
import { useEffect } from 'preact/hooks';
import type { Dataset } from '../../../../src/index.js';
import { DatasetOptions } from './dataset-options.js';
import { FeaturePicker } from './feature-picker.js';
import { Field } from './form-fields.js';

export interface EvaluationData {
  dataset: string;
  target: string;
  /** null for the default. */
  features: string[] | null;
}

export function EvaluationDataFields({
  datasets,
  value,
  onChange,
  prefix,
  errors = {},
}: {
  datasets: Dataset[];
  value: EvaluationData;
  onChange(value: EvaluationData): void;
  /** Ids are `${prefix}-dataset`, `${prefix}-target`. */
  prefix: string;
  errors?: Partial<Record<keyof EvaluationData, string>>;
}) {
  const dataset = datasets.find((d) => d.id === value.dataset);
  // Start from the first dataset and its last column (the usual place of the label).
  useEffect(() => {
    if (!value.dataset && datasets[0]) onChange({ ...value, dataset: datasets[0].id });
  }, [datasets, value.dataset]);
  useEffect(() => {
    if (dataset && !dataset.columns.some((c) => c.name === value.target))
      onChange({ ...value, target: dataset.columns.at(-1)?.name ?? '', features: null });
  }, [dataset, value.target]);
  const candidates = dataset?.columns.map((c) => c.name).filter((n) => n !== value.target) ?? [];
  return (
    <>
      <Field id={`${prefix}-dataset`} label="Evaluation dataset" error={errors.dataset}>
        <select
          id={`${prefix}-dataset`}
          value={value.dataset}
          onChange={(e) => onChange({ ...value, dataset: e.currentTarget.value })}
        >
          <option value="" disabled>
            Choose a dataset
          </option>
          <DatasetOptions datasets={datasets} />
        </select>
      </Field>
      <Field id={`${prefix}-target`} label="Target column" error={errors.target}>
        <select
          id={`${prefix}-target`}
          value={value.target}
          onChange={(e) => onChange({ ...value, target: e.currentTarget.value })}
        >
          {dataset?.columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.type})
            </option>
          ))}
        </select>
      </Field>
      {dataset && (
        <FeaturePicker
          candidates={candidates}
          features={value.features}
          onChange={(features) => onChange({ ...value, features })}
          defaultText="the model's feature metadata, else every column but the target"
          error={errors.features}
        />
      )}
    </>
  );
}
