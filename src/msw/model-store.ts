import { isValidModelName, parseModelVersion } from '../protocol/model-names.js';
import type { ModelUpdate } from '../protocol/model-update.js';
import { VersionStatistics } from '../protocol/statistics.js';
import { modelNotFound, modelNotReady, unprocessable, versionNotFound } from './errors.js';
import {
  applyUpdate,
  emptyRouting,
  labelledVersion,
  type RoutingRecord,
  recordEvent,
  retainedVersions,
  routedVersion,
} from './routing.js';
import type { MockInferFunction, MockModelSeed, MockModelVersionSeed } from './seed-models.js';
import type { Model, ModelState, ModelVersion, RepositoryIndexEntry, TensorMetadata } from './types.js';

export interface VersionRecord {
  version: string;
  state: ModelState;
  reason: string;
  size_bytes: number;
  created_at: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
  source: ModelVersion['source'];
  training_job: string | null;
  /** For source optimization: the job and the version it was made from, and the session config it needs. */
  optimization_job?: string;
  parent?: { model: string; version: string };
  session_config?: Record<string, string>;
  loadError?: string;
  labels?: Array<string | number>;
  infer?: MockInferFunction;
}

/** Triton's version policies, as the server reads them from config.json. Default: latest 1. */
export type VersionPolicy = { latest: number } | { specific: number[] } | 'all';

export interface ModelRecord {
  name: string;
  description: string;
  platform: string;
  policy: VersionPolicy;
  /** config.json's max_batch_size and whether it has dynamic_batching (GET …/config). */
  maxBatchSize: number;
  dynamicBatching: boolean;
  /** Explicitly unloaded: stays unloaded until an explicit load or a new version. */
  unloaded: boolean;
  versions: Map<string, VersionRecord>;
  /** Pin, labels, split, shadow and their change log (PATCH /v1/models/{model}). */
  routing: RoutingRecord;
  /** Triton's statistics per version, counted as the server's data plane counts them. */
  stats: Map<string, VersionStatistics>;
}

const byVersion = (a: VersionRecord, b: VersionRecord) => Number(a.version) - Number(b.version);

/** In-memory model repository: what `examples/models` plus uploads and trained versions would hold on disk. */
export class ModelStore {
  private readonly models = new Map<string, ModelRecord>();

  clear(): void {
    this.models.clear();
  }

  seed(seed: MockModelSeed, createdAt: string): void {
    if (!isValidModelName(seed.name)) throw new TypeError(`maas/msw: invalid model name '${seed.name}'`);
    const record: ModelRecord = {
      name: seed.name,
      description: seed.description ?? '',
      platform: seed.platform ?? 'onnxruntime_onnx',
      policy: seed.versionPolicy ?? { latest: 1 },
      maxBatchSize: seed.maxBatchSize ?? 0,
      dynamicBatching: seed.dynamicBatching ?? false,
      unloaded: false,
      versions: new Map(),
      routing: emptyRouting(),
      stats: new Map(),
    };
    const explicit = new Set<string>();
    seed.versions.forEach((v, i) => {
      const version = v.version ?? String(i + 1);
      if (parseModelVersion(version) === undefined)
        throw new TypeError(`maas/msw: invalid version '${version}' of ${seed.name}`);
      record.versions.set(version, versionFromSeed(version, v, createdAt));
      if (v.state !== undefined) explicit.add(version);
    });
    applyPolicy(record, explicit);
    this.models.set(seed.name, record);
  }

  names(): string[] {
    return [...this.models.keys()].sort();
  }

  find(name: string): ModelRecord | undefined {
    return this.models.get(name);
  }

  require(name: string): ModelRecord {
    const model = this.models.get(name);
    if (!model) throw modelNotFound(name);
    return model;
  }

  requireVersion(name: string, version: string): VersionRecord {
    const record = this.require(name).versions.get(version);
    if (!record) throw versionNotFound(name, version);
    return record;
  }

  /**
   * The version a request names (a number, or a label) if READY; unversioned, the pinned default, else the highest
   * READY one. (Inference's traffic split is `route`.)
   */
  serving(name: string, version?: string): VersionRecord {
    const model = this.require(name);
    const named =
      version !== undefined && !/^\d/.test(version) ? labelledVersion(name, model.routing, version) : version;
    const target = named ?? model.routing.pinned ?? undefined;
    if (target !== undefined) {
      const record = this.requireVersion(name, target);
      if (record.state !== 'READY') throw modelNotReady(name, target, record.state, record.reason);
      return record;
    }
    const ready = defaultVersion(model);
    if (ready) return ready;
    const latest = sortedVersions(model).pop();
    if (!latest) throw modelNotReady(name, undefined, 'UNAVAILABLE', 'it has no versions');
    throw modelNotReady(name, undefined, latest.state, latest.reason);
  }

