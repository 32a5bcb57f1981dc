import { stat } from 'node:fs/promises';
import type { components } from '../../src/generated/openapi.js';
import {
  MaasServerError,
  ModelNotFoundError,
  ModelNotReadyError,
  UnprocessableError,
  VersionNotFoundError,
} from '../errors.js';
import { checkModelName } from './names.js';
import { ModelLoadError, type OnnxModel, openOnnxModel, type SessionOptions, type TensorSpec } from './onnx-model.js';
import {
  type DiskVersion,
  describePolicy,
  type ModelConfig,
  type ModelRepository,
  selectVersions,
  type VersionSource,
} from './repository.js';

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

export interface AddVersionOptions {
  source: VersionSource;
  trainingJob?: string | null;
  /** Also sets the model's description (config.json). */
  description?: string;
}

export interface RegistryOptions {
  repository: ModelRepository;
  sessionOptions?: SessionOptions;
  /** How sessions are opened (tests substitute it). */
  openModel?: (source: string | Uint8Array, options: SessionOptions) => Promise<OnnxModel>;
  /** Where failures of background work (polling) are reported. */
  onError?: (err: unknown) => void;
}

interface VersionEntry {
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

interface ModelEntry {
  name: string;
  config: ModelConfig;
  configError?: string;
  versions: Map<number, VersionEntry>;
  /** Explicitly unloaded: polling leaves it unloaded until an explicit load. */
  unloaded: boolean;
}

/**
 * Loaded models: name → versions → state. Every change to one model (polling, load/unload, upload, delete) runs
 * under that model's lock; `acquire` is synchronous and lock-free for the hot path.
 */
export class ModelRegistry {
  readonly repository: ModelRepository;
  private readonly models = new Map<string, ModelEntry>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly sessionOptions: SessionOptions;
  private readonly openModel: NonNullable<RegistryOptions['openModel']>;
  private readonly onError: (err: unknown) => void;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(options: RegistryOptions) {
    this.repository = options.repository;
    this.sessionOptions = options.sessionOptions ?? {};
    this.openModel = options.openModel ?? openOnnxModel;
    this.onError = options.onError ?? (() => {});
  }

  // ---- reading -------------------------------------------------------------------------------------------------

  has(name: string): boolean {
    return this.models.has(name);
  }

  /** Models sorted by name. */
  listModels(): ModelStatus[] {
    return [...this.models.keys()].sort().map((name) => this.status(this.models.get(name)!));
  }

  getModel(name: string): ModelStatus | undefined {
    const entry = this.models.get(name);
    return entry && this.status(entry);
  }

  getVersion(name: string, version: number): VersionStatus | undefined {
    const entry = this.models.get(name)?.versions.get(version);
    return entry && versionStatus(name, entry);
  }

  /** The model's status, or ModelNotFoundError. */
  requireModel(name: string): ModelStatus {
    const status = this.getModel(name);
    if (!status) throw new ModelNotFoundError(name);
    return status;
  }

