// The registry's state: models → versions → entries, the leases running requests hold, and the status the APIs
// report. Changing it (disk sync, version writes) happens in registry-sync.ts and registry-writes.ts, under the
// per-model lock kept here.
import type { components } from '../../src/generated/openapi.js';
import { ModelNotFoundError, ModelNotReadyError, VersionNotFoundError } from '../errors.js';
import type { OnnxModel, TensorSpec } from './onnx-model.js';
import type { RegistryHooks, VersionContext } from './registry-hooks.js';
import type { DiskVersion, ModelConfig, VersionSource } from './repository.js';

export type ModelState = components['schemas']['ModelState'];

export const platform = 'onnxruntime_onnx';

/** A version as the APIs report it. */
export interface VersionStatus {
  name: string;
  version: number;
  state: ModelState;
  /** Why it is not READY; empty when READY. */
  reason: string;
  sizeBytes: number;
  createdAt: string;
  source: VersionSource;
  trainingJob: string | null;
  optimizationJob: string | null;
  parent: { model: string; version: string } | null;
  sessionConfig: Record<string, string>;
  /** Known once the version has been loaded; empty before. */
  inputs: readonly TensorSpec[];
  outputs: readonly TensorSpec[];
}

export interface ModelStatus {
  name: string;
  description: string;
  platform: string;
  /** The highest READY version. */
  defaultVersion: number | null;
  /** Ascending. */
  versions: VersionStatus[];
}

/** A running request's hold on a READY version: the session is not released until every lease is. */
export interface Lease {
  readonly name: string;
  readonly version: number;
  readonly model: OnnxModel;
  /** Idempotent. */
  release(): void;
}

export interface VersionEntry {
  disk: DiskVersion;
  state: ModelState;
  reason: string;
  model?: OnnxModel;
  /** Last known inputs/outputs, kept after unloading. */
  inputs: readonly TensorSpec[];
  outputs: readonly TensorSpec[];
  inFlight: number;
  /** Set while unloading: called when inFlight reaches 0. */
  onDrained?: () => void;
  /** File signature the last failed load saw, so polling only retries when the file changed. */
  failedSignature?: string;
}

export interface ModelEntry {
  name: string;
  config: ModelConfig;
  configError?: string;
  versions: Map<number, VersionEntry>;
  /** Explicitly unloaded: polling leaves it unloaded until an explicit load. */
  unloaded: boolean;
}

/**
 * Loaded models and their versions. Every change to one model runs under that model's lock (`withLock`);
 * `acquire` is synchronous and lock-free for the hot path.
 */
export class RegistryEntries {
  readonly models = new Map<string, ModelEntry>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly hooks: RegistryHooks[] = [];

  addHooks(hooks: RegistryHooks): void {
    this.hooks.push(hooks);
  }

  /**
   * Runs the `loaded` hooks in order: each may wrap the model (a batcher) or throw (a failed warmup). On a throw
   * the model (as wrapped so far) is closed before the error propagates.
   */
  async loaded(model: OnnxModel, context: VersionContext): Promise<OnnxModel> {
    let current = model;
    try {
      for (const hooks of this.hooks) if (hooks.loaded) current = await hooks.loaded(current, context);
    } catch (err) {
      await current.close().catch(() => {});
      throw err;
    }
    return current;
  }

  /** Runs the `unloading` hooks: the version takes no new requests from now on. */
  unloading(context: VersionContext, reason: string): void {
    for (const hooks of this.hooks) hooks.unloading?.(context, reason);
  }

  /** What every hook asks to keep loaded for the model. */
  retained(name: string): Set<number> {
    const out = new Set<number>();
    for (const hooks of this.hooks) for (const v of hooks.retain?.(name) ?? []) out.add(v);
    return out;
  }

  listModels(): ModelStatus[] {
    return [...this.models.keys()].sort().map((name) => modelStatus(this.models.get(name)!));
  }

  getModel(name: string): ModelStatus | undefined {
    const entry = this.models.get(name);
    return entry && modelStatus(entry);
  }

