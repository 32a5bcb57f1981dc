// Wire codecs shared by the SDK, the server and the msw handlers. Pure and browser-safe.
// Not re-exported: the contract code only the server and msw share (contract-error, error-body, input-signature,
// model-names, onnx-elem-types, datasets/, training-spec, training-job, oip-request); they import it by path, so the
// SDK's bundle never carries it.

export * from './base64.js';
export * from './binary-tensor.js';
export * from './errors.js';
export * from './json-tensor.js';
export * from './json-text.js';
export * from './json-values.js';
export * from './nested.js';
export * from './tensor.js';
export * from './tf-serving.js';
