// OIP datatype names ↔ ONNX TensorProto.DataType numbers: the builder speaks OIP so callers never see ONNX enums.
import type { Datatype } from '../../src/protocol/tensor.js';

/** ONNX TensorProto.DataType values (onnx.proto), spelled out so no enum import is needed at type level. */
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

export function onnxElemType(datatype: Datatype): number {
  const code = ONNX_ELEM_TYPE[datatype];
  if (code === undefined) throw new TypeError(`unknown datatype ${String(datatype)}`);
  return code;
}

/** The OIP name of an ONNX element type, or undefined for types OIP has no name for (bfloat16, complex…). */
export function datatypeOfElemType(elemType: number): Datatype | undefined {
  return BY_ELEM_TYPE.get(elemType);
}
