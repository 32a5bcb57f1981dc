// int8 dynamic quantisation: activations are quantised at run time (DynamicQuantizeLinear → uint8, a scale and a
// zero point per tensor), weights ahead of time, and the product runs on integers:
//
//   MatMul(A, W) / Gemm(A, W, C):  Aq, As, Az = DynamicQuantizeLinear(A)
//                                  y = Cast(MatMulInteger(Aq, Wq, Az)) · (As · Ws) [+ β·C]   (Ws folds Gemm's α)
//   Conv(X, W, B):                 y = Cast(ConvInteger(Xq, Wq, Xz, Wz)) · (Xs · Ws) [+ B as 1×M×1…]
//
// MatMulInteger takes int8 weights (symmetric, zero point 0, per tensor or per output column): u8s8, which ONNX
// Runtime fuses into DynamicQuantizeMatMul. Without VNNI its u8s8 kernels add pairs of u8·s8 products in int16 and
// can saturate; 7-bit weights cannot (255·63·2 < 2^15), and per-tensor scales leave few weights near the limit, so
// per-channel uses 7 bits by default. ConvInteger has no fast u8s8 CPU kernel: its weights are uint8 (asymmetric,
// per tensor). Biases stay FP32 and are added after the rescale.
import type { onnx } from 'onnx-proto';
import type { ModelGraph } from '../onnx/model-graph.js';
import { floatAttribute, intAttribute } from '../onnx/node-attributes.js';
import { floatValues, tensorDims } from '../onnx/tensor-values.js';
import { quantizeAsymmetricUint8, quantizeSymmetric, transpose } from './quant-math.js';
import { type PassOutcome, requireOpset } from './rewrite.js';
import { findWeights, type WeightUse } from './weights.js';

type INodeProto = onnx.INodeProto;

const FLOAT = 1;
/** Conv attributes ConvInteger shares. */
const CONV_ATTRIBUTES = new Set(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);

export interface DynamicOptions {
  perChannel: boolean;
  bits: 7 | 8;
}

export function quantizeDynamic(graph: ModelGraph, options: DynamicOptions): PassOutcome {
  requireOpset(graph, 11, 'int8 dynamic quantisation (DynamicQuantizeLinear)');
  const { uses, skipped } = findWeights(graph);
  const rewritten: string[] = [];
  /** DynamicQuantizeLinear outputs per activation tensor, so an input shared by several layers is quantised once. */
  const quantized = new Map<string, string[]>();
  for (const use of uses) {
    const node = use.node;
    const label = node.name || use.op;
    const why = unsupported(graph, use);
    if (why) {
      skipped.push({ node: label, op: use.op, reason: why });
      continue;
    }
    const input = node.input![0]!;
    const prefix: INodeProto[] = [];
    let activation = quantized.get(input);
    if (!activation) {
      const dql = graph.makeNode(
        'DynamicQuantizeLinear',
        [input],
        [`${input}_quantized`, `${input}_scale`, `${input}_zero_point`].map((n) => graph.freshName(n)),
      );
      prefix.push(dql);
      activation = dql.output!;
      quantized.set(input, activation);
    }
    const body =
      use.op === 'Conv' ? convInteger(graph, use, activation) : matMulInteger(graph, use, activation, options);
    graph.replaceNode(node, [...prefix, ...body]);
    rewritten.push(label);
  }
  const weights = `int8 symmetric ${options.perChannel ? 'per output channel' : 'per tensor'}, ${options.bits}-bit`;
  return {
    rewritten,
    skipped,
    notes: [
      `MatMul/Gemm: activations uint8 per tensor at run time (DynamicQuantizeLinear), weights ${weights} ` +
        '(MatMulInteger, u8s8); the int32 product is rescaled to FP32 and the bias added after.',
      ...(uses.some((u) => u.op === 'Conv')
        ? ['Conv: ConvInteger with uint8 asymmetric per-tensor weights (ONNX Runtime has no fast u8s8 ConvInteger).']
        : []),
    ],
  };
}

/** Why this weight use cannot become an integer product, or null when it can. */
function unsupported(graph: ModelGraph, use: WeightUse): string | null {
  const node = use.node;
  const input = node.input?.[0] ?? '';
  if (use.input !== 1) return 'its constant is the left operand; MatMulInteger quantises the right one';
  if (graph.constant(input)) return 'both operands are constants (ONNX Runtime folds it)';
  if (use.op === 'Gemm') {
    if (intAttribute(node, 'transA', 0) !== 0) return 'Gemm with transA = 1';
    const c = node.input?.[2] ?? '';
    if (c && !graph.constant(c) && floatAttribute(node, 'beta', 1) !== 1) return 'Gemm with a computed C and beta ≠ 1';
  }
  return null;
}

