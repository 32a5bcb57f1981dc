// Running fixture models in onnxruntime-node with OIP-named datatypes.
import * as ort from 'onnxruntime-node';
import { fromOrtData, oipToOrt, toOrtTensor } from '../../server/inference/onnx-model.js';
import type { Datatype, TensorData } from '../../src/protocol/tensor.js';

export const ORT_TYPE: Record<Datatype, ort.Tensor.Type> = oipToOrt;

export type Feed = Record<string, { datatype: Datatype; shape: number[]; data: ArrayLike<unknown> }>;

/** An output as ONNX Runtime named it, with canonical data (FP16 as Uint16Array bits on every Node version). */
export interface OrtOutput {
  type: ort.Tensor.Type;
  dims: readonly number[];
  data: TensorData;
}

/** Opens `bytes`, runs it once on `feed` and releases the session. Tensors cross ORT through the server's adapter. */
export async function runOnce(bytes: Uint8Array, feed: Feed): Promise<Record<string, OrtOutput>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, { datatype, shape, data }] of Object.entries(feed)) {
      feeds[name] = toOrtTensor(ort, datatype, data, shape);
    }
    const results = await session.run(feeds);
    const out: Record<string, OrtOutput> = {};
    for (const [name, value] of Object.entries(results)) {
      const tensor = value as ort.Tensor;
      out[name] = { type: tensor.type, dims: tensor.dims, data: fromOrtData(tensor) };
    }
    return out;
  } finally {
    await session.release();
  }
}

/** The error ONNX Runtime raises while opening `bytes` (the test fails if it opens). */
export async function loadError(bytes: Uint8Array): Promise<Error> {
  try {
    const session = await ort.InferenceSession.create(bytes);
    await session.release();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected ONNX Runtime to refuse the model, but it loaded');
}

export { ort };
