// Tiny models for tests and demos, built with our own GraphBuilder. Each returns the model's bytes.
import { DATATYPES, type Datatype } from '../../src/protocol/tensor.js';
import { attr } from './attributes.js';
import { GraphBuilder } from './builder.js';
import { onnxElemType } from './datatypes.js';
import { mlpModel } from './mlp-fixture.js';
import type { Dim } from './value-info.js';

export { type DenseLayer, type MlpFixture, type MlpOptions, mlpForward, mlpLayers, mlpModel } from './mlp-fixture.js';

/** Every OIP datatype: ONNX Runtime 1.30's CPU Identity runs them all (BYTES = ONNX string). */
export const IDENTITY_DATATYPES: readonly Datatype[] = DATATYPES;

/**
 * Datatypes addModel supports: every numeric one. ONNX only allows 8- and 16-bit integers in Add from opset 14,
 * which is why addModel uses opset 14; BOOL and BYTES have no Add.
 */
export const ADD_DATATYPES: readonly Datatype[] = IDENTITY_DATATYPES.filter((d) => d !== 'BOOL' && d !== 'BYTES');

/** Opset for addModel: the first where Add takes INT8, INT16, UINT8 and UINT16. */
export const ADD_OPSET = 14;

/** y = x: input `x`, output `y`, both `datatype` and `shape` (-1 or a name = dynamic). */
export function identityModel(datatype: Datatype, shape: readonly Dim[] = [-1, 3]): Uint8Array {
  const g = new GraphBuilder('identity');
  g.output(g.node('Identity', [g.input('x', datatype, shape)]), 'y', datatype, shape);
  return g.toModel();
}

/** No inputs at all: output `answer` FP32 [2] = [4, 2], a graph of one Constant node. */
export function constantModel(): Uint8Array {
  const g = new GraphBuilder('constant');
  g.output(g.node('Identity', [g.constant('FP32', [2], [4, 2])]), 'answer', 'FP32', [2]);
  return g.toModel();
}

/** y = a + b: inputs `a` and `b`, output `y`, all `datatype` and `shape`. Datatypes: ADD_DATATYPES. */
export function addModel(datatype: Datatype = 'FP32', shape: readonly Dim[] = [-1, 4]): Uint8Array {
  if (!ADD_DATATYPES.includes(datatype)) throw new TypeError(`Add does not support ${datatype}`);
  const g = new GraphBuilder('add');
  const a = g.input('a', datatype, shape);
  const b = g.input('b', datatype, shape);
  g.output(g.node('Add', [a, b]), 'y', datatype, shape);
  return g.toModel({ opset: ADD_OPSET });
}

/**
 * Mixed non-float inputs and outputs:
 * - `ids` INT64 [-1, 3] → `ids_plus_one` INT64 [-1, 3] = ids + 1
 * - `mask` BOOL [-1, 3] → `mask_not` BOOL [-1, 3] = !mask, and `count` INT64 [-1] = true values per row
 * - `text` BYTES [-1] → `text_out` BYTES [-1] = text
 * Batch sizes of ids, mask and text are independent, except that `count` follows mask's.
 */
export function multiIoModel(): Uint8Array {
  const g = new GraphBuilder('multi_io');
  const ids = g.input('ids', 'INT64', [-1, 3]);
  const mask = g.input('mask', 'BOOL', [-1, 3]);
  const text = g.input('text', 'BYTES', [-1]);
  g.output(g.node('Add', [ids, g.constant('INT64', [], [1n])]), 'ids_plus_one', 'INT64', [-1, 3]);
  g.output(g.node('Not', [mask]), 'mask_not', 'BOOL', [-1, 3]);
  g.output(g.node('Identity', [text]), 'text_out', 'BYTES', [-1]);
  const maskAsInt = g.node('Cast', [mask], { to: onnxElemType('INT64') });
  const count = g.node('ReduceSum', [maskAsInt, g.constant('INT64', [1], [1n])], { keepdims: 0 });
  g.output(count, 'count', 'INT64', [-1]);
  return g.toModel({ docString: 'Mixed INT64, BOOL and BYTES inputs and outputs.' });
}

/** Bytes ONNX Runtime refuses: a valid model cut in the middle of its graph, so the protobuf does not parse. */
export function corruptModel(): Uint8Array {
  const bytes = mlpModel({ inputs: 4, hidden: [4], outputs: 2 }).bytes;
  return bytes.slice(0, Math.floor(bytes.length / 2));
}

/** A well-formed model whose only operator (`com.example` `Nope`) no runtime implements. */
export function unsupportedOpModel(): Uint8Array {
  const g = new GraphBuilder('unsupported');
  const x = g.input('x', 'FP32', [-1]);
  g.output(g.node('Nope', [x], undefined, { domain: 'com.example' }), 'y', 'FP32', [-1]);
  return g.toModel({ opsetImports: { 'com.example': 1 } });
}

export interface SlowModelOptions {
  /** n×n MatMuls per run; default 1. Time grows linearly with it, memory does not. */
  matmuls?: number;
}

/**
 * Slow on demand with a tiny request: input `size` INT64 [2] = [n, n] builds an n×n matrix of ones, multiplies
 * it `matmuls` times (O(n³) each) and sums it into `total` FP32 [] = n³ (whatever `matmuls` is: after the first
 * product, each step multiplies by ones/n, which leaves the matrix unchanged).
 * Sizing (1 MatMul, ONNX Runtime 1.30 CPU, the 2-core dev machine under load, per run): n = 1024 ≈ 50–130 ms,
 * n = 2048 ≈ 0.4–0.6 s, n = 3000 ≈ 1.5–2 s; each extra MatMul adds as much again. An n×n FP32 matrix is 4·n² bytes
 * (36 MB at n = 3000) and two or three are live, so prefer more `matmuls` over a larger n for longer runs.
 */
export function slowModel(options: SlowModelOptions = {}): Uint8Array {
  const matmuls = options.matmuls ?? 1;
  if (!Number.isInteger(matmuls) || matmuls < 1) throw new TypeError('matmuls must be a positive integer');
  const g = new GraphBuilder('slow');
  const size = g.input('size', 'INT64', [2]);
  const ones = g.node('ConstantOfShape', [size], { value: attr.tensor('FP32', [1], [1]) });
  let product = g.node('MatMul', [ones, ones]);
  if (matmuls > 1) {
    const n = g.node('Cast', [g.node('Gather', [size, g.constant('INT64', [], [0n])])], { to: onnxElemType('FP32') });
    const scaled = g.node('Div', [ones, n]);
    for (let i = 1; i < matmuls; i++) product = g.node('MatMul', [product, scaled]);
  }
  g.output(g.node('ReduceSum', [product], { keepdims: 0 }), 'total', 'FP32', []);
  return g.toModel();
}
