import type { TensorMetadata } from './types.js';

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
}

export interface MockModelSeed {
  name: string;
  description?: string;
  /** Default `onnxruntime_onnx`. */
  platform?: string;
  /** Which versions are loaded (Triton's policies, as config.json sets them on the server). Default `{ latest: 1 }`. */
  versionPolicy?: { latest: number } | { specific: number[] } | 'all';
  versions: MockModelVersionSeed[];
}

/**
 * The models of examples/models (same names and signatures), so an app test works with no setup.
 * Kept in step with scripts/make-demo-models.ts: a drift shows in the contract suite's metadata tests.
 */
export const DEFAULT_MODELS: readonly MockModelSeed[] = Object.freeze([
  {
    name: 'keras_mlp',
    description: '100 → 64 relu → 64 relu → 10 softmax',
    versions: [
      {
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 100] }],
        outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }],
        size_bytes: 46393,
      },
    ],
  },
  {
    name: 'multi_io',
    description: 'ids + 1, NOT mask, text identity, count of true mask values',
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
        size_bytes: 1024,
      },
    ],
  },
]);
