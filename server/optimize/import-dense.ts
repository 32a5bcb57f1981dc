// A dense ONNX network read back into the trainer's terms, so it can be fine-tuned (server/training) and its new
// weights written into the same graph. Two shapes of graph are understood:
//
//   the server's own export (server/training/export-onnx.ts): `input` [N, F] — or one input per column with string
//     columns one-hot encoded (LabelEncoder → Unsqueeze → Equal → Cast, numbers Unsqueeze, then Concat) — then
//     Sub(mean), Div(std), Gemm + activation per layer, Softmax, and the label's ArgMax → Gather;
//   an uploaded chain: one FP32 [N, F] input, optional Sub/Div by constants, Gemm or MatMul (+ Add of a constant
//     bias) per layer, Relu/Tanh/Sigmoid between layers (none = linear), and Softmax or nothing at the end;
//     Identity and Dropout pass through.
//
// Anything else is refused with fine_tune_unsupported naming the first node that does not fit.
import type { onnx } from 'onnx-proto';
import type { ModelGraph } from '../onnx/model-graph.js';
import { floatAttribute, intAttribute, intsAttribute, stringsAttribute } from '../onnx/node-attributes.js';
import { floatValues, tensorDatatype, tensorDims, tensorValues } from '../onnx/tensor-values.js';
import type { ActivationName } from '../training/activations.js';
import { Network } from '../training/network.js';
import type { ExportedLayer, Task } from '../training/types.js';
import { OptimizeError } from './errors.js';
import { readLayout } from './model-layout.js';
import { transpose } from './quant-math.js';
import { parseParent } from './rewrite.js';

type INodeProto = onnx.INodeProto;

/** Where one dense layer's parameters live in the graph. */
export interface DenseLayerRef {
  inputs: number;
  outputs: number;
  /** The weight initializer; stored [outputs, inputs] when `transposed` (Gemm transB = 1), else [inputs, outputs]. */
  weight: string;
  transposed: boolean;
  /** The bias initializer and its dims, or null when the layer has none (its bias is then held at 0). */
  bias: string | null;
  biasDims: number[];
  activation: ActivationName | 'softmax';
}

export interface DenseImport {
  task: Task;
  /** Names of the model's feature columns in input order (metadata, or the per-column inputs' names); null if unknown. */
  features: string[] | null;
  /** Per feature: the one-hot categories of a string feature, null for a number. */
  categories: (string[] | null)[];
  /** The Sub/Div in front of the first layer (mean 0 / std 1 where the graph has none). */
  standardization: { mean: Float32Array; std: Float32Array };
  /** Classification: labels in output order (metadata, the label table, or 0…C−1). */
  classLabels: number[] | string[] | null;
  /** [network inputs, hidden…, outputs]. */
  sizes: number[];
  hiddenActivations: ActivationName[];
  /** Per layer W (inputs × outputs, row-major) then b: the trainer's preset layout. */
  params: Float64Array;
  /** Same layout: 0 where the graph has no such parameter (a missing bias). */
  trainable: Uint8Array;
  layers: DenseLayerRef[];
}

