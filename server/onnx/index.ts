// ONNX writing: graph builder, protobuf serialization, datatype mapping. Test fixtures live in ./fixtures.js.
export { type Attributes, type AttributeValue, attr, type TensorAttribute, type TypedAttribute } from './attributes.js';
export { GraphBuilder, type NodeOptions } from './builder.js';
export { datatypeOfElemType, ONNX_ELEM_TYPE, onnxElemType } from './datatypes.js';
export { float16Bits, float16Value } from './float16.js';
export {
  buildModelProto,
  DEFAULT_OPSET,
  IR_VERSION,
  type ModelOptions,
  modelMetadata,
  parseModel,
  serializeModel,
} from './model.js';
export { type TensorValues, tensorProto } from './tensor-proto.js';
export { type Dim, valueInfoProto } from './value-info.js';
