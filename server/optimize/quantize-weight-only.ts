// int8 weight-only: each weight becomes int8 (symmetric, per tensor or per output channel) behind a
// DequantizeLinear, and the op itself stays FP32. The file shrinks to about a quarter; the arithmetic does not
// change. ONNX Runtime runs it at FP32 speed only when it folds the DequantizeLinear nodes back into FP32 constants
// at load, which its QDQ handling prevents unless `session.disable_quant_qdq` is "1" — so the result asks for it.
import type { ModelGraph } from '../onnx/model-graph.js';
import { floatValues } from '../onnx/tensor-values.js';
import { quantizeSymmetric } from './quant-math.js';
import { type PassOutcome, requireOpset } from './rewrite.js';
import { findWeights } from './weights.js';

export const WEIGHT_ONLY_SESSION_CONFIG: Readonly<Record<string, string>> = { 'session.disable_quant_qdq': '1' };

export function quantizeWeightOnly(graph: ModelGraph, options: { perChannel: boolean }): PassOutcome {
  // DequantizeLinear is opset 10; its `axis` (per-channel scales) opset 13.
  requireOpset(
    graph,
    options.perChannel ? 13 : 10,
    `int8 weight-only quantisation${options.perChannel ? ' per channel' : ''}`,
  );
  const { uses, skipped } = findWeights(graph);
  const rewritten: string[] = [];
  const dequantized = new Map<string, string>();
  const nodes: ReturnType<ModelGraph['makeNode']>[] = [];
  for (const use of uses) {
    const key = `${use.name}:${use.channelAxis}`;
    let value = dequantized.get(key);
    if (!value) {
      const axis = options.perChannel ? use.channelAxis : null;
      const q = quantizeSymmetric(floatValues(graph.constant(use.name)!), use.dims, axis, 8);
      const channels = axis === null ? [] : [use.dims[axis]!];
      const wq = graph.addInitializer(`${use.name}_quantized`, 'INT8', use.dims, q.values);
      const ws = graph.addInitializer(`${use.name}_scale`, 'FP32', channels, q.scales);
      const wz = graph.addInitializer(`${use.name}_zero_point`, 'INT8', channels, new Int8Array(q.scales.length));
      const dq = graph.makeNode(
        'DequantizeLinear',
        [wq, ws, wz],
        [graph.freshName(`${use.name}_dequantized`)],
        axis === null ? {} : { axis },
      );
      nodes.push(dq);
      value = dq.output![0]!;
      dequantized.set(key, value);
    }
    graph.setInput(use.node, use.input, value);
    rewritten.push(use.node.name || use.op);
  }
  // The DequantizeLinear nodes read only initializers: at the front, the node list stays topologically sorted.
  graph.prepend(nodes);
  return {
    rewritten,
    skipped,
    sessionConfig: { ...WEIGHT_ONLY_SESSION_CONFIG },
    notes: [
      `Weights int8 symmetric ${options.perChannel ? 'per output channel' : 'per tensor'} behind DequantizeLinear; ` +
        'the ops stay FP32. Open it with session.disable_quant_qdq = 1 (sessionConfig) so ONNX Runtime folds the ' +
        'weights back to FP32 at load and runs at FP32 speed.',
    ],
  };
}