  getVersion(name: string, version: number): VersionStatus | undefined {
    const entry = this.models.get(name)?.versions.get(version);
    return entry && versionStatus(name, entry);
  }

  requireModel(name: string): ModelStatus {
    const status = this.getModel(name);
    if (!status) throw new ModelNotFoundError(name, this.models.keys());
    return status;
  }

  requireConfig(name: string): ModelConfig {
    const model = this.models.get(name);
    if (!model) throw new ModelNotFoundError(name, this.models.keys());
    return model.config;
  }

  requireVersion(name: string, version: number): VersionStatus {
    const model = this.models.get(name);
    if (!model) throw new ModelNotFoundError(name, this.models.keys());
    const entry = model.versions.get(version);
    if (!entry) throw new VersionNotFoundError(name, String(version));
    return versionStatus(name, entry);
  }

  /**
   * Takes a lease on a READY version (the default version — the highest READY one — when none is given).
   * Throws ModelNotFoundError, VersionNotFoundError or ModelNotReadyError.
   */
  acquire(name: string, version?: number): Lease {
    const model = this.models.get(name);
    if (!model) throw new ModelNotFoundError(name, this.models.keys());
    let entry: VersionEntry | undefined;
    let number = version;
    if (version === undefined) {
      for (const [v, e] of model.versions) {
        if (e.state === 'READY' && (number === undefined || v > number)) {
          number = v;
          entry = e;
        }
      }
      if (!entry || number === undefined) throw notReady(model);
    } else {
      entry = model.versions.get(version);
      if (!entry) throw new VersionNotFoundError(name, String(version));
      if (entry.state !== 'READY' || !entry.model) {
        throw new ModelNotReadyError(name, version, entry.state, entry.reason);
      }
    }
    const held = entry;
    held.inFlight++;
    let released = false;
    return {
      name,
      version: number!,
      model: held.model!,
      release: () => {
        if (released) return;
        released = true;
        held.inFlight--;
        if (held.inFlight === 0) held.onDrained?.();
      },
    };
  }

  /** Runs `work` after every earlier change to the model has finished. */
  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => {});
    this.locks.set(name, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    }
  }
}

export function modelStatus(entry: ModelEntry): ModelStatus {
  const versions = [...entry.versions.keys()].sort((a, b) => a - b);
  const ready = readyVersions(entry);
  return {
    name: entry.name,
    description: entry.config.description,
    platform,
    defaultVersion: ready.length > 0 ? ready[ready.length - 1]! : null,
    versions: versions.map((v) => versionStatus(entry.name, entry.versions.get(v)!)),
  };
}

export function versionStatus(name: string, entry: VersionEntry): VersionStatus {
  return {
    name,
    version: entry.disk.version,
    state: entry.state,
    reason: entry.state === 'READY' ? '' : entry.reason,
    sizeBytes: entry.disk.sizeBytes,
    createdAt: entry.disk.createdAt,
    source: entry.disk.source,
    trainingJob: entry.disk.trainingJob,
    optimizationJob: entry.disk.optimizationJob,
    parent: entry.disk.parent,
    sessionConfig: entry.disk.sessionConfig,
    inputs: entry.inputs,
    outputs: entry.outputs,
  };
}

export function readyVersions(entry: ModelEntry): number[] {
  return [...entry.versions.entries()]
    .filter(([, e]) => e.state === 'READY')
    .map(([v]) => v)
    .sort((a, b) => a - b);
}

/** Resolves once no request holds the version. */
export function drain(entry: VersionEntry): Promise<void> {
  if (entry.inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const previous = entry.onDrained;
    entry.onDrained = () => {
      entry.onDrained = previous;
      previous?.();
      resolve();
    };
  });
}

function notReady(model: ModelEntry): ModelNotReadyError {
  const versions = [...model.versions.entries()].sort(([a], [b]) => b - a);
  const top = versions[0];
  if (!top) return new ModelNotReadyError(model.name, undefined, 'UNAVAILABLE', 'it has no versions');
  const [, entry] = top;
  return new ModelNotReadyError(model.name, undefined, entry.state, entry.reason);
}