  /** The version's status, or ModelNotFoundError / VersionNotFoundError. */
  requireVersion(name: string, version: number): VersionStatus {
    const model = this.models.get(name);
    if (!model) throw new ModelNotFoundError(name);
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
    if (!model) throw new ModelNotFoundError(name);
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

  /**
   * Every version found on disk or known here, with its state: what `POST /v2/repository/index` lists. Versions on
   * disk that were never loaded (polling off) show as UNAVAILABLE.
   */
  async index(): Promise<Array<{ name: string; version: number; state: ModelState; reason: string }>> {
    const out: Array<{ name: string; version: number; state: ModelState; reason: string }> = [];
    const disk = new Map((await this.repository.scan()).map((m) => [m.name, m]));
    const names = [...new Set([...disk.keys(), ...this.models.keys()])].sort();
    for (const name of names) {
      const entry = this.models.get(name);
      const versions = new Set<number>([
        ...(disk.get(name)?.versions.map((v) => v.version) ?? []),
        ...(entry?.versions.keys() ?? []),
      ]);
      for (const version of [...versions].sort((a, b) => a - b)) {
        const known = entry?.versions.get(version);
        out.push(
          known
            ? { name, version, state: known.state, reason: known.reason }
            : { name, version, state: 'UNAVAILABLE', reason: 'not loaded yet: load the model or turn polling on' },
        );
      }
    }
    return out;
  }

  // ---- changing ------------------------------------------------------------------------------------------------

  /** Scans the repository and brings every model in line with it (startup and each poll). */
  async refresh(): Promise<void> {
    const names = new Set([...(await this.repository.listModelNames()), ...this.models.keys()]);
    for (const name of [...names].sort()) {
      try {
        await this.withLock(name, () => this.sync(name, false));
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /**
   * Explicit load (`POST /v2/repository/models/{model}/load`): re-reads the model from disk, loads the versions its
   * policy selects (retrying failed ones) and unloads the rest. Returns the READY versions.
   * Throws ModelNotFoundError when the folder does not exist, UnprocessableError(model_invalid) when no version
   * could be loaded.
   */
  async loadModel(name: string): Promise<number[]> {
    checkModelName(name);
    return this.withLock(name, async () => {
      const entry = await this.sync(name, true);
      if (!entry) throw new ModelNotFoundError(name);
      const ready = readyVersions(entry);
      if (ready.length === 0) {
        const problems = [...entry.versions.entries()].map(([v, e]) => `version ${v}: ${e.reason || e.state}`);
        throw new UnprocessableError(
          'model_invalid',
          `Model '${name}' has no version that could be loaded${
            problems.length ? ` (${problems.join('; ')})` : ' (no version folders with model.onnx)'
          }`,
        );
      }
      return ready;
    });
  }

  /** Unloads every version of the model (running requests finish first); polling leaves it unloaded. */
  async unloadModel(name: string): Promise<void> {
    await this.withLock(name, async () => {
      const entry = this.models.get(name);
      if (!entry) throw new ModelNotFoundError(name);
      entry.unloaded = true;
      for (const version of entry.versions.values()) await this.unloadEntry(version, 'unloaded');
    });
  }

  /**
   * Brings the model in line with disk (its policy decides what is loaded) and returns the version's status.
   * For the jobs helper: after writing a version some other way, make it serve.
   */
  async loadVersion(name: string, version: number): Promise<VersionStatus> {
    checkModelName(name);
    return this.withLock(name, async () => {
      const entry = await this.sync(name, true);
      if (!entry) throw new ModelNotFoundError(name);
      const found = entry.versions.get(version);
      if (!found) throw new VersionNotFoundError(name, String(version));
      return versionStatus(name, found);
    });
  }

  /** One more than the highest version on disk or known here (1 for a new model). */
  async nextVersionNumber(name: string): Promise<number> {
    checkModelName(name);
    const disk = await this.repository.readModel(name);
    let highest = 0;
    for (const v of disk?.versions ?? []) highest = Math.max(highest, v.version);
    for (const v of this.models.get(name)?.versions.keys() ?? []) highest = Math.max(highest, v);
    return highest + 1;
  }

  /**
   * Adds the model's next version: opens a real session on the bytes first (UnprocessableError(model_invalid) with
   * the runtime's message if it cannot, and nothing is written), then writes it atomically and serves it (subject
   * to the model's version policy). Used by uploads and by training jobs (source 'training').
   */
  async addVersion(name: string, bytes: Uint8Array, options: AddVersionOptions): Promise<VersionStatus> {
    checkModelName(name);
    let model: OnnxModel;
    try {
      model = await this.openModel(bytes, this.sessionOptions);
    } catch (err) {
      if (err instanceof ModelLoadError) {
        throw new UnprocessableError('model_invalid', `The body is not a model ONNX Runtime can load: ${err.message}`);
      }
      throw err;
    }
    let handedOver = false;
    try {
      return await this.withLock(name, async () => {
        const version = await this.nextVersionNumber(name);
        const disk = await this.repository.writeVersion(name, version, bytes, options);
        if (options.description !== undefined) await this.repository.writeDescription(name, options.description);
        const entry = await this.ensureEntry(name);
        entry.unloaded = false;
        entry.versions.set(version, {
          disk,
          state: 'READY',
          reason: '',
          model,
          inputs: model.inputs,
          outputs: model.outputs,
          inFlight: 0,
        });
        handedOver = true;
        await this.sync(name, false);
        return versionStatus(name, this.models.get(name)?.versions.get(version) ?? unknownVersion(disk));
      });
    } catch (err) {
      // Until the registry holds the session, closing it is ours to do.
      if (!handedOver) await model.close().catch(() => {});
      throw err;
    }
  }

  /** Unloads the version (running requests finish), removes its folder, and re-applies the version policy. */
  async deleteVersion(name: string, version: number): Promise<void> {
    checkModelName(name);
    await this.withLock(name, async () => {
      const entry = this.models.get(name);
      const onDisk = (await this.repository.readModel(name))?.versions.some((v) => v.version === version) ?? false;
      if (!entry && !onDisk) throw new ModelNotFoundError(name);
      const known = entry?.versions.get(version);
      if (!known && !onDisk) throw new VersionNotFoundError(name, String(version));
      if (known) await this.unloadEntry(known, 'deleted');
      await this.repository.removeVersion(name, version);
      entry?.versions.delete(version);
      await this.sync(name, false);
    });
  }

  /** Polls the repository every `intervalMs` (each scan starts after the previous one ends). */
  startPolling(intervalMs: number): void {
    this.stopPolling();
    if (intervalMs <= 0) return;
    this.polling = true;
    const tick = () => {
      this.pollTimer = setTimeout(async () => {
        await this.refresh().catch(this.onError);
        if (this.polling) tick();
      }, intervalMs);
      this.pollTimer.unref();
    };
    tick();
  }

  stopPolling(): void {
    this.polling = false;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  /**
   * Stops polling, waits (up to `timeoutMs`) for running requests, and releases every session. Sessions still in
   * use when the time is up are left alone: releasing them under a running request is unsafe.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPolling();
    const entries = [...this.models.values()].flatMap((m) => [...m.versions.values()]);
    const deadline = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
    await Promise.all(
      entries.map(async (entry) => {
        if (!entry.model) return;
        entry.state = 'UNLOADING';
        const outcome = await Promise.race([drain(entry), deadline]);
        if (outcome === 'timeout' && entry.inFlight > 0) return;
        const model = entry.model;
        entry.model = undefined;
        entry.state = 'UNAVAILABLE';
        entry.reason = 'server shut down';
        await model?.close().catch(this.onError);
      }),
    );
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private status(entry: ModelEntry): ModelStatus {
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

  private async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
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

  private async ensureEntry(name: string): Promise<ModelEntry> {
    let entry = this.models.get(name);
    if (!entry) {
      const { config, error } = await this.repository.readConfig(name);
      entry = { name, config, versions: new Map(), unloaded: false };
      if (error !== undefined) entry.configError = error;
      this.models.set(name, entry);
    }
    return entry;
  }

  /**
   * Brings one model in line with disk. `explicit` (load API) also clears an explicit unload and retries versions
   * that failed to load. Returns the entry, or undefined when the model's folder is gone (it is then dropped).
   * Caller holds the model's lock.
   */
  private async sync(name: string, explicit: boolean): Promise<ModelEntry | undefined> {
    const disk = await this.repository.readModel(name);
    const existing = this.models.get(name);
    if (!disk) {
      if (existing) {
        for (const version of existing.versions.values())
          await this.unloadEntry(version, 'removed from the repository');
        this.models.delete(name);
      }
      return undefined;
    }
    const entry: ModelEntry = existing ?? { name, config: disk.config, versions: new Map(), unloaded: false };
    this.models.set(name, entry);
    entry.config = disk.config;
    if (disk.configError === undefined) delete entry.configError;
    else entry.configError = disk.configError;
    if (explicit) entry.unloaded = false;

    const onDisk = new Map(disk.versions.map((v) => [v.version, v]));
    for (const [version, known] of entry.versions) {
      if (onDisk.has(version)) continue;
      await this.unloadEntry(known, 'removed from the repository');
      entry.versions.delete(version);
    }
    const selected = new Set(
      disk.configError === undefined ? selectVersions(disk.config.versionPolicy, [...onDisk.keys()]) : [],
    );
    for (const [version, diskVersion] of onDisk) {
      let known = entry.versions.get(version);
      if (!known) {
        known = { disk: diskVersion, state: 'UNAVAILABLE', reason: 'not loaded', inputs: [], outputs: [], inFlight: 0 };
        entry.versions.set(version, known);
      }
      if (known.state !== 'READY') known.disk = diskVersion;
      if (entry.unloaded) {
        if (!known.model) known.reason = 'unloaded';
        continue;
      }
      if (!selected.has(version)) {
        const why =
          disk.configError ?? `not selected by the version policy (${describePolicy(disk.config.versionPolicy)})`;
        if (known.model) await this.unloadEntry(known, why);
        else {
          known.state = 'UNAVAILABLE';
          known.reason = why;
        }
        continue;
      }
      if (known.state === 'READY') continue;
      const signature = await fileSignature(diskVersion);
      if (!explicit && known.failedSignature !== undefined && known.failedSignature === signature) continue;
      await this.loadEntry(known, signature);
    }
    return entry;
  }

  private async loadEntry(entry: VersionEntry, signature: string): Promise<void> {
    if (signature === 'missing') {
      entry.state = 'UNAVAILABLE';
      entry.reason = `no model.onnx in ${entry.disk.dir}`;
      entry.failedSignature = signature;
      return;
    }
    entry.state = 'LOADING';
    entry.reason = '';
    try {
      const model = await this.openModel(entry.disk.file, this.sessionOptions);
      entry.model = model;
      entry.inputs = model.inputs;
      entry.outputs = model.outputs;
      entry.state = 'READY';
      delete entry.failedSignature;
    } catch (err) {
      if (!(err instanceof ModelLoadError) && !(err instanceof MaasServerError)) this.onError(err);
      entry.state = 'UNAVAILABLE';
      entry.reason = err instanceof Error ? err.message : String(err);
      entry.failedSignature = signature;
    }
  }

  /** READY → UNLOADING → (running requests finish) → session released → UNAVAILABLE with `reason`. */
  private async unloadEntry(entry: VersionEntry, reason: string): Promise<void> {
    const model = entry.model;
    if (!model) {
      entry.state = 'UNAVAILABLE';
      entry.reason = reason;
      return;
    }
    entry.state = 'UNLOADING';
    entry.reason = reason;
    await drain(entry);
    entry.model = undefined;
    entry.state = 'UNAVAILABLE';
    await model.close().catch(this.onError);
  }
}

function drain(entry: VersionEntry): Promise<void> {
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

function readyVersions(entry: ModelEntry): number[] {
  return [...entry.versions.entries()]
    .filter(([, e]) => e.state === 'READY')
    .map(([v]) => v)
    .sort((a, b) => a - b);
}

function notReady(model: ModelEntry): ModelNotReadyError {
  const versions = [...model.versions.entries()].sort(([a], [b]) => b - a);
  const top = versions[0];
  if (!top) return new ModelNotReadyError(model.name, undefined, 'UNAVAILABLE', 'it has no versions');
  const [, entry] = top;
  return new ModelNotReadyError(model.name, undefined, entry.state, entry.reason);
}

function versionStatus(name: string, entry: VersionEntry): VersionStatus {
  return {
    name,
    version: entry.disk.version,
    state: entry.state,
    reason: entry.state === 'READY' ? '' : entry.reason,
    sizeBytes: entry.disk.sizeBytes,
    createdAt: entry.disk.createdAt,
    source: entry.disk.source,
    trainingJob: entry.disk.trainingJob,
    inputs: entry.inputs,
    outputs: entry.outputs,
  };
}

function unknownVersion(disk: DiskVersion): VersionEntry {
  return { disk, state: 'UNAVAILABLE', reason: 'removed', inputs: [], outputs: [], inFlight: 0 };
}

async function fileSignature(version: DiskVersion): Promise<string> {
  const info = await stat(version.file).catch(() => undefined);
  return info ? `${info.size}:${info.mtimeMs}` : 'missing';
}
