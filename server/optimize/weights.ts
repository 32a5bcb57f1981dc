// Which tensors of a graph are weights: the constant FP32 operand of MatMul, Gemm and Conv, where the bytes of a
// dense or convolutional model are. Quantisation, fp16 and pruning all rewrite exactly these.
import type { onnx } from 'onnx-proto';
import type { ModelGraph } from '../onnx/model-graph.js';
import { intAttribute } from '../onnx/node-attributes.js';
import { tensorDatatype, tensorDims } from '../onnx/tensor-values.js';

type INodeProto = onnx.INodeProto;

export type WeightOp = 'MatMul' | 'Gemm' | 'Conv';

export interface WeightUse {
  node: INodeProto;
  op: WeightOp;
  /** Which input of the node the weight is. */
  input: number;
  /** The initializer's name. */
  name: string;
  dims: number[];
  /**
   * The axis of `dims` that indexes output channels (per-channel scales run along it): 1 for MatMul's right
   * operand and Gemm's B, 0 for Gemm's B with transB = 1, MatMul's constant left operand and Conv's W.
   */
  channelAxis: number;
}

/** A node the rewrite left as it was, and why. */
export interface SkippedNode {
  node: string;
  op: string;
  reason: string;
}

const WEIGHT_OPS = new Set<string>(['MatMul', 'Gemm', 'Conv']);

/** Every weight use in node order, plus the MatMul/Gemm/Conv nodes that have no rewritable weight, with the reason. */
export function findWeights(graph: ModelGraph): { uses: WeightUse[]; skipped: SkippedNode[] } {
  const uses: WeightUse[] = [];
  const skipped: SkippedNode[] = [];
  for (const node of graph.nodes) {
    const op = node.opType ?? '';
    if ((node.domain ?? '') !== '' || !WEIGHT_OPS.has(op)) continue;
    const inputs = node.input ?? [];
    const skip = (reason: string) => skipped.push({ node: node.name || op, op, reason });
    let input = 1;
    if (op === 'MatMul' && !graph.constant(inputs[1] ?? '') && graph.constant(inputs[0] ?? '')) input = 0;
    const name = inputs[input] ?? '';
    const tensor = graph.constant(name);
    if (!tensor) {
      skip(
        graph.isGraphInput(name) || !graph.initializerNamed(name)
          ? 'its weight operand is not a constant initializer'
          : `its weight ${name} is also a graph input, so it can be fed at run time (export without keep_initializers_as_inputs)`,
      );
      continue;
    }
    const datatype = tensorDatatype(tensor);
    if (datatype !== 'FP32') {
      skip(`its weight ${name} is ${datatype}, not FP32`);
      continue;
    }
    if (graph.usedInSubgraph(name) || graph.isGraphOutput(name)) {
      skip(`its weight ${name} is also used by a subgraph or is a graph output`);
      continue;
    }
    const dims = tensorDims(tensor);
    if (op !== 'Conv' && dims.length !== 2) {
      skip(`its weight ${name} has rank ${dims.length}, not 2`);
      continue;
    }
    const channelAxis =
      op === 'Conv' || input === 0 || (op === 'Gemm' && intAttribute(node, 'transB', 0) === 1) ? 0 : 1;
    uses.push({ node, op: op as WeightOp, input, name, dims, channelAxis });
  }
  return { uses, skipped };
}
