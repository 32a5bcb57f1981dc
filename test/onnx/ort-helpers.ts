// Running fixture models in onnxruntime-node with OIP-named datatypes.
import * as ort from 'onnxruntime-node';
import { oipToOrt } from '../../server/inference/onnx-model.js';
import type { Datatype } from '../../src/protocol/tensor.js';

export const ORT_TYPE: Record<Datatype, ort.Tensor.Type> = oipToOrt;

export type Feed = Record<string, { datatype: Datatype; shape: number[]; data: ArrayLike<unknown> }>;

/** Opens `bytes`, runs it once on `feed` and releases the session. */
export async function runOnce(bytes: Uint8Array, feed: Feed): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, { datatype, shape, data }] of Object.entries(feed)) {
      // biome-ignore lint/suspicious/noExplicitAny: ort.Tensor's overloads are keyed by a literal type
      feeds[name] = new ort.Tensor(ORT_TYPE[datatype], data as any, shape);
    }
    return await session.run(feeds);
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
