// ModelRegistry: the one object the rest of the server talks to about models. Its parts, one concern each:
// registry-entries.ts (state, leases, status), registry-sync.ts (disk → registry: refresh, polling, load/unload),
// registry-writes.ts (add and delete versions), registry-hooks.ts (where serving features attach).
import { type OnnxModel, openOnnxModel, type SessionOptions } from './onnx-model.js';
import {
  type Lease,
  type ModelState,
  type ModelStatus,
  platform,
  RegistryEntries,
  type VersionStatus,
} from './registry-entries.js';
import type { ModelOpener, RegistryHooks } from './registry-hooks.js';
import { type IndexEntry, RepositorySync } from './registry-sync.js';
import { type AddVersionOptions, type SharedRepository, VersionWrites } from './registry-writes.js';
import type { ModelConfig, ModelRepository } from './repository.js';

export type {
  AddVersionOptions,
  IndexEntry,
  Lease,
  ModelState,
  ModelStatus,
  RegistryHooks,
  SharedRepository,
  VersionStatus,
};
export { platform };

export interface RegistryOptions {
  repository: ModelRepository;
  sessionOptions?: SessionOptions;
  /** How sessions are opened (default: ONNX Runtime on this thread; a worker pool or a test substitutes it). */
  openModel?: ModelOpener;
  /** Where failures of background work (polling) are reported. */
  onError?: (err: unknown) => void;
  /** The repository is written by other processes too (see SharedRepository). */
  shared?: SharedRepository;
}

/**
 * Loaded models: name → versions → state. Every change to one model (polling, load/unload, upload, delete) runs
 * under that model's lock; `acquire` is synchronous and lock-free for the hot path.
 */
export class ModelRegistry {
  readonly repository: ModelRepository;
  private readonly entries = new RegistryEntries();
  private readonly sync: RepositorySync;
  private readonly writes: VersionWrites;
  private closed = false;

  constructor(options: RegistryOptions) {
    this.repository = options.repository;
    const open: ModelOpener = options.openModel ?? ((source, sessionOptions) => openOnnxModel(source, sessionOptions));
    const sessionOptions = options.sessionOptions ?? {};
    const onError = options.onError ?? (() => {});
    this.sync = new RepositorySync(this.entries, this.repository, open, sessionOptions, onError);
    this.writes = new VersionWrites(this.entries, this.sync, this.repository, open, sessionOptions, options.shared);
  }

  /** Attaches serving features (a batcher, warmup): see RegistryHooks. Add them before the first refresh. */
  addHooks(hooks: RegistryHooks): void {
    this.entries.addHooks(hooks);
  }

  // ---- reading -------------------------------------------------------------------------------------------------

  has(name: string): boolean {
    return this.entries.models.has(name);
  }

  /** Models sorted by name. */
  listModels(): ModelStatus[] {
    return this.entries.listModels();
  }

  getModel(name: string): ModelStatus | undefined {
    return this.entries.getModel(name);
  }

  getVersion(name: string, version: number): VersionStatus | undefined {
    return this.entries.getVersion(name, version);
  }

  /** The model's status, or ModelNotFoundError. */
  requireModel(name: string): ModelStatus {
    return this.entries.requireModel(name);
  }

  /** The model's configuration (config.json with defaults), or ModelNotFoundError. */
  requireConfig(name: string): ModelConfig {
    return this.entries.requireConfig(name);
  }

  /** The version's status, or ModelNotFoundError / VersionNotFoundError. */
  requireVersion(name: string, version: number): VersionStatus {
    return this.entries.requireVersion(name, version);
  }

  /**
   * Takes a lease on a READY version (the default version — the highest READY one — when none is given).
   * Throws ModelNotFoundError, VersionNotFoundError or ModelNotReadyError.
   */
  acquire(name: string, version?: number): Lease {
    return this.entries.acquire(name, version);
  }

  /** Every version on disk or known here, with its state (`POST /v2/repository/index`). */
  index(): Promise<IndexEntry[]> {
    return this.sync.index();
  }

  // ---- changing ------------------------------------------------------------------------------------------------

  /** Scans the repository and brings every model in line with it (startup and each poll). */
  refresh(): Promise<void> {
    return this.sync.refresh();
  }

  /** Brings one model in line with disk and its hooks (what routing retains), as a poll would. */
  async syncModel(name: string): Promise<void> {
    await this.sync.syncModel(name);
  }

  /** Explicit load (`POST /v2/repository/models/{model}/load`); returns the READY versions. */
  loadModel(name: string): Promise<number[]> {
    return this.sync.loadModel(name);
  }

  /** Unloads every version of the model (running requests finish first); polling leaves it unloaded. */
  unloadModel(name: string): Promise<void> {
    return this.sync.unloadModel(name);
  }

  /** After writing a version some other way, make it serve (its policy permitting); returns its status. */
  loadVersion(name: string, version: number): Promise<VersionStatus> {
    return this.sync.loadVersion(name, version);
  }

  /** One more than the highest version on disk or known here (1 for a new model). */
  nextVersionNumber(name: string): Promise<number> {
    return this.writes.nextVersionNumber(name);
  }

  /** Adds the model's next version (checked in a real session first, then written atomically, then served). */
  addVersion(name: string, bytes: Uint8Array, options: AddVersionOptions): Promise<VersionStatus> {
    return this.writes.addVersion(name, bytes, options);
  }

  /** Unloads the version (running requests finish), removes its folder, and re-applies the version policy. */
  deleteVersion(name: string, version: number): Promise<void> {
    return this.writes.deleteVersion(name, version);
  }

  /** Polls the repository every `intervalMs` (each scan starts after the previous one ends). */
  startPolling(intervalMs: number): void {
    this.sync.startPolling(intervalMs);
  }

  stopPolling(): void {
    this.sync.stopPolling();
  }

  /** Stops polling, waits (up to `timeoutMs`) for running requests, and releases every session. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sync.close(timeoutMs);
  }
}

export type { OnnxModel };
