// Keeps the registry in line with the repository on disk: startup refresh, polling, explicit load/unload, and the
// load and unload of single versions (with the registry's hooks). Callers hold the model's lock where noted.
import { stat } from 'node:fs/promises';
import { MaasServerError, ModelNotFoundError, UnprocessableError, VersionNotFoundError } from '../errors.js';
import { checkModelName } from './names.js';
import { ModelLoadError, type SessionOptions } from './onnx-model.js';
import {
  drain,
  type ModelEntry,
  type ModelState,
  type RegistryEntries,
  readyVersions,
  type VersionEntry,
  type VersionStatus,
  versionStatus,
} from './registry-entries.js';
import type { ModelOpener } from './registry-hooks.js';
import { type DiskVersion, describePolicy, type ModelRepository, selectVersions } from './repository.js';

export interface IndexEntry {
  name: string;
  version: number;
  state: ModelState;
  reason: string;
}

export class RepositorySync {
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly entries: RegistryEntries,
    private readonly repository: ModelRepository,
    private readonly openModel: ModelOpener,
    private readonly sessionOptions: SessionOptions,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Scans the repository and brings every model in line with it (startup and each poll). */
  async refresh(): Promise<void> {
    const names = new Set([...(await this.repository.listModelNames()), ...this.entries.models.keys()]);
    for (const name of [...names].sort()) {
      try {
        await this.entries.withLock(name, () => this.sync(name, false));
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** One model, as a poll would see it (under its lock). */
  async syncModel(name: string): Promise<void> {
    await this.entries.withLock(name, () => this.sync(name, false));
  }

  /**
   * Explicit load: re-reads the model from disk, loads the versions its policy selects (retrying failed ones) and
   * unloads the rest. Returns the READY versions. ModelNotFoundError when the folder does not exist,
   * UnprocessableError(model_invalid) when no version could be loaded.
   */
  async loadModel(name: string): Promise<number[]> {
    checkModelName(name);
    return this.entries.withLock(name, async () => {
      const entry = await this.sync(name, true);
      if (!entry) throw new ModelNotFoundError(name, this.entries.models.keys());
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
    await this.entries.withLock(name, async () => {
      const entry = this.entries.models.get(name);
      if (!entry) throw new ModelNotFoundError(name, this.entries.models.keys());
      entry.unloaded = true;
      for (const version of entry.versions.values()) await this.unloadEntry(entry, version, 'unloaded');
    });
  }

  /** Brings the model in line with disk (its policy decides what is loaded) and returns the version's status. */
  async loadVersion(name: string, version: number): Promise<VersionStatus> {
    checkModelName(name);
    return this.entries.withLock(name, async () => {
      const entry = await this.sync(name, true);
      if (!entry) throw new ModelNotFoundError(name, this.entries.models.keys());
      const found = entry.versions.get(version);
      if (!found) throw new VersionNotFoundError(name, String(version));
      return versionStatus(name, found);
    });
  }

  /**
   * Every version found on disk or known here, with its state: what `POST /v2/repository/index` lists. Versions on
   * disk that were never loaded (polling off) show as UNAVAILABLE.
   */
  async index(): Promise<IndexEntry[]> {
    const out: IndexEntry[] = [];
    const disk = new Map((await this.repository.scan()).map((m) => [m.name, m]));
    const names = [...new Set([...disk.keys(), ...this.entries.models.keys()])].sort();
    for (const name of names) {
      const entry = this.entries.models.get(name);
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
   * Waits (up to `timeoutMs`) for running requests and releases every session. Sessions still in use when the
   * time is up are left alone: releasing them under a running request is unsafe.
   */
  async close(timeoutMs: number): Promise<void> {
    this.stopPolling();
    const deadline = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
    await Promise.all(
      [...this.entries.models.values()].flatMap((model) =>
        [...model.versions.values()].map(async (entry) => {
          if (!entry.model) return;
          entry.state = 'UNLOADING';
          this.entries.unloading(context(model, entry), 'server shut down');
          const outcome = await Promise.race([drain(entry), deadline]);
          if (outcome === 'timeout' && entry.inFlight > 0) return;
          const loaded = entry.model;
          entry.model = undefined;
          entry.state = 'UNAVAILABLE';
          entry.reason = 'server shut down';
          await loaded?.close().catch(this.onError);
        }),
      ),
    );
  }

  /**
   * Brings one model in line with disk. `explicit` (load API) also clears an explicit unload and retries versions
   * that failed to load. Returns the entry, or undefined when the model's folder is gone (it is then dropped).
   * Caller holds the model's lock.
   */
  async sync(name: string, explicit: boolean): Promise<ModelEntry | undefined> {
    const disk = await this.repository.readModel(name);
    const existing = this.entries.models.get(name);
    if (!disk) {
      if (existing) {
        for (const version of existing.versions.values())
          await this.unloadEntry(existing, version, 'removed from the repository');
        this.entries.models.delete(name);
      }
      return undefined;
    }
    const entry: ModelEntry = existing ?? { name, config: disk.config, versions: new Map(), unloaded: false };
    this.entries.models.set(name, entry);
    entry.config = disk.config;
    if (disk.configError === undefined) delete entry.configError;
    else entry.configError = disk.configError;
    if (explicit) entry.unloaded = false;

    const onDisk = new Map(disk.versions.map((v) => [v.version, v]));
    for (const [version, known] of entry.versions) {
      if (onDisk.has(version)) continue;
      await this.unloadEntry(entry, known, 'removed from the repository');
      entry.versions.delete(version);
    }
    const selected = new Set(
      disk.configError === undefined ? selectVersions(disk.config.version_policy, [...onDisk.keys()]) : [],
    );
    // Versions routing points at (a pinned default, labels, a split, a shadow) stay loaded whatever the policy says.
    if (disk.configError === undefined) for (const v of this.entries.retained(name)) if (onDisk.has(v)) selected.add(v);
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
          disk.configError ?? `not selected by the version policy (${describePolicy(disk.config.version_policy)})`;
        if (known.model) await this.unloadEntry(entry, known, why);
        else {
          known.state = 'UNAVAILABLE';
          known.reason = why;
        }
        continue;
      }
      if (known.state === 'READY') continue;
      const signature = await fileSignature(diskVersion);
      if (!explicit && known.failedSignature !== undefined && known.failedSignature === signature) continue;
      await this.loadEntry(entry, known, signature);
    }
    return entry;
  }

  /** Opens the version's session, runs the `loaded` hooks, and turns it READY (or UNAVAILABLE with the reason). */
  private async loadEntry(model: ModelEntry, entry: VersionEntry, signature: string): Promise<void> {
    if (signature === 'missing') {
      entry.state = 'UNAVAILABLE';
      entry.reason = `no model.onnx in ${entry.disk.dir}`;
      entry.failedSignature = signature;
      return;
    }
    entry.state = 'LOADING';
    entry.reason = '';
    try {
      const opened = await this.openModel(entry.disk.file, this.sessionOptions, {
        name: model.name,
        config: model.config,
      });
      const served = await this.entries.loaded(opened, context(model, entry));
      entry.model = served;
      entry.inputs = served.inputs;
      entry.outputs = served.outputs;
      entry.state = 'READY';
      delete entry.failedSignature;
    } catch (err) {
      if (!(err instanceof ModelLoadError) && !(err instanceof MaasServerError)) this.onError(err);
      entry.state = 'UNAVAILABLE';
      entry.reason = err instanceof Error ? err.message : String(err);
      entry.failedSignature = signature;
    }
  }

  /** READY → UNLOADING (hooks told) → running requests finish → session released → UNAVAILABLE with `reason`. */
  async unloadEntry(model: ModelEntry, entry: VersionEntry, reason: string): Promise<void> {
    const loaded = entry.model;
    if (!loaded) {
      entry.state = 'UNAVAILABLE';
      entry.reason = reason;
      return;
    }
    entry.state = 'UNLOADING';
    entry.reason = reason;
    this.entries.unloading(context(model, entry), reason);
    await drain(entry);
    entry.model = undefined;
    entry.state = 'UNAVAILABLE';
    await loaded.close().catch(this.onError);
  }
}

function context(model: ModelEntry, entry: VersionEntry) {
  return { name: model.name, version: entry.disk.version, config: model.config };
}

async function fileSignature(version: DiskVersion): Promise<string> {
  const info = await stat(version.file).catch(() => undefined);
  return info ? `${info.size}:${info.mtimeMs}` : 'missing';
}