  /** Inference's choice: as `serving`, but an unversioned request follows the traffic split (sticky per key). */
  route(name: string, version: string | undefined, routingKey?: string): { record: VersionRecord; routed: boolean } {
    if (version !== undefined) return { record: this.serving(name, version), routed: false };
    const model = this.require(name);
    const picked = routedVersion(model.routing, (v) => model.versions.get(v)?.state === 'READY', routingKey);
    return { record: this.serving(name, picked), routed: true };
  }

  /** PATCH /v1/models/{model} (its shape already checked): versions checked, routing changed, events recorded. */
  update(name: string, update: ModelUpdate): ModelRecord {
    const model = this.require(name);
    applyUpdate(
      name,
      model.routing,
      update,
      sortedVersions(model).map((v) => v.version),
    );
    applyPolicy(model);
    return model;
  }

  /** The statistics of one version (created on first use). */
  statistics(name: string, version: string): VersionStatistics {
    const model = this.require(name);
    let stats = model.stats.get(version);
    if (!stats) model.stats.set(version, (stats = new VersionStatistics(name, Number(version))));
    return stats;
  }

  /** The next version number: one above the highest present (as the next folder on disk would be). */
  nextVersion(name: string): string {
    const model = this.models.get(name);
    const highest = model ? Math.max(0, ...[...model.versions.keys()].map(Number)) : 0;
    return String(highest + 1);
  }

  addVersion(name: string, record: VersionRecord, description?: string): void {
    let model = this.models.get(name);
    if (!model) {
      model = {
        name,
        description: '',
        platform: 'onnxruntime_onnx',
        policy: { latest: 1 },
        maxBatchSize: 0,
        dynamicBatching: false,
        unloaded: false,
        versions: new Map(),
        routing: emptyRouting(),
        stats: new Map(),
      };
      this.models.set(name, model);
    }
    if (description !== undefined) model.description = description;
    model.unloaded = false;
    model.versions.set(record.version, record);
    applyPolicy(model);
  }

  /**
   * Adds a job's version as the server's deployers do: promoted, it becomes the default (a pinned model's pin moves to
   * it); else it is a candidate — an unpinned model is pinned to the version serving now first — kept loaded and out
   * of unversioned traffic until pinned.
   */
  publish(name: string, record: VersionRecord, options: { promote: boolean; by: string; description?: string }): void {
    const existing = this.models.get(name);
    if (!options.promote && existing && existing.routing.pinned === null) {
      const current = defaultVersion(existing);
      if (current) {
        existing.routing.pinned = current.version;
        recordEvent(
          name,
          existing.routing,
          'default',
          `pinned to version ${current.version} while ${options.by} publishes a candidate`,
        );
      }
    }
    this.addVersion(name, record, options.description);
    const model = this.require(name);
    if (!options.promote) {
      model.routing.candidates.push(record.version);
      recordEvent(
        name,
        model.routing,
        'default',
        `version ${record.version} published as a candidate by ${options.by}`,
      );
    } else if (model.routing.pinned !== null) {
      model.routing.pinned = record.version;
      recordEvent(name, model.routing, 'default', `version ${record.version} deployed as the default (${options.by})`);
    }
    applyPolicy(model);
  }

  /** Removes the version; the model stays (with no versions, as its folder would). */
  deleteVersion(name: string, version: string): void {
    this.requireVersion(name, version);
    const model = this.require(name);
    model.versions.delete(version);
    applyPolicy(model);
  }

  index(readyOnly: boolean): RepositoryIndexEntry[] {
    const entries: RepositoryIndexEntry[] = [];
    for (const name of this.names()) {
      for (const v of sortedVersions(this.require(name))) {
        if (readyOnly && v.state !== 'READY') continue;
        entries.push({ name, version: v.version, state: v.state, reason: v.reason });
      }
    }
    return entries;
  }

  /** Loads the versions the policy selects (the server's explicit load); 422 model_invalid when none loads. */
  load(name: string): string[] {
    const model = this.require(name);
    model.unloaded = false;
    applyPolicy(model);
    const ready = sortedVersions(model).filter((v) => v.state === 'READY');
    if (ready.length === 0) {
      const problems = sortedVersions(model).map((v) => `version ${v.version}: ${v.reason || v.state}`);
      throw unprocessable(
        'model_invalid',
        `Model '${name}' has no version that could be loaded${
          problems.length ? ` (${problems.join('; ')})` : ' (no version folders with model.onnx)'
        }`,
      );
    }
    return ready.map((v) => v.version);
  }

  unload(name: string): void {
    const model = this.require(name);
    model.unloaded = true;
    applyPolicy(model);
  }
}

