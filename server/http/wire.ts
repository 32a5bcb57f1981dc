import type { components } from '../../src/generated/openapi.js';
import type { TensorSpec } from '../inference/onnx-model.js';
import type { ModelStatus, VersionStatus } from '../inference/registry.js';

type Schemas = components['schemas'];

/** Registry statuses → the wire shapes of openapi.yaml. */
export function tensorMetadata(spec: TensorSpec): Schemas['TensorMetadata'] {
  return { name: spec.name, datatype: spec.datatype, shape: [...spec.shape] };
}

export function modelVersionBody(status: VersionStatus): Schemas['ModelVersion'] {
  const body: Schemas['ModelVersion'] = {
    object: 'model.version',
    model: status.name,
    version: String(status.version),
    state: status.state,
    reason: status.reason,
    size_bytes: status.sizeBytes,
    created_at: status.createdAt,
    inputs: status.inputs.map(tensorMetadata),
    outputs: status.outputs.map(tensorMetadata),
    source: status.source,
  };
  if (status.source === 'training') body.training_job = status.trainingJob;
  return body;
}

export function modelBody(status: ModelStatus): Schemas['Model'] {
  return {
    object: 'model',
    name: status.name,
    description: status.description,
    platform: status.platform,
    default_version: status.defaultVersion === null ? null : String(status.defaultVersion),
    versions: status.versions.map(modelVersionBody),
  };
}