function matMulInteger(graph: ModelGraph, use: WeightUse, activation: string[], options: DynamicOptions): INodeProto[] {
  const node = use.node;
  const [aq, as, az] = activation as [string, string, string];
  let w = floatValues(graph.constant(use.name)!);
  let [k, n] = use.dims as [number, number];
  const gemm = use.op === 'Gemm';
  if (gemm && intAttribute(node, 'transB', 0) === 1) {
    w = transpose(w, k, n);
    [k, n] = [n, k];
  }
  const q = quantizeSymmetric(w, [k, n], options.perChannel ? 1 : null, options.bits);
  const alpha = gemm ? floatAttribute(node, 'alpha', 1) : 1;
  const scales = alpha === 1 ? q.scales : Float32Array.from(q.scales, (s) => s * alpha);
  const wq = graph.addInitializer(`${use.name}_quantized`, 'INT8', [k, n], q.values);
  const ws = graph.addInitializer(`${use.name}_scale`, 'FP32', options.perChannel ? [n] : [], scales);
  const product = graph.makeNode('MatMulInteger', [aq, wq, az]);
  const nodes = [product, ...rescale(graph, product.output![0]!, as, ws)];
  const c = gemm ? (node.input?.[2] ?? '') : '';
  const y = node.output![0]!;
  if (!c) {
    nodes.at(-1)!.output = [y];
    return nodes;
  }
  nodes.push(
    graph.makeNode('Add', [nodes.at(-1)!.output![0]!, scaledBias(graph, c, floatAttribute(node, 'beta', 1))], [y]),
  );
  return nodes;
}

function convInteger(graph: ModelGraph, use: WeightUse, activation: string[]): INodeProto[] {
  const node = use.node;
  const [xq, xs, xz] = activation as [string, string, string];
  const q = quantizeAsymmetricUint8(floatValues(graph.constant(use.name)!));
  const wq = graph.addInitializer(`${use.name}_quantized`, 'UINT8', use.dims, q.values);
  const wz = graph.addInitializer(`${use.name}_zero_point`, 'UINT8', [], [q.zeroPoint]);
  const ws = graph.addInitializer(`${use.name}_scale`, 'FP32', [], [q.scale]);
  const attributes = (node.attribute ?? []).filter((a) => CONV_ATTRIBUTES.has(a.name ?? ''));
  const product = graph.makeNode('ConvInteger', [xq, wq, xz, wz]);
  product.attribute = attributes;
  const nodes = [product, ...rescale(graph, product.output![0]!, xs, ws)];
  const y = node.output![0]!;
  const b = node.input?.[2] ?? '';
  if (!b) {
    nodes.at(-1)!.output = [y];
    return nodes;
  }
  // B is [M]; the output is [N, M, spatial…]: broadcast it as [1, M, 1, …].
  const scaled = nodes.at(-1)!.output![0]!;
  const broadcast = [1, use.dims[0]!, ...use.dims.slice(2).map(() => 1)];
  const bt = graph.constant(b);
  let bias: string;
  if (bt) bias = graph.addInitializer(`${b}_broadcast`, 'FP32', broadcast, floatValues(bt));
  else {
    const shape = graph.addInitializer(`${b}_shape`, 'INT64', [broadcast.length], broadcast.map(BigInt));
    const reshape = graph.makeNode('Reshape', [b, shape]);
    nodes.push(reshape);
    bias = reshape.output![0]!;
  }
  nodes.push(graph.makeNode('Add', [scaled, bias], [y]));
  return nodes;
}

/** Cast(int32 product) · (activation scale · weight scale). */
function rescale(graph: ModelGraph, product: string, activationScale: string, weightScale: string): INodeProto[] {
  const cast = graph.makeNode('Cast', [product], 1, { to: FLOAT });
  const scale = graph.makeNode('Mul', [activationScale, weightScale]);
  const y = graph.makeNode('Mul', [cast.output![0]!, scale.output![0]!]);
  return [cast, scale, y];
}

/** β·C: C itself when β = 1, else a scaled copy of the constant. */
function scaledBias(graph: ModelGraph, c: string, beta: number): string {
  if (beta === 1) return c;
  const t = graph.constant(c)!;
  const values = Float32Array.from(floatValues(t), (v) => v * beta);
  return graph.addInitializer(`${c}_scaled`, 'FP32', tensorDims(t), values);
}
