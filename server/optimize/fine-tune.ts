// Fine-tuning a pruned dense network: import it into the trainer (import-dense.ts), train with a preset — the
// graph's own standardization, categories, labels and activations, its pruned weights as the start, the pruning
// masks held — and write the new weights back into the same graph, so everything around the network (the label
// table, metadata, one-hot encoding) stays as it was.

import type { ModelGraph } from '../onnx/model-graph.js';
import { TrainingError } from '../training/errors.js';
import { exportSpec } from '../training/export.js';
import { Trainer } from '../training/trainer.js';
import type { ArchitectureSpec, TrainingSpec } from '../training/types.js';
import { modelDataset } from './dataset-inputs.js';
import { invalidOption, OptimizeError } from './errors.js';
import { type DenseImport, importDense, writeDenseWeights } from './import-dense.js';
import { readLayout } from './model-layout.js';
import type { FineTuneSpec } from './prune.js';
import { transpose } from './quant-math.js';
import type { FineTuneReport } from './report.js';

export function fineTune(
  graph: ModelGraph,
  masks: ReadonlyMap<string, Uint8Array>,
  spec: FineTuneSpec,
): FineTuneReport {
  if (!Number.isInteger(spec.epochs) || spec.epochs < 1)
    invalidOption('fine_tune.epochs', 'an integer >= 1', spec.epochs);
  const imported = importDense(graph);
  const layout = readLayout(graph);
  const target = spec.target ?? layout.target;
  if (!target) invalidOption('fine_tune.target', "the target column (the model's metadata names none)", spec.target);
  const data = modelDataset(layout, spec.data, { features: spec.features ?? imported.features ?? undefined, target });
  const trainingSpec: TrainingSpec = {
    task: imported.task,
    features: data.features,
    target,
    architecture: architectureOf(imported),
    ...(spec.optimizer ? { optimizer: spec.optimizer } : {}),
    epochs: spec.epochs,
    ...(spec.batch_size !== undefined ? { batch_size: spec.batch_size } : {}),
    validation_split: 0,
    seed: spec.seed ?? 0,
  };
  const messages: string[] = [];
  try {
    const trainer = new Trainer(
      trainingSpec,
      { features: data.columns, target: data.targetValues! },
      {
        preset: {
          params: imported.params,
          mask: maskOf(imported, masks),
          standardization: imported.standardization,
          categories: imported.categories,
          classLabels: imported.classLabels,
          hiddenActivations: imported.hiddenActivations,
        },
      },
    );
    const result = trainer.run({ onMessage: (m) => messages.push(m) });
    writeDenseWeights(graph, imported, exportSpec(result.model!).layers);
    return {
      epochs: result.epochs,
      rows: trainer.data.train.rows,
      features: data.features,
      target,
      history: result.history,
      messages,
    };
  } catch (err) {
    if (err instanceof TrainingError) {
      const code = err.code === 'training_spec_invalid' ? 'optimize_spec_invalid' : 'optimize_data_invalid';
      throw new OptimizeError(code, `fine-tuning: ${err.message}`);
    }
    throw err;
  }
}

/** The trainer's architecture for the imported sizes (the activations come with the preset). */
function architectureOf(imported: DenseImport): ArchitectureSpec {
  const hidden = imported.sizes.slice(1, -1);
  return hidden.length === 0 ? { type: 'linear' } : { type: 'mlp', hidden_layers: hidden };
}

/** The masks in the preset layout: pruned weights and missing biases 0, everything else 1. */
function maskOf(imported: DenseImport, masks: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const mask = imported.trainable.slice();
  let offset = 0;
  for (const layer of imported.layers) {
    const stored = masks.get(layer.weight);
    if (stored) {
      const w = layer.transposed ? transpose(Float32Array.from(stored), layer.outputs, layer.inputs) : stored;
      for (let i = 0; i < w.length; i++) mask[offset + i] = w[i]!;
    }
    offset += (layer.inputs + 1) * layer.outputs;
  }
  return mask;
}
