import type { components } from '../../src/generated/openapi.js';
import type { ModelUpdate } from '../../src/protocol/model-update.js';
import type { TensorSpec } from '../inference/onnx-model.js';
import type { ModelStatus, VersionStatus } from '../inference/registry.js';
import { emptyRouting, type RoutingChange } from '../inference/routing.js';
import type { ModelEventRecord, ModelRouting } from '../store/records.js';

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

/** A model with its routing: where unversioned requests go, labels, split, shadow; and TF Serving's/KServe's status. */
export function modelBody(status: ModelStatus, routing: ModelRouting = emptyRouting()): Schemas['Model'] {
  const pinned = routing.defaultVersion;
  const serving = pinned ?? status.defaultVersion;
  const servingState = status.versions.find((v) => v.version === serving)?.state;
  return {
    object: 'model',
    name: status.name,
    description: status.description,
    platform: status.platform,
    default_version: serving === null ? null : String(serving),
    pinned_version: pinned === null ? null : String(pinned),
    labels: Object.fromEntries(Object.entries(routing.labels).map(([label, v]) => [label, String(v)])),
    traffic: routing.traffic?.map((t) => ({ version: String(t.version), weight: t.weight })) ?? null,
    rollback: routing.rollback ? rollbackBody(routing.rollback) : null,
    shadow: routing.shadow ? { version: String(routing.shadow.version), fraction: routing.shadow.fraction } : null,
    ready: servingState === 'READY',
    model_version_status: [...status.versions].reverse().map(tfServingStatus),
    versions: status.versions.map(modelVersionBody),
  };
}

export function rollbackBody(r: NonNullable<ModelRouting['rollback']>): Schemas['RollbackGuard'] {
  const out: Schemas['RollbackGuard'] = { min_requests: r.minRequests };
  if (r.maxErrorRate !== null) out.max_error_rate = r.maxErrorRate;
  if (r.maxP99Ratio !== null) out.max_p99_ratio = r.maxP99Ratio;
  return out;
}

/** Reasons that are not failures: the version is simply not loaded. */
const QUIET_REASON = /^(not loaded|not selected by the version policy|unloaded|removed|deleted|server shut down)/;

/** TF Serving's model_version_status entry for one version. */
function tfServingStatus(v: VersionStatus): Schemas['TfServingVersionStatus'] {
  const state = ({ READY: 'AVAILABLE', LOADING: 'LOADING', UNLOADING: 'UNLOADING', UNAVAILABLE: 'END' } as const)[
    v.state
  ];
  const failed = v.state === 'UNAVAILABLE' && v.reason !== '' && !QUIET_REASON.test(v.reason);
  return {
    version: String(v.version),
    state,
    status: { error_code: failed ? 'UNKNOWN' : 'OK', error_message: failed ? v.reason : '' },
  };
}

/** The PATCH body (shape checked) as a routing change: versions as numbers, absent guard thresholds off. */
export function routingChange(update: ModelUpdate): RoutingChange {
  const change: RoutingChange = {};
  if (update.default_version !== undefined) {
    change.defaultVersion = update.default_version === null ? null : Number(update.default_version);
  }
  if (update.labels !== undefined) {
    change.labels = Object.fromEntries(
      Object.entries(update.labels).map(([l, v]) => [l, v === null ? null : Number(v)]),
    );
  }
  if (update.traffic !== undefined) {
    change.traffic = update.traffic?.map((t) => ({ version: Number(t.version), weight: t.weight })) ?? null;
  }
  if (update.rollback !== undefined) {
    change.rollback = update.rollback && {
      maxErrorRate: update.rollback.max_error_rate ?? null,
      maxP99Ratio: update.rollback.max_p99_ratio ?? null,
      minRequests: update.rollback.min_requests ?? 100,
    };
  }
  if (update.shadow !== undefined) {
    change.shadow = update.shadow && { version: Number(update.shadow.version), fraction: update.shadow.fraction };
  }
  return change;
}

export function modelEventBody(event: ModelEventRecord): Schemas['ModelEvent'] {
  const r = event.routing;
  return {
    id: event.id,
    object: 'model.event',
    model: event.model,
    created_at: event.createdAt,
    kind: event.kind,
    reason: event.reason,
    default_version: r.defaultVersion === null ? null : String(r.defaultVersion),
    labels: Object.fromEntries(Object.entries(r.labels).map(([l, v]) => [l, String(v)])),
    traffic: r.traffic?.map((t) => ({ version: String(t.version), weight: t.weight })) ?? null,
    shadow: r.shadow ? { version: String(r.shadow.version), fraction: r.shadow.fraction } : null,
  };
}
