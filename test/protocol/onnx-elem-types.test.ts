import { describe, expect, it } from 'vitest';
import { datatypeOfElemType, ONNX_ELEM_TYPE, onnxElemType } from '../../src/protocol/onnx-elem-types.js';
import { DATATYPES } from '../../src/protocol/tensor.js';

describe('ONNX element types ↔ OIP datatypes', () => {
  it('maps every OIP datatype to its onnx.proto TensorProto.DataType number and back', () => {
    // onnx.proto: FLOAT=1 UINT8=2 INT8=3 UINT16=4 INT16=5 INT32=6 INT64=7 STRING=8 BOOL=9 FLOAT16=10 DOUBLE=11
    // UINT32=12 UINT64=13.
    expect(DATATYPES.map(onnxElemType)).toEqual([9, 2, 4, 12, 13, 3, 5, 6, 7, 10, 1, 11, 8]);
    for (const datatype of DATATYPES) expect(datatypeOfElemType(ONNX_ELEM_TYPE[datatype])).toBe(datatype);
  });

  it('has no OIP name for ONNX types outside the protocol (bfloat16, complex, float8)', () => {
    for (const code of [0, 14, 15, 16, 17, 99]) expect(datatypeOfElemType(code)).toBeUndefined();
    expect(() => onnxElemType('FLOAT' as never)).toThrow('unknown datatype FLOAT');
  });
});