/** Brings states in line with the policy, as the server's registry does after every change. */
function applyPolicy(model: ModelRecord, keep: ReadonlySet<string> = new Set()): void {
  const versions = sortedVersions(model);
  const selected = new Set(
    selectVersions(
      model.policy,
      versions.map((v) => Number(v.version)),
    ).map(String),
  );
  // Versions routing names stay loaded whatever the policy says (as the server's registry keeps them).
  for (const v of retainedVersions(model.routing)) selected.add(v);
  for (const v of versions) {
    if (keep.has(v.version)) continue;
    if (model.unloaded) {
      v.state = 'UNAVAILABLE';
      v.reason = 'unloaded';
    } else if (!selected.has(v.version)) {
      v.state = 'UNAVAILABLE';
      v.reason = `not selected by the version policy (${describePolicy(model.policy)})`;
    } else if (v.loadError !== undefined) {
      v.state = 'UNAVAILABLE';
      v.reason = v.loadError;
    } else {
      v.state = 'READY';
      v.reason = '';
    }
  }
}

function selectVersions(policy: VersionPolicy, versions: number[]): number[] {
  const sorted = [...versions].sort((a, b) => a - b);
  if (policy === 'all') return sorted;
  if ('specific' in policy) return sorted.filter((v) => policy.specific.includes(v));
  return sorted.slice(Math.max(0, sorted.length - policy.latest));
}

function describePolicy(policy: VersionPolicy): string {
  if (policy === 'all') return 'all';
  if ('specific' in policy) return `specific [${policy.specific.join(', ')}]`;
  return `latest ${policy.latest}`;
}

export function defaultVersion(model: ModelRecord): VersionRecord | undefined {
  return sortedVersions(model)
    .filter((v) => v.state === 'READY')
    .pop();
}

export function sortedVersions(model: ModelRecord): VersionRecord[] {
  return [...model.versions.values()].sort(byVersion);
}

export function toModelVersion(model: string, v: VersionRecord, candidates: readonly string[] = []): ModelVersion {
  const body: ModelVersion = {
    object: 'model.version',
    model,
    version: v.version,
    state: v.state,
    reason: v.reason,
    size_bytes: v.size_bytes,
    created_at: v.created_at,
    inputs: structuredClone(v.inputs),
    outputs: structuredClone(v.outputs),
    source: v.source,
  };
  if (v.source === 'training') body.training_job = v.training_job;
  if (v.optimization_job) body.optimization_job = v.optimization_job;
  if (v.parent) {
    body.parent_model = v.parent.model;
    body.parent_version = v.parent.version;
  }
  if (v.session_config && Object.keys(v.session_config).length > 0) body.session_config = { ...v.session_config };
  if (candidates.includes(v.version)) body.candidate = true;
  return body;
}

const QUIET_REASON = /^(not loaded|not selected by the version policy|unloaded|removed|deleted|server shut down)/;

export function toModel(model: ModelRecord): Model {
  const r = model.routing;
  const serving = r.pinned !== null ? model.versions.get(r.pinned) : defaultVersion(model);
  return {
    object: 'model',
    name: model.name,
    description: model.description,
    platform: model.platform,
    default_version: r.pinned ?? serving?.version ?? null,
    pinned_version: r.pinned,
    labels: { ...r.labels },
    traffic: r.traffic ? r.traffic.map((t) => ({ ...t })) : null,
    rollback: r.rollback && { ...r.rollback },
    shadow: r.shadow && { ...r.shadow },
    ready: serving?.state === 'READY',
    model_version_status: sortedVersions(model)
      .reverse()
      .map((v) => {
        const failed = v.state === 'UNAVAILABLE' && v.reason !== '' && !QUIET_REASON.test(v.reason);
        const state = ({ READY: 'AVAILABLE', LOADING: 'LOADING', UNLOADING: 'UNLOADING', UNAVAILABLE: 'END' } as const)[
          v.state
        ];
        return {
          version: v.version,
          state,
          status: { error_code: failed ? 'UNKNOWN' : 'OK', error_message: failed ? v.reason : '' },
        };
      }),
    versions: sortedVersions(model).map((v) => toModelVersion(model.name, v, r.candidates)),
  };
}

function versionFromSeed(version: string, seed: MockModelVersionSeed, createdAt: string): VersionRecord {
  const record: VersionRecord = {
    version,
    state: seed.state ?? 'READY',
    reason: seed.reason ?? '',
    size_bytes: seed.size_bytes ?? 0,
    created_at: seed.created_at ?? createdAt,
    inputs: structuredClone(seed.inputs),
    outputs: structuredClone(seed.outputs),
    source: seed.source ?? 'repository',
    training_job: seed.training_job ?? null,
  };
  if (seed.loadError !== undefined) record.loadError = seed.loadError;
  if (seed.labels !== undefined) record.labels = [...seed.labels];
  if (seed.infer !== undefined) record.infer = seed.infer;
  return record;
}
