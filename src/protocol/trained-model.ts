// The layout of a model a training job deploys — its inputs, outputs and description — shared by the server's ONNX
// exporter (server/training/export-onnx.ts builds the graph to it) and the msw mock (which describes its trained
// versions with it), so a client sees the same model from both.
import type { TensorMetadata } from './tensor.js';

/** What decides a trained model's layout. */
export interface TrainedModelLayout {
  task: 'classification' | 'regression';
  target: string;
  /** Feature columns, in input order. */
  features: readonly string[];
  /** Per feature: the one-hot categories of a string feature, null for a number feature. */
  categories: readonly (readonly string[] | null)[];
  /** [network inputs (after one-hot encoding), hidden..., outputs]. */
  sizes: readonly number[];
  /** Classification: labels in output order; regression: null. */
  classLabels: readonly (string | number)[] | null;
}

/** Whether the model takes one input per column (it has a string feature) rather than one FP32 matrix `input`. */
export function hasStringFeature(categories: TrainedModelLayout['categories']): boolean {
  return categories.some((c) => c !== null);
}

/**
 * Numbers only: `input` FP32 [N, F]. With a string feature: one input per feature column, named after it, each [N]
 * (FP32 for numbers, BYTES for strings) — a row of mixed types has no single tensor type, and named columns are what
 * TF Serving's row format (`instances: [{ num: 1.5, color: "red" }]`) and OIP's several inputs carry.
 */
export function trainedModelInputs(layout: Pick<TrainedModelLayout, 'features' | 'categories'>): TensorMetadata[] {
  if (!hasStringFeature(layout.categories)) {
    return [{ name: 'input', datatype: 'FP32', shape: [-1, layout.features.length] }];
  }
  return layout.features.map((name, i) => ({
    name,
    datatype: layout.categories[i] ? 'BYTES' : 'FP32',
    shape: [-1],
  }));
}

/** Classification: `probabilities` FP32 [N, C] and `label` [N] (INT64 for integer labels); regression: `value`. */
export function trainedModelOutputs(classLabels: TrainedModelLayout['classLabels']): TensorMetadata[] {
  if (!classLabels) return [{ name: 'value', datatype: 'FP32', shape: [-1, 1] }];
  const numeric = classLabels.length > 0 && classLabels.every((c) => typeof c === 'number');
  return [
    { name: 'probabilities', datatype: 'FP32', shape: [-1, classLabels.length] },
    { name: 'label', datatype: numeric ? 'INT64' : 'BYTES', shape: [-1] },
  ];
}

/** What the model is and how to call it, in words (the ONNX doc_string and the model version's description). */
export function describeTrainedModel(layout: TrainedModelLayout): string {
  const head = `Predicts '${layout.target}' (${layout.task}) with a ${layout.sizes.join(' → ')} network.`;
  const output = layout.classLabels
    ? `Outputs 'probabilities' [N, ${layout.classLabels.length}] over the labels ${layout.classLabels.join(', ')} (in that order) and 'label' [N].`
    : `Output 'value' [N, 1].`;
  return `${head} ${describeInputs(layout)} ${output}`;
}

function describeInputs({ features, categories }: Pick<TrainedModelLayout, 'features' | 'categories'>): string {
  if (!hasStringFeature(categories)) {
    return `Input 'input': FP32 [N, ${features.length}], raw (unstandardized) columns in this order: ${features.join(', ')}.`;
  }
  const inputs = features.map((f, i) => {
    const cats = categories[i];
    return cats ? `'${f}' BYTES (one of ${cats.join(', ')}; any other value counts as none)` : `'${f}' FP32`;
  });
  return `Inputs, one per column, each [N]: ${inputs.join(', ')}.`;
}

const SHOWN_CATEGORIES = 10;

/** The message a training job gives for each string feature it one-hot encodes. */
export function oneHotMessage(feature: string, categories: readonly string[]): string {
  const shown = categories.slice(0, SHOWN_CATEGORIES).join(', ');
  const more = categories.length > SHOWN_CATEGORIES ? `, … ${categories.length - SHOWN_CATEGORIES} more` : '';
  return (
    `Encoding '${feature}' one-hot over its ${categories.length} categor${categories.length === 1 ? 'y' : 'ies'} ` +
    `(${shown}${more}); a value not among them counts as none of them (all zeros)`
  );
}
