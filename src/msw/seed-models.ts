import type { Tensor } from '../protocol/tensor.js';
import type { TensorMetadata } from './types.js';

/**
 * A model function: the inputs, checked against the signature and in the model's input order → every output, in
 * the model's output order. Replaces the generic fake model (fake-model.ts) for one version.
 */
export type MockInferFunction = (inputs: Tensor[]) => Tensor[];

/** A model version the mock serves. Only its signature matters: outputs come from fake-model.ts. */
export interface MockModelVersionSeed {
  /** A positive integer as a string; default: the position in `versions`, from 1. */
  version?: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
  /** Default: READY when the version policy selects it, else UNAVAILABLE. */
  state?: 'READY' | 'UNAVAILABLE' | 'LOADING' | 'UNLOADING';
  reason?: string;
  /** The version never loads: it is UNAVAILABLE with this reason, and `load` reports it (422 model_invalid). */
  loadError?: string;
  size_bytes?: number;
  /** RFC 3339; default: when the state was created or reset. */
  created_at?: string;
  source?: 'repository' | 'upload' | 'training';
  training_job?: string | null;
  /** Class labels of a classifier: an output named `label` then answers labels[argmax(probabilities)]. */
  labels?: Array<string | number>;
  /** Computes the outputs instead of the generic fake model. */
  infer?: MockInferFunction;
}

export interface MockModelSeed {
  name: string;
  description?: string;
  /** Default `onnxruntime_onnx`. */
  platform?: string;
  /** Which versions are loaded (Triton's policies, as config.json sets them on the server). Default `{ latest: 1 }`. */
  versionPolicy?: { latest: number } | { specific: number[] } | 'all';
  /** config.json's `max_batch_size` (default 0: no batch dimension in the configuration's dims). */
  maxBatchSize?: number;
  /** config.json has `dynamic_batching` (with its defaults); the mock answers each request alone all the same. */
  dynamicBatching?: boolean;
  versions: MockModelVersionSeed[];
}

/** multi_io's real graph (scripts/make-demo-models.ts), so mock and server give the same values for it. */
function multiIo([ids, mask, text]: Tensor[]): Tensor[] {
  if (!ids || !mask || !text) throw new Error('multi_io: expected ids, mask and text');
  const idsData = ids.data as BigInt64Array;
  const maskData = mask.data as Uint8Array;
  const rows = mask.shape[0] ?? 0;
  const perRow = rows === 0 ? 0 : maskData.length / rows;
  const count = new BigInt64Array(rows);
  for (let r = 0; r < rows; r++) {
    let trues = 0n;
    for (let i = r * perRow; i < (r + 1) * perRow; i++) if (maskData[i]) trues++;
    count[r] = trues;
  }
  return [
    {
      name: 'ids_plus_one',
      datatype: 'INT64',
      shape: [...ids.shape],
      data: idsData.map((v) => BigInt.asIntN(64, v + 1n)),
    },
    { name: 'mask_not', datatype: 'BOOL', shape: [...mask.shape], data: maskData.map((v) => (v ? 0 : 1)) },
    { name: 'text_out', datatype: 'BYTES', shape: [...text.shape], data: [...(text.data as string[])] },
    { name: 'count', datatype: 'INT64', shape: [rows], data: count },
  ];
}

/**
 * The models of examples/models (same names, descriptions, signatures and file sizes), so an app test works with no
 * setup. keras_mlp and iris_classifier answer with the generic fake model (their real weights are not reproduced;
 * iris_classifier's `label` is the fake probabilities' argmax over its real classes); multi_io computes exactly what
 * its real graph does. test/msw/seed-models.test.ts compares them with the generator's output.
 */
export const DEFAULT_MODELS: readonly MockModelSeed[] = Object.freeze([
  {
    name: 'keras_mlp',
    description:
      'The classic Keras MLP: 100 inputs → Dense(64, relu) → Dense(64, relu) → Dense(10, softmax); untrained, seed 42.',
    maxBatchSize: 64,
    dynamicBatching: true,
    versions: [
      {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 100] }],
        outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }],
        size_bytes: 45829,
      },
    ],
  },
  {
    name: 'multi_io',
    description:
      'Mixed datatypes: ids INT64 → ids + 1, mask BOOL → not mask and true count per row, text BYTES → text.',
    versions: [
      {
        inputs: [
          { name: 'ids', datatype: 'INT64', shape: [-1, 3] },
          { name: 'mask', datatype: 'BOOL', shape: [-1, 3] },
          { name: 'text', datatype: 'BYTES', shape: [-1] },
        ],
        outputs: [
          { name: 'ids_plus_one', datatype: 'INT64', shape: [-1, 3] },
          { name: 'mask_not', datatype: 'BOOL', shape: [-1, 3] },
          { name: 'text_out', datatype: 'BYTES', shape: [-1] },
          { name: 'count', datatype: 'INT64', shape: [-1] },
        ],
        size_bytes: 597,
        infer: multiIo,
      },
    ],
  },
  {
    name: 'iris_classifier',
    description:
      "Predicts 'species' (classification) with a 4 → 16 → 3 network. Input 'input': FP32 [N, 4], raw (unstandardized) columns in this order: sepal_length, sepal_width, petal_length, petal_width. Outputs 'probabilities' [N, 3] over the labels setosa, versicolor, virginica (in that order) and 'label' [N].",
    versions: [
      {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [
          { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
          { name: 'label', datatype: 'BYTES', shape: [-1] },
        ],
        size_bytes: 1759,
        labels: ['setosa', 'versicolor', 'virginica'],
      },
    ],
  },
]);
