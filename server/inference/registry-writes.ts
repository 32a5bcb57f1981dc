// Writing versions into the repository and the registry: upload and training deploys (add), and delete.
import { ModelNotFoundError, UnprocessableError, VersionNotFoundError } from '../errors.js';
import { checkModelName } from './names.js';
import { ModelLoadError, type OnnxModel, type SessionOptions } from './onnx-model.js';
import { type RegistryEntries, type VersionEntry, type VersionStatus, versionStatus } from './registry-entries.js';
import type { ModelOpener } from './registry-hooks.js';
import type { RepositorySync } from './registry-sync.js';
import type { ModelRepository, VersionSource } from './repository.js';

/**
 * Several processes (replicas, training workers) writing one repository on a shared filesystem: version writes of
 * a model take its lock across them (so two never pick the same next version) and announce themselves.
 */
export interface SharedRepository {
  withModelLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** A version of `name` was added or removed by this process. */
  changed(name: string): Promise<void>;
}

export interface AddVersionOptions {
  source: VersionSource;
  trainingJob?: string | null;
  /** Also sets the model's description (config.json). */
  description?: string;
}

export class VersionWrites {
  constructor(
    private readonly entries: RegistryEntries,
    private readonly sync: RepositorySync,
    private readonly repository: ModelRepository,
    private readonly openModel: ModelOpener,
    private readonly sessionOptions: SessionOptions,
    private readonly shared?: SharedRepository,
  ) {}

  /** Under the model's lock here and, with a shared repository, across processes; announced when done. */
  private exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const shared = this.shared;
    if (!shared) return this.entries.withLock(name, fn);
    return this.entries.withLock(name, async () => {
      const out = await shared.withModelLock(name, fn);
      await shared.changed(name);
      return out;
    });
  }

  /** One more than the highest version on disk or known here (1 for a new model). */
  async nextVersionNumber(name: string): Promise<number> {
    checkModelName(name);
    const disk = await this.repository.readModel(name);
    let highest = 0;
    for (const v of disk?.versions ?? []) highest = Math.max(highest, v.version);
    for (const v of this.entries.models.get(name)?.versions.keys() ?? []) highest = Math.max(highest, v);
    return highest + 1;
  }

  /**
   * Adds the model's next version: opens a real session on the bytes and runs the `loaded` hooks first
   * (UnprocessableError(model_invalid) with the runtime's message if that fails, and nothing is written), then
   * writes it atomically and serves it (subject to the model's version policy).
   */
  async addVersion(name: string, bytes: Uint8Array, options: AddVersionOptions): Promise<VersionStatus> {
    checkModelName(name);
    const { config } = await this.repository.readConfig(name);
    let opened: OnnxModel;
    try {
      opened = await this.openModel(bytes, this.sessionOptions, { name, config });
    } catch (err) {
      if (err instanceof ModelLoadError) {
        throw new UnprocessableError('model_invalid', `The body is not a model ONNX Runtime can load: ${err.message}`);
      }
      throw err;
    }
    // Ours to close until the registry holds it.
    let ours: OnnxModel | undefined = opened;
    try {
      return await this.exclusive(name, async () => {
        const version = await this.nextVersionNumber(name);
        const served = await this.entries.loaded(opened, { name, version, config }).catch((err: unknown) => {
          ours = undefined; // `loaded` closed it
          throw new UnprocessableError(
            'model_invalid',
            `The model loaded but is not ready to serve: ${err instanceof Error ? err.message : String(err)}`,
          );
        });
        ours = served;
        const disk = await this.repository.writeVersion(name, version, bytes, options);
        if (options.description !== undefined) await this.repository.writeDescription(name, options.description);
        const entry = await this.ensureEntry(name);
        entry.unloaded = false;
        const added: VersionEntry = {
          disk,
          state: 'READY',
          reason: '',
          model: served,
          inputs: served.inputs,
          outputs: served.outputs,
          inFlight: 0,
        };
        entry.versions.set(version, added);
        ours = undefined;
        // The version policy may unload an older version (or this one, under `specific`).
        await this.sync.sync(name, false);
        return versionStatus(name, added);
      });
    } finally {
      await ours?.close().catch(() => {});
    }
  }

  /** Unloads the version (running requests finish), removes its folder, and re-applies the version policy. */
  async deleteVersion(name: string, version: number): Promise<void> {
    checkModelName(name);
    await this.exclusive(name, async () => {
      const entry = this.entries.models.get(name);
      const onDisk = (await this.repository.readModel(name))?.versions.some((v) => v.version === version) ?? false;
      if (!entry && !onDisk) throw new ModelNotFoundError(name, this.entries.models.keys());
      const known = entry?.versions.get(version);
      if (!known && !onDisk) throw new VersionNotFoundError(name, String(version));
      if (entry && known) await this.sync.unloadEntry(entry, known, 'deleted');
      await this.repository.removeVersion(name, version);
      entry?.versions.delete(version);
      await this.sync.sync(name, false);
    });
  }

  private async ensureEntry(name: string) {
    let entry = this.entries.models.get(name);
    if (!entry) {
      const { config, error } = await this.repository.readConfig(name);
      entry = { name, config, versions: new Map(), unloaded: false };
      if (error !== undefined) entry.configError = error;
      this.entries.models.set(name, entry);
    }
    return entry;
  }
}
