// Sample tensors for every datatype, with the edge values each one must carry exactly.
import { type Datatype, numberToFloat16Bits, type Tensor } from '../../src/protocol/index.js';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

export const SAMPLES: Record<Datatype, Tensor> = {
  BOOL: { name: 'b', datatype: 'BOOL', shape: [2, 2], data: new Uint8Array([1, 0, 0, 1]) },
  UINT8: { name: 'u8', datatype: 'UINT8', shape: [3], data: new Uint8Array([0, 255, 7]) },
  UINT16: { name: 'u16', datatype: 'UINT16', shape: [3], data: new Uint16Array([0, 65535, 1]) },
  UINT32: { name: 'u32', datatype: 'UINT32', shape: [3], data: new Uint32Array([0, 4294967295, 5]) },
  UINT64: {
    name: 'u64',
    datatype: 'UINT64',
    shape: [4],
    data: new BigUint64Array([0n, UINT64_MAX, 9007199254740993n, 42n]),
  },
  INT8: { name: 'i8', datatype: 'INT8', shape: [3], data: new Int8Array([-128, 127, 0]) },
  INT16: { name: 'i16', datatype: 'INT16', shape: [3], data: new Int16Array([-32768, 32767, -1]) },
  INT32: { name: 'i32', datatype: 'INT32', shape: [1, 3], data: new Int32Array([-2147483648, 2147483647, 3]) },
  INT64: {
    name: 'i64',
    datatype: 'INT64',
    shape: [2, 2],
    data: new BigInt64Array([INT64_MIN, INT64_MAX, -9007199254740993n, 5n]),
  },
  FP16: {
    name: 'f16',
    datatype: 'FP16',
    shape: [6],
    data: new Uint16Array([1, -2, 65504, 2 ** -24, Number.POSITIVE_INFINITY, Number.NaN].map(numberToFloat16Bits)),
  },
  FP32: {
    name: 'f32',
    datatype: 'FP32',
    shape: [2, 3],
    data: new Float32Array([
      1.5,
      -0.1,
      3.4028234663852886e38,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]),
  },
  FP64: {
    name: 'f64',
    datatype: 'FP64',
    shape: [5],
    data: new Float64Array([Math.PI, -1e308, 5e-324, Number.NaN, -0]),
  },
  BYTES: {
    name: 's',
    datatype: 'BYTES',
    shape: [5],
    data: ['hello', '', 'a\u0000b', 'héllo 😀 日本', '\uFEFFbom'],
  },
};

/** Like Array.from, for comparing typed arrays bit-exactly (NaN, -0) in assertions. */
export function plain(data: Tensor['data']): unknown[] {
  return Array.from(data as ArrayLike<unknown>, (v) => (typeof v === 'number' && Object.is(v, -0) ? '-0' : v));
}
