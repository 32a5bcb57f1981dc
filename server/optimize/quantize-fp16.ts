// fp16: weights (and Gemm/Conv biases) stored as FP16, each followed by a Cast to FP32, so inputs, outputs and the
// arithmetic stay FP32. ONNX Runtime folds the Casts into FP32 constants at load: half the file, FP32 speed and
// nearly FP32 results. (A graph computing in FP16 with Casts at its boundaries ran no faster on ONNX Runtime 1.30's
// CPU provider and rounds every activation: see docs/optimization.md.)
import type { ModelGraph } from '../onnx/model-graph.js';
import { floatValues, tensorDims } from '../onnx/tensor-values.js';
import type { PassOutcome } from './rewrite.js';
import { findWeights } from './weights.js';

const FLOAT = 1;
const FP16_MAX = 65504;

export function quantizeFp16(graph: ModelGraph): PassOutcome {
  const { uses, skipped } = findWeights(graph);
  const converted = new Map<string, string>();
  const casts: ReturnType<ModelGraph['makeNode']>[] = [];
  const rewritten: string[] = [];
  /** The FP32 value of `name` rebuilt from FP16 (once per initializer), or null when FP16 cannot hold it. */
  const half = (name: string): string | null => {
    const known = converted.get(name);
    if (known !== undefined) return known;
    const tensor = graph.constant(name)!;
    const values = floatValues(tensor);
    if (values.some((v) => !(Math.abs(v) <= FP16_MAX))) return null;
    const stored = graph.addInitializer(`${name}_fp16`, 'FP16', tensorDims(tensor), values);
    const cast = graph.makeNode('Cast', [stored], [graph.freshName(`${name}_fp32`)], { to: FLOAT });
    casts.push(cast);
    converted.set(name, cast.output![0]!);
    return cast.output![0]!;
  };
  for (const use of uses) {
    const node = use.node;
    const value = half(use.name);
    if (!value) {
      skipped.push({ node: node.name || use.op, op: use.op, reason: `weight ${use.name} exceeds the FP16 range` });
      continue;
    }
    graph.setInput(node, use.input, value);
    const bias = use.op === 'Gemm' || use.op === 'Conv' ? (node.input?.[2] ?? '') : '';
    const biasTensor = bias ? graph.constant(bias) : undefined;
    if (biasTensor && biasTensor.dataType === FLOAT) {
      const b = half(bias);
      if (b) graph.setInput(node, 2, b);
    }
    rewritten.push(node.name || use.op);
  }
  // The Casts read only initializers, so the front of the graph keeps the node list topologically sorted.
  graph.prepend(casts);
  return {
    rewritten,
    skipped,
    notes: [
      'Weights (and Gemm/Conv biases) are stored as FP16 and Cast to FP32 after them; inputs, outputs and the ' +
        'arithmetic stay FP32. ONNX Runtime folds the Casts at load: half the weight bytes, FP32 speed.',
    ],
  };
}
