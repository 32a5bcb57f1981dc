// Graph inputs and outputs as ValueInfoProto. OIP marks a dynamic dimension with -1; ONNX names it (dim_param).
import type { onnx } from 'onnx-proto';
import type { Datatype } from '../../src/protocol/tensor.js';
import { onnxElemType } from './datatypes.js';

type IValueInfoProto = onnx.IValueInfoProto;
type IDimension = onnx.TensorShapeProto.IDimension;

/** A dimension: a size ≥ 0, -1 for dynamic, or a name for a dynamic dimension (same name = same size). */
export type Dim = number | string;

/**
 * A -1 becomes dim_param `<tensor>_dim<i>`: unique per tensor and axis, so ONNX Runtime never assumes two
 * dynamic dimensions are equal unless the caller says so by giving them the same name.
 */
function dimension(tensor: string, axis: number, dim: Dim): IDimension {
  if (typeof dim === 'string') return { dimParam: dim };
  if (dim === -1) return { dimParam: `${tensor}_dim${axis}` };
  if (Number.isInteger(dim) && dim >= 0) return { dimValue: dim };
  throw new TypeError(`tensor ${tensor}: dimension ${axis} must be ≥ 0, -1 or a name, got ${dim}`);
}

/** `shape` null means unknown rank (no shape at all); [] is a scalar. */
export function valueInfoProto(name: string, datatype: Datatype, shape: readonly Dim[] | null): IValueInfoProto {
  const tensorType: onnx.TypeProto.ITensor = { elemType: onnxElemType(datatype) };
  if (shape) tensorType.shape = { dim: shape.map((d, i) => dimension(name, i, d)) };
  return { name, type: { tensorType } };
}
