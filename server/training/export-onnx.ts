import {
  describeTrainedModel,
  hasStringFeature,
  type TrainedModelLayout,
  trainedModelInputs,
} from '../../src/protocol/trained-model.js';
import { MODEL_OUTPUT_NAMES } from '../../src/protocol/training-spec.js';
import { attr } from '../onnx/attributes.js';
import { GraphBuilder } from '../onnx/builder.js';
import type { ExportedModel } from './types.js';

const OPSET = 13;
/** ai.onnx.ml's LabelEncoder takes keys_strings / values_int64s from version 2. */
const ML_OPSET = 2;
const BATCH = 'N';
const FLOAT = 1; // TensorProto.DataType.FLOAT, Cast's `to`

export interface OnnxExportOptions {
  /** Graph name (default: 'maas_<task>'). */
  name?: string;
  /** Extra metadata_props entries (e.g. the training job id). */
  metadata?: Record<string, string>;
}

/**
 * The trained network as an ONNX model (opset 13, dynamic batch):
 *
 *   input        numeric features only: `input` FP32 [N, F], raw features, columns in `featureNames` order;
 *                with a string feature: one input per feature, named after its column, each [N] — FP32 for a
 *                number column, BYTES for a string column (a row of mixed types has no single tensor type)
 *   one-hot      per string input: ai.onnx.ml LabelEncoder (category → its index, anything else → −1), then
 *                Equal against 0..K−1 and Cast: K float columns, all zero for a category not seen in training
 *   (x − mean) / std          Sub, Div with the training split's statistics, so callers send raw values
 *   per layer    Gemm, then Relu | Tanh | Sigmoid | Softmax(axis 1)
 *   outputs      classification: `probabilities` FP32 [N, C] and `label` [N] — ArgMax, then Gather from the
 *                constant label tensor (BYTES for string labels, INT64 for integer labels);
 *                regression: `value` FP32 [N, 1]
 *
 * The feature order, categories, target and labels are also written to the doc_string and metadata_props.
 */
export function exportOnnx(model: ExportedModel, options: OnnxExportOptions = {}): Uint8Array {
  const g = new GraphBuilder(options.name ?? `maas_${model.task}`);
  const perColumn = hasStringFeature(model.categories);
  const name = internalNames(perColumn ? model.featureNames : []);
  let x = perColumn ? encodedInputs(g, model) : g.input('input', 'FP32', [BATCH, model.featureNames.length]);
  const width = model.mean.length;
  x = g.node('Sub', [x, g.initializer(name('feature_mean'), 'FP32', [width], model.mean)]);
  x = g.node('Div', [x, g.initializer(name('feature_std'), 'FP32', [width], model.std)]);
  model.layers.forEach((layer, i) => {
    const w = g.initializer(name(`layer${i}_W`), 'FP32', [layer.inputs, layer.outputs], layer.W);
    const b = g.initializer(name(`layer${i}_b`), 'FP32', [layer.outputs], layer.b);
    x = g.node('Gemm', [x, w, b], {}, { name: `layer${i}_gemm` });
    const op = activationOps[layer.activation];
    if (op)
      x = g.node(op, [x], layer.activation === 'softmax' ? { axis: 1 } : {}, { name: `layer${i}_${layer.activation}` });
  });
  const outputs = model.layers[model.layers.length - 1]!.outputs;

  if (model.classLabels) {
    const probabilities = g.output(x, 'probabilities', 'FP32', [BATCH, outputs]);
    const index = g.node('ArgMax', [probabilities], { axis: 1, keepdims: 0 });
    const labels = model.classLabels;
    const numeric = typeof labels[0] === 'number';
    const table = numeric
      ? g.initializer(
          name('class_labels'),
          'INT64',
          [labels.length],
          (labels as number[]).map((v) => BigInt(v)),
        )
      : g.initializer(name('class_labels'), 'BYTES', [labels.length], labels as string[]);
    const label = g.node('Gather', [table, index], { axis: 0 });
    g.output(label, 'label', numeric ? 'INT64' : 'BYTES', [BATCH]);
  } else {
    g.output(x, 'value', 'FP32', [BATCH, outputs]);
  }

  const categories = Object.fromEntries(
    model.featureNames.flatMap((f, i) => (model.categories[i] ? [[f, model.categories[i]]] : [])),
  );
  return g.toModel({
    opset: OPSET,
    ...(perColumn ? { opsetImports: { 'ai.onnx.ml': ML_OPSET } } : {}),
    docString: describeModel(model),
    metadata: {
      task: model.task,
      target: model.target,
      features: JSON.stringify(model.featureNames),
      ...(perColumn ? { categories: JSON.stringify(categories) } : {}),
      ...(model.classLabels ? { labels: JSON.stringify(model.classLabels) } : {}),
      ...options.metadata,
    },
  });
}

/** One input per feature (as trainedModelInputs lays them out); numbers as a column, strings one-hot; concatenated. */
function encodedInputs(g: GraphBuilder, model: ExportedModel): string {
  const clash = model.featureNames.find((f) => MODEL_OUTPUT_NAMES.includes(f));
  if (clash) throw new RangeError(`exportOnnx: feature '${clash}' would be an input named like an output`);
  const axis1 = g.constant('INT64', [1], [1n]);
  const inputs = trainedModelInputs({ features: model.featureNames, categories: model.categories });
  const parts = inputs.map((meta, i) => {
    const input = g.input(meta.name, meta.datatype, [BATCH]);
    const categories = model.categories[i];
    if (!categories) return g.node('Unsqueeze', [input, axis1]);
    const index = g.node(
      'LabelEncoder',
      [input],
      {
        keys_strings: attr.strings(categories),
        values_int64s: attr.ints(categories.map((_, k) => k)),
        default_int64: attr.int(-1),
      },
      { domain: 'ai.onnx.ml' },
    );
    const codes = g.constant(
      'INT64',
      [categories.length],
      categories.map((_, k) => BigInt(k)),
    );
    const hot = g.node('Equal', [g.node('Unsqueeze', [index, axis1]), codes]);
    return g.node('Cast', [hot], { to: FLOAT });
  });
  return parts.length === 1 ? parts[0]! : g.node('Concat', parts, { axis: 1 });
}

/** Fixed value names, made unique against the inputs' (column) names, which the caller picks. */
function internalNames(taken: readonly string[]): (base: string) => string {
  const used = new Set(taken);
  return (base) => {
    let name = base;
    while (used.has(name)) name = `_${name}`;
    used.add(name);
    return name;
  };
}

const activationOps: Record<ExportedModel['layers'][number]['activation'], string | null> = {
  relu: 'Relu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  softmax: 'Softmax',
  identity: null,
};

/** What the model is and how to call it, in words (the model's doc_string and the version's description). */
export function describeModel(model: ExportedModel): string {
  return describeTrainedModel(layoutOf(model));
}

/** The exported model's layout (inputs, outputs, sizes) as the contract describes trained models. */
export function layoutOf(model: ExportedModel): TrainedModelLayout {
  return {
    task: model.task,
    target: model.target,
    features: model.featureNames,
    categories: model.categories,
    sizes: [model.layers[0]!.inputs, ...model.layers.map((l) => l.outputs)],
    classLabels: model.classLabels,
  };
}
