import type { ExportedLayer, ExportedModel, TrainedModel } from './types.js';

/**
 * The trained model as the ONNX exporter wants it (see ExportedModel in types.ts): float32 weights, per-layer
 * activations with softmax on the classifier's output, and the regression target's scaling folded into the last
 * layer (W·σ, b·σ + μ), so the graph is just standardize → Gemm/activation per layer.
 */
export function exportSpec(model: TrainedModel): ExportedModel {
  const layers: ExportedLayer[] = [];
  const sizes = model.sizes;
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l]!;
    const outputs = sizes[l + 1]!;
    const last = l + 2 === sizes.length;
    const w = model.params.subarray(offset, offset + inputs * outputs);
    const b = model.params.subarray(offset + inputs * outputs, offset + inputs * outputs + outputs);
    offset += (inputs + 1) * outputs;
    const fold = last && model.output === 'values' && model.targetStd !== null && model.targetMean !== null;
    const scale = fold ? model.targetStd! : 1;
    const shift = fold ? model.targetMean! : 0;
    layers.push({
      inputs,
      outputs,
      W: Float32Array.from(w, (v) => v * scale),
      b: Float32Array.from(b, (v) => v * scale + shift),
      activation: last
        ? model.output === 'probabilities'
          ? 'softmax'
          : 'identity'
        : (model.hiddenActivations?.[l] ?? model.hiddenActivation),
    });
  }
  if (offset !== model.params.length) throw new RangeError('exportSpec: parameters do not match the layer sizes');
  return {
    formatVersion: 1,
    task: model.task,
    featureNames: [...model.featureNames],
    categories: model.categories.map((c) => (c ? [...c] : null)),
    target: model.target,
    mean: Float32Array.from(model.mean),
    std: Float32Array.from(model.std),
    layers,
    classLabels: model.classLabels ? ([...model.classLabels] as number[] | string[]) : null,
    output: model.output,
  };
}
