import { GraphBuilder } from '../onnx/builder.js';
import type { ExportedModel } from './types.js';

const OPSET = 13;
const BATCH = 'N';

export interface OnnxExportOptions {
  /** Graph name (default: 'maas_<task>'). */
  name?: string;
  /** Extra metadata_props entries (e.g. the training job id). */
  metadata?: Record<string, string>;
}

/**
 * The trained network as an ONNX model (opset 13, dynamic batch):
 *
 *   input        FP32 [N, F]  raw features, columns in `featureNames` order
 *   (input − mean) / std      Sub, Div with the training split's statistics, so callers send raw values
 *   per layer    Gemm, then Relu | Tanh | Sigmoid | Softmax(axis 1)
 *   outputs      classification: `probabilities` FP32 [N, C] and `label` [N] — ArgMax, then Gather from the
 *                constant label tensor (BYTES for string labels, INT64 for integer labels);
 *                regression: `value` FP32 [N, 1]
 *
 * The feature order, target and labels are also written to the model's doc_string and metadata_props.
 */
export function exportOnnx(model: ExportedModel, options: OnnxExportOptions = {}): Uint8Array {
  const features = model.featureNames.length;
  const g = new GraphBuilder(options.name ?? `maas_${model.task}`);
  let x = g.input('input', 'FP32', [BATCH, features]);
  x = g.node('Sub', [x, g.initializer('feature_mean', 'FP32', [features], model.mean)]);
  x = g.node('Div', [x, g.initializer('feature_std', 'FP32', [features], model.std)]);
  model.layers.forEach((layer, i) => {
    const w = g.initializer(`layer${i}_W`, 'FP32', [layer.inputs, layer.outputs], layer.W);
    const b = g.initializer(`layer${i}_b`, 'FP32', [layer.outputs], layer.b);
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
          'class_labels',
          'INT64',
          [labels.length],
          (labels as number[]).map((v) => BigInt(v)),
        )
      : g.initializer('class_labels', 'BYTES', [labels.length], labels as string[]);
    const label = g.node('Gather', [table, index], { axis: 0 });
    g.output(label, 'label', numeric ? 'INT64' : 'BYTES', [BATCH]);
  } else {
    g.output(x, 'value', 'FP32', [BATCH, outputs]);
  }

  return g.toModel({
    opset: OPSET,
    docString: describeModel(model),
    metadata: {
      task: model.task,
      target: model.target,
      features: JSON.stringify(model.featureNames),
      ...(model.classLabels ? { labels: JSON.stringify(model.classLabels) } : {}),
      ...options.metadata,
    },
  });
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
  const shape = [model.featureNames.length, ...model.layers.map((l) => l.outputs)].join(' → ');
  const head = `Predicts '${model.target}' (${model.task}) with a ${shape} network.`;
  const input = `Input 'input': FP32 [N, ${model.featureNames.length}], raw (unstandardized) columns in this order: ${model.featureNames.join(', ')}.`;
  const output = model.classLabels
    ? `Outputs 'probabilities' [N, ${model.classLabels.length}] over the labels ${model.classLabels.join(', ')} (in that order) and 'label' [N].`
    : `Output 'value' [N, 1].`;
  return `${head} ${input} ${output}`;
}
