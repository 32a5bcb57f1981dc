import { onnx } from 'onnx-proto';

/** A small but real ONNX ModelProto (Identity x → y) with the given element type and shape, for upload tests. */
export function identityModel(options: { elemType?: number; shape?: Array<number | string> } = {}): Uint8Array {
  const dims = (options.shape ?? ['N', 4]).map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  const type = { tensorType: { elemType: options.elemType ?? onnx.TensorProto.DataType.FLOAT, shape: { dim: dims } } };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'maas-msw-test',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'identity',
      node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
      input: [{ name: 'x', type }],
      output: [{ name: 'y', type }],
      initializer: [],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
