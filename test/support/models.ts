// The server tests' ONNX models: built by the project's own ONNX builder (server/onnx).
export {
  addModel,
  constantModel,
  corruptModel,
  identityModel,
  mlpForward,
  mlpModel,
  multiIoModel,
  slowModel,
  unsupportedOpModel,
} from '../../server/onnx/fixtures.js';
