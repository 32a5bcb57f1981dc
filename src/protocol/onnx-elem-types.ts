// OIP datatype names ↔ ONNX TensorProto.DataType numbers (onnx.proto): the server's graph builder writes them, the
// msw mock reads them from uploaded files, so both agree on what a model's signature is.
import type { Datatype } from './tensor.js';

/** ONNX TensorProto.DataType values, spelled out so no protobuf enum import is needed. */
export const ONNX_ELEM_TYPE: Readonly<Record<Datatype, number>> = {
  FP32: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BYTES: 8, // ONNX STRING
  BOOL: 9,
  FP16: 10,
  FP64: 11,
  UINT32: 12,
  UINT64: 13,
};

const BY_ELEM_TYPE = new Map<number, Datatype>(
  Object.entries(ONNX_ELEM_TYPE).map(([name, code]) => [code, name as Datatype]),
);

/** The ONNX element type of an OIP datatype (a TypeError for a name that is not one: a programming error). */
export function onnxElemType(datatype: Datatype): number {
  const code = ONNX_ELEM_TYPE[datatype];
  if (code === undefined) throw new TypeError(`unknown datatype ${String(datatype)}`);
  return code;
}

/** The OIP name of an ONNX element type, or undefined for types OIP has no name for (bfloat16, complex…). */
export function datatypeOfElemType(elemType: number): Datatype | undefined {
  return BY_ELEM_TYPE.get(elemType);
}
