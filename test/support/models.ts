// Tiny ONNX models for the server tests, written with onnx-proto.
// TODO(onnx helper): re-export these from server/onnx/fixtures.ts once it lands, keeping the names.
import onnxProto from 'onnx-proto';
import type { Datatype } from '../../src/protocol/tensor.js';

const { onnx } = onnxProto;
type Dim = number | string;

const elemType: Record<Datatype, number> = {
  FP32: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BYTES: 8,
  BOOL: 9,
  FP16: 10,
  FP64: 11,
  UINT32: 12,
  UINT64: 13,
};

interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Array<Record<string, unknown>>;
}

function valueInfo(name: string, datatype: Datatype, shape: Dim[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType: elemType[datatype],
        shape: {
          dim: shape.map((d) =>
            typeof d === 'string' || d < 0 ? { dimParam: typeof d === 'string' ? d : 'batch' } : { dimValue: d },
          ),
        },
      },
    },
  };
}

function model(
  nodes: NodeSpec[],
  inputs: Array<[string, Datatype, Dim[]]>,
  outputs: Array<[string, Datatype, Dim[]]>,
): Uint8Array {
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'maas-tests',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'test',
      node: nodes.map((n, i) => ({
        name: `n${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: n.attributes ?? [],
      })),
      input: inputs.map(([n, d, s]) => valueInfo(n, d, s)),
      output: outputs.map(([n, d, s]) => valueInfo(n, d, s)),
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** y = x, input `x` and output `y` of `datatype` and `shape` (-1 = dynamic). */
export function identityModel(datatype: Datatype, shape: Dim[] = [-1, 3]): Uint8Array {
  return model([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], [['x', datatype, shape]], [['y', datatype, shape]]);
}

/** sum = a + b. */
export function addModel(datatype: Datatype = 'FP32', shape: Dim[] = [-1, 4]): Uint8Array {
  return model(
    [{ op: 'Add', inputs: ['a', 'b'], outputs: ['sum'] }],
    [
      ['a', datatype, shape],
      ['b', datatype, shape],
    ],
    [['sum', datatype, shape]],
  );
}

/**
 * Several inputs and outputs of non-float types: ids INT64 [-1] → ids_out (identity), mask BOOL [-1] → mask_not
 * (logical not), text BYTES [-1] → text_out (identity), scores FP32 [-1, 2] → scores_sum (a+a).
 */
export function multiIoModel(): Uint8Array {
  return model(
    [
      { op: 'Identity', inputs: ['ids'], outputs: ['ids_out'] },
      { op: 'Not', inputs: ['mask'], outputs: ['mask_not'] },
      { op: 'Identity', inputs: ['text'], outputs: ['text_out'] },
      { op: 'Add', inputs: ['scores', 'scores'], outputs: ['scores_sum'] },
    ],
    [
      ['ids', 'INT64', [-1]],
      ['mask', 'BOOL', [-1]],
      ['text', 'BYTES', [-1]],
      ['scores', 'FP32', [-1, 2]],
    ],
    [
      ['ids_out', 'INT64', [-1]],
      ['mask_not', 'BOOL', [-1]],
      ['text_out', 'BYTES', [-1]],
      ['scores_sum', 'FP32', [-1, 2]],
    ],
  );
}

/**
 * Slow on demand: `size` INT64 [2] = [n, n] → an n×n matrix of ones squared and summed, so `total` = n³ and the
 * run takes O(n³) time (n = 3000 is seconds on one core).
 */
export function slowModel(): Uint8Array {
  const one = { name: 'value', type: 4, t: { dims: [1], dataType: 1, floatData: [1] } };
  return model(
    [
      { op: 'ConstantOfShape', inputs: ['size'], outputs: ['ones'], attributes: [one] },
      { op: 'MatMul', inputs: ['ones', 'ones'], outputs: ['product'] },
      { op: 'ReduceSum', inputs: ['product'], outputs: ['total'], attributes: [{ name: 'keepdims', type: 2, i: 0 }] },
    ],
    [['size', 'INT64', [2]]],
    [['total', 'FP32', []]],
  );
}

/** Not a protobuf at all. */
export function corruptModel(): Uint8Array {
  return new TextEncoder().encode('this is not an ONNX model');
}

/** A valid graph whose operator ONNX Runtime does not implement. */
export function unsupportedOpModel(): Uint8Array {
  return model([{ op: 'NoSuchOperator', inputs: ['x'], outputs: ['y'] }], [['x', 'FP32', [1]]], [['y', 'FP32', [1]]]);
}