const HIDDEN_ACTIVATIONS: Record<string, ActivationName> = { Relu: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid' };
const PASS_THROUGH = new Set(['Identity', 'Dropout']);
const SUPPORTED =
  'a chain of Gemm or MatMul (+ Add of a bias) layers with Relu, Tanh or Sigmoid between them and Softmax or ' +
  'nothing at the end, optionally behind Sub/Div standardization';

function refuse(message: string): never {
  throw new OptimizeError('fine_tune_unsupported', `fine-tuning needs ${SUPPORTED}; ${message}`);
}

function describe(node: INodeProto): string {
  const domain = node.domain ? `${node.domain}.` : '';
  return `node '${node.name || node.output?.[0] || '?'}' is a ${domain}${node.opType}`;
}

/**
 * Reads a dense network out of a model (its bytes or its parsed graph), or throws fine_tune_unsupported naming the
 * first node that does not fit.
 *
 * @example
 * const imported = importDense(bytes);
 * const net = importedNetwork(imported); // the trainer's Network holding the graph's weights
 */
export function importDense(model: Uint8Array | ModelGraph): DenseImport {
  const graph = model instanceof Uint8Array ? parseParent(model) : model;
  const walk = new ChainWalk(graph);
  const { start, categories, perColumn } = walk.networkInput();
  let x = start;
  // Standardization in front of the first layer.
  let mean: Float32Array | null = null;
  let std: Float32Array | null = null;
  x = walk.through(x);
  let node = walk.next(x);
  if (node && node.opType === 'Sub' && !node.domain) {
    mean = walk.constantOperand(node, x, 'Sub');
    x = walk.through(walk.take(node));
    node = walk.next(x);
  }
  if (node && node.opType === 'Div' && !node.domain) {
    std = walk.constantOperand(node, x, 'Div');
    x = walk.take(node);
  }
  const layers: DenseLayerRef[] = [];
  const values: { W: Float32Array; b: Float32Array }[] = [];
  for (;;) {
    x = walk.through(x);
    node = walk.next(x);
    if (!node) break;
    if (node.domain || (node.opType !== 'Gemm' && node.opType !== 'MatMul')) refuse(describe(node));
    const layer = walk.denseLayer(node, x, layers.at(-1)?.outputs ?? null);
    x = layer.output;
    values.push(layer);
    layers.push(layer.ref);
    x = walk.through(x);
    const after = walk.next(x);
    if (!after || after.domain) continue;
    const hidden = HIDDEN_ACTIVATIONS[after.opType ?? ''];
    if (hidden) {
      layer.ref.activation = hidden;
      x = walk.take(after);
    } else if (after.opType === 'Softmax') {
      walk.checkSoftmax(after);
      layer.ref.activation = 'softmax';
      x = walk.through(walk.take(after));
      break;
    }
  }
  if (layers.length === 0) refuse('the graph has no Gemm or MatMul layer');
  const last = layers.at(-1)!;
  if (last.activation !== 'softmax' && last.activation !== 'identity') {
    refuse(`the last layer ends in ${last.activation} (the trainer's outputs are softmax or identity)`);
  }
  const task: Task = last.activation === 'softmax' ? 'classification' : 'regression';
  walk.checkEnd(x, task);
  walk.checkAllVisited();

  const inputs = layers[0]!.inputs;
  const { params, trainable } = flatten(values, layers);
  const layout = readLayout(graph);
  const featureCount = perColumn ? categories.length : inputs;
  const features = layout.features?.length === featureCount ? layout.features : perColumn ? walk.columnNames() : null;
  const classLabels =
    task === 'classification'
      ? ((layout.classLabels?.length === last.outputs ? layout.classLabels : null) ??
        Array.from({ length: last.outputs }, (_, i) => i))
      : null;
  return {
    task,
    features,
    categories: perColumn ? categories : new Array(inputs).fill(null),
    standardization: {
      mean: broadcast(mean, inputs, 0, 'Sub'),
      std: broadcast(std, inputs, 1, 'Div'),
    },
    classLabels,
    sizes: [inputs, ...layers.map((l) => l.outputs)],
    hiddenActivations: layers.slice(0, -1).map((l) => l.activation as ActivationName),
    params,
    trainable,
    layers,
  };
}

/**
 * The trainer's Network (server/training) holding the imported weights, for `capacity` rows at a time. It computes the
 * graph's layers on standardized inputs and leaves the last layer's raw outputs (the softmax is the trainer's head).
 */
export function importedNetwork(imported: DenseImport, capacity = 256): Network {
  const net = new Network(imported.sizes, imported.hiddenActivations, capacity, 'js');
  net.params.set(imported.params);
  return net;
}

/** Writes exported layers (exportSpec's float32 W and b) into the graph's initializers, in their original layout. */
export function writeDenseWeights(graph: ModelGraph, imported: DenseImport, layers: readonly ExportedLayer[]): void {
  imported.layers.forEach((ref, i) => {
    const layer = layers[i]!;
    const w = ref.transposed ? transpose(layer.W, ref.inputs, ref.outputs) : layer.W;
    graph.setInitializer(ref.weight, 'FP32', ref.transposed ? [ref.outputs, ref.inputs] : [ref.inputs, ref.outputs], w);
    if (ref.bias) graph.setInitializer(ref.bias, 'FP32', ref.biasDims, layer.b);
  });
}

/** The preset layout (per layer W then b) and which of its entries the graph really has. */
function flatten(
  values: readonly { W: Float32Array; b: Float32Array }[],
  layers: readonly DenseLayerRef[],
): { params: Float64Array; trainable: Uint8Array } {
  const total = values.reduce((n, v) => n + v.W.length + v.b.length, 0);
  const params = new Float64Array(total);
  const trainable = new Uint8Array(total).fill(1);
  let offset = 0;
  values.forEach(({ W, b }, i) => {
    params.set(W, offset);
    params.set(b, offset + W.length);
    if (!layers[i]!.bias) trainable.fill(0, offset + W.length, offset + W.length + b.length);
    offset += W.length + b.length;
  });
  return { params, trainable };
}

function broadcast(values: Float32Array | null, n: number, fill: number, op: string): Float32Array {
  if (!values) return new Float32Array(n).fill(fill);
  if (values.length === n) return values;
  if (values.length === 1) return new Float32Array(n).fill(values[0]!);
  return refuse(`the ${op} in front of the first layer has ${values.length} values for ${n} inputs`);
}

/** Walks the graph node by node from the network input, recording what it has accounted for. */
class ChainWalk {
  private readonly visited = new Set<INodeProto>();
  private columns: string[] = [];

  constructor(private readonly graph: ModelGraph) {}

  /** The tensor the first layer (or its standardization) reads, and the one-hot layout when there is one. */
  networkInput(): { start: string; categories: (string[] | null)[]; perColumn: boolean } {
    const inputs = (this.graph.graph.input ?? []).map((v) => v.name ?? '').filter((n) => this.graph.isGraphInput(n));
    if (inputs.length === 0) refuse('the graph has no input');
    const first = this.graph.consumers(inputs[0]!)[0];
    const perColumn = first?.opType === 'Unsqueeze' || first?.opType === 'LabelEncoder';
    if (inputs.length === 1 && !perColumn) return { start: inputs[0]!, categories: [], perColumn: false };
    if (!perColumn) refuse(`the graph has ${inputs.length} inputs, not one [N, F] matrix`);
    return this.oneHotInputs(inputs);
  }

  /** The server export's per-column inputs: each an Unsqueezed number or a one-hot string, all Concatenated. */
  private oneHotInputs(inputs: string[]): { start: string; categories: (string[] | null)[]; perColumn: boolean } {
    const parts: string[] = [];
    const categories: (string[] | null)[] = [];
    for (const input of inputs) {
      let node = this.single(input);
      let cats: string[] | null = null;
      if (node.opType === 'LabelEncoder' && node.domain === 'ai.onnx.ml') {
        cats = stringsAttribute(node, 'keys_strings');
        const codes = intsAttribute(node, 'values_int64s') ?? [];
        if (!cats || codes.some((c, k) => c !== k) || codes.length !== cats.length) {
          refuse(`${describe(node)} that does not map its categories to 0…K−1`);
        }
        node = this.single(this.take(node));
      }
      if (node.opType !== 'Unsqueeze') refuse(describe(node));
      let out = this.take(node);
      if (cats) {
        const equal = this.single(out);
        const codes = this.graph.constant(equal.input?.[1] ?? '');
        const k = cats.length;
        const isRange = codes && Array.from(tensorValues(codes) as BigInt64Array, Number).every((c, i) => c === i);
        if (equal.opType !== 'Equal' || !isRange || tensorDims(codes!).join() !== String(k)) {
          refuse(`${describe(equal)} where an Equal against the codes 0…${k - 1} was expected`);
        }
        out = this.take(equal);
        const cast = this.single(out);
        if (cast.opType !== 'Cast' || intAttribute(cast, 'to', 0) !== 1) refuse(describe(cast));
        out = this.take(cast);
      }
      parts.push(out);
      categories.push(cats);
    }
    this.columns = inputs;
    if (parts.length === 1) return { start: parts[0]!, categories, perColumn: true };
    const concat = this.single(parts[0]!);
    const order = concat.input ?? [];
    if (concat.opType !== 'Concat' || order.length !== parts.length || order.some((p, i) => p !== parts[i])) {
      refuse(`${describe(concat)} where a Concat of the encoded columns, in input order, was expected`);
    }
    return { start: this.take(concat), categories, perColumn: true };
  }

  columnNames(): string[] {
    return [...this.columns];
  }

  /** The one node reading `value`, or null when none does; refuses a fork. */
  next(value: string): INodeProto | null {
    const consumers = this.graph.consumers(value);
    if (consumers.length === 0) return null;
    if (consumers.length > 1) {
      refuse(`'${value}' feeds ${consumers.length} nodes (${consumers.map((c) => c.opType).join(', ')}), not a chain`);
    }
    return consumers[0]!;
  }

  /** `value` after the Identity and Dropout nodes that follow it (taking them). */
  through(value: string): string {
    let node = this.next(value);
    while (node && PASS_THROUGH.has(node.opType ?? '') && !node.domain) {
      value = this.take(node);
      node = this.next(value);
    }
    return value;
  }

  /** Marks `node` as accounted for and returns its (first) output. */
  take(node: INodeProto): string {
    this.visited.add(node);
    return node.output?.[0] ?? '';
  }

  /** The values of the constant operand of a Sub/Div whose other operand is `x`. */
  constantOperand(node: INodeProto, x: string, op: string): Float32Array {
    const [a, b] = node.input ?? [];
    const other = a === x ? b : a;
    const t = this.graph.constant(other ?? '');
    if (a !== x || !t || tensorDatatype(t) !== 'FP32') refuse(`${describe(node)} that is not (input ${op} constant)`);
    return floatValues(t);
  }

  /** A Gemm, or a MatMul with an optional bias Add, reading `x`. */
  denseLayer(
    node: INodeProto,
    x: string,
    expectedInputs: number | null,
  ): { ref: DenseLayerRef; W: Float32Array; b: Float32Array; output: string } {
    const [a, w, c] = node.input ?? [];
    if (a !== x) refuse(`${describe(node)} whose weight is its left operand`);
    const weight = this.weight(node, w ?? '');
    const gemm = node.opType === 'Gemm';
    if (
      gemm &&
      (intAttribute(node, 'transA', 0) !== 0 ||
        floatAttribute(node, 'alpha', 1) !== 1 ||
        floatAttribute(node, 'beta', 1) !== 1)
    ) {
      refuse(`${describe(node)} with transA, alpha or beta other than 0, 1, 1`);
    }
    const transposed = gemm && intAttribute(node, 'transB', 0) === 1;
    const dims = tensorDims(weight.tensor);
    const [inputs, outputs] = (transposed ? [dims[1], dims[0]] : dims) as [number, number];
    if (expectedInputs !== null && inputs !== expectedInputs) {
      refuse(`${describe(node)} with ${inputs} inputs after a layer of ${expectedInputs} outputs`);
    }
    const W = transposed ? transpose(weight.values, outputs, inputs) : weight.values;
    let output = this.take(node);
    let bias: string | null = gemm && c ? c : null;
    if (!gemm) {
      output = this.through(output);
      const add = this.next(output);
      if (add && add.opType === 'Add' && !add.domain) {
        const [p, q] = add.input ?? [];
        bias = p === output ? (q ?? null) : (p ?? null);
        output = this.take(add);
      }
    }
    let b: Float32Array = new Float32Array(outputs);
    let biasDims: number[] = [];
    if (bias) {
      const t = this.graph.constant(bias);
      const ok = t && tensorDatatype(t) === 'FP32' && this.graph.consumers(bias).length === 1;
      const shape = t ? tensorDims(t) : [];
      if (!ok || shape.reduce((n, d) => n * d, 1) !== outputs || shape.length > 2) {
        refuse(`${describe(node)} whose bias '${bias}' is not an unshared FP32 constant of ${outputs} values`);
      }
      b = floatValues(t!);
      biasDims = shape;
    }
    return {
      ref: { inputs, outputs, weight: w!, transposed, bias, biasDims, activation: 'identity' },
      W,
      b,
      output,
    };
  }

  checkSoftmax(node: INodeProto): void {
    const opset = this.graph.opset('') ?? 13;
    const axis = intAttribute(node, 'axis', opset >= 13 ? -1 : 1);
    if (axis !== -1 && axis !== 1) refuse(`${describe(node)} over axis ${axis}`);
  }

  /** After the last layer: a graph output, with at most the export's ArgMax → Gather label branch hanging off it. */
  checkEnd(x: string, task: Task): void {
    if (!this.graph.isGraphOutput(x)) refuse(`the network's output '${x}' is not a graph output`);
    for (const node of this.graph.consumers(x)) {
      if (task !== 'classification' || node.opType !== 'ArgMax') refuse(describe(node));
      const index = this.take(node);
      for (const gather of this.graph.consumers(index)) {
        if (gather.opType !== 'Gather' || !this.graph.constant(gather.input?.[0] ?? '')) refuse(describe(gather));
        if (!this.graph.isGraphOutput(this.take(gather))) refuse(`${describe(gather)} that is not a graph output`);
      }
    }
  }

  checkAllVisited(): void {
    const stray = this.graph.nodes.find((n) => !this.visited.has(n));
    if (stray) refuse(`${describe(stray)}, outside the dense chain`);
  }

  private single(value: string): INodeProto {
    const consumers = this.graph.consumers(value);
    if (consumers.length !== 1) refuse(`'${value}' feeds ${consumers.length} nodes where one was expected`);
    return consumers[0]!;
  }

  private weight(node: INodeProto, name: string): { tensor: onnx.ITensorProto; values: Float32Array } {
    const tensor = this.graph.constant(name);
    if (!tensor || tensorDatatype(tensor) !== 'FP32' || tensorDims(tensor).length !== 2) {
      refuse(`${describe(node)} whose weight '${name}' is not a 2-D FP32 constant`);
    }
    if (this.graph.consumers(name).length !== 1) refuse(`${describe(node)} whose weight '${name}' is shared`);
    return { tensor, values: tensorValues(tensor) as Float32Array };
  }
}
