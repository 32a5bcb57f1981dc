// OIP datatype names ↔ ONNX TensorProto.DataType numbers: the builder speaks OIP so callers never see ONNX enums.
// The table is shared with the msw mock (it reads uploaded graphs): one copy, in src/protocol.
export { datatypeOfElemType, ONNX_ELEM_TYPE, onnxElemType } from '../../src/protocol/onnx-elem-types.js';
