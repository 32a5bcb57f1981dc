import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { components } from '../../src/generated/openapi.js';
import {
  type ConfigDefaults,
  defaultConfigDefaults,
  defaultModelConfig,
  type ModelConfig,
  parseModelConfig,
  type VersionPolicy,
} from './model-config.js';
import { isValidModelName, parseVersion } from './names.js';

export type { ModelConfig, VersionPolicy };

export type VersionSource = components['schemas']['ModelVersion']['source'];

/** One `<repo>/<model>/<version>/` folder. */
export interface DiskVersion {
  version: number;
  dir: string;
  /** `<dir>/model.onnx` (it may be missing; loading then fails with that reason). */
  file: string;
  sizeBytes: number;
  createdAt: string;
  source: VersionSource;
  trainingJob: string | null;
  /** For source optimization: the job that made it and the version it was made from. */
  optimizationJob: string | null;
  parent: { model: string; version: string } | null;
  /** ONNX Runtime session config entries the version is served with (a quantised version's needs). */
  sessionConfig: Record<string, string>;
}

/** What a write records about a version besides its bytes. */
export interface VersionMeta {
  source: VersionSource;
  trainingJob?: string | null;
  optimizationJob?: string | null;
  parent?: { model: string; version: string } | null;
  sessionConfig?: Record<string, string>;
}

export interface DiskModel {
  name: string;
  dir: string;
  config: ModelConfig;
  /** Why config.json could not be used; every version is then unavailable with this reason. */
  configError?: string;
  /** Ascending. */
  versions: DiskVersion[];
}

/** Written next to model.onnx by uploads and training; absent for hand-placed versions. */
interface VersionMetaFile {
  source: VersionSource;
  training_job: string | null;
  created_at: string;
  optimization_job?: string;
  parent_model?: string;
  parent_version?: string;
  session_config?: Record<string, string>;
}

const SOURCES: readonly VersionSource[] = ['upload', 'training', 'optimization'];

export const modelFileName = 'model.onnx';
const configFileName = 'config.json';
const metaFileName = 'maas-version.json';

/** The model repository on disk (Triton layout). Callers validate names and versions first (names.ts). */
export class ModelRepository {
  constructor(
    readonly root: string,
    /** What a config.json leaves out (server settings). */
    private readonly defaults: ConfigDefaults = defaultConfigDefaults,
  ) {}

  modelDir(name: string): string {
    return join(this.root, name);
  }

  versionDir(name: string, version: number): string {
    return join(this.root, name, String(version));
  }

  /** Folders at the top level whose names are valid model names, sorted. */
  async listModelNames(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(ignoreMissing);
    if (!entries) return [];
    return entries
      .filter((e) => e.isDirectory() && isValidModelName(e.name))
      .map((e) => e.name)
      .sort();
  }

  async scan(): Promise<DiskModel[]> {
    const models: DiskModel[] = [];
    for (const name of await this.listModelNames()) {
      const model = await this.readModel(name);
      if (model) models.push(model);
    }
    return models;
  }

  /** The model's folder, config and versions; undefined when the folder does not exist. */
  async readModel(name: string): Promise<DiskModel | undefined> {
    const dir = this.modelDir(name);
    const entries = await readdir(dir, { withFileTypes: true }).catch(ignoreMissing);
    if (!entries) return undefined;
    const { config, error } = await this.readConfig(name);
    const versions: DiskVersion[] = [];
    for (const entry of entries) {
      const version = entry.isDirectory() ? parseVersion(entry.name) : undefined;
      if (version === undefined) continue;
      versions.push(await this.readVersion(name, version));
    }
    versions.sort((a, b) => a.version - b.version);
    return error === undefined ? { name, dir, config, versions } : { name, dir, config, configError: error, versions };
  }

  async readVersion(name: string, version: number): Promise<DiskVersion> {
    const dir = this.versionDir(name, version);
    const file = join(dir, modelFileName);
    const info = await stat(file).catch(() => undefined);
    const meta = await readJson<Partial<VersionMetaFile>>(join(dir, metaFileName)).catch(() => undefined);
    const source = meta?.source && SOURCES.includes(meta.source) ? meta.source : 'repository';
    const config = isObject(meta?.session_config) ? meta.session_config : {};
    return {
      version,
      dir,
      file,
      sizeBytes: info?.size ?? 0,
      createdAt: typeof meta?.created_at === 'string' ? meta.created_at : (info?.mtime ?? new Date(0)).toISOString(),
      source,
      trainingJob: typeof meta?.training_job === 'string' ? meta.training_job : null,
      optimizationJob: typeof meta?.optimization_job === 'string' ? meta.optimization_job : null,
      parent:
        typeof meta?.parent_model === 'string' && typeof meta.parent_version === 'string'
          ? { model: meta.parent_model, version: meta.parent_version }
          : null,
      sessionConfig: Object.fromEntries(Object.entries(config).filter(([, v]) => typeof v === 'string')),
    };
  }

  async readConfig(name: string): Promise<{ config: ModelConfig; error?: string }> {
    const path = join(this.modelDir(name), configFileName);
    let json: unknown;
    try {
      json = await readJson(path);
    } catch (err) {
      const fallback = defaultModelConfig(name, this.defaults);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { config: fallback };
      return { config: fallback, error: `config.json: ${(err as Error).message}` };
    }
    try {
      return { config: parseModelConfig(json, name, this.defaults) };
    } catch (err) {
      return { config: defaultModelConfig(name, this.defaults), error: (err as Error).message };
    }
  }

  /** Sets the description in config.json, keeping its other fields; written atomically. */
  async writeDescription(name: string, description: string): Promise<void> {
    const path = join(this.modelDir(name), configFileName);
    const current = await readJson<Record<string, unknown>>(path).catch(() => ({}));
    const next = { ...(isObject(current) ? current : {}), description };
    await mkdir(this.modelDir(name), { recursive: true });
    const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`);
    await rename(temp, path);
  }

  /**
   * Writes a version atomically: everything goes into a hidden temp folder beside it (not a valid version name, so
   * scans skip it), which is then renamed into place. Fails if the version already exists.
   */
  async writeVersion(name: string, version: number, bytes: Uint8Array, meta: VersionMeta): Promise<DiskVersion> {
    const modelDir = this.modelDir(name);
    await mkdir(modelDir, { recursive: true });
    const temp = join(modelDir, `.tmp-${version}-${randomBytes(6).toString('hex')}`);
    const metaFile: VersionMetaFile = {
      source: meta.source,
      training_job: meta.trainingJob ?? null,
      created_at: new Date().toISOString(),
      ...(meta.optimizationJob ? { optimization_job: meta.optimizationJob } : {}),
      ...(meta.parent ? { parent_model: meta.parent.model, parent_version: meta.parent.version } : {}),
      ...(meta.sessionConfig && Object.keys(meta.sessionConfig).length > 0
        ? { session_config: meta.sessionConfig }
        : {}),
    };
    try {
      await mkdir(temp);
      await writeFile(join(temp, modelFileName), bytes);
      await writeFile(join(temp, metaFileName), `${JSON.stringify(metaFile, null, 2)}\n`);
      // rename() onto an existing non-empty folder fails (ENOTEMPTY/EEXIST), which is what we want.
      await rename(temp, this.versionDir(name, version));
    } catch (err) {
      await rm(temp, { recursive: true, force: true });
      throw err;
    }
    return this.readVersion(name, version);
  }

  /** Removes a version folder: renamed aside first so a concurrent scan never sees it half-deleted. */
  async removeVersion(name: string, version: number): Promise<void> {
    const dir = this.versionDir(name, version);
    const trash = join(this.modelDir(name), `.del-${version}-${randomBytes(6).toString('hex')}`);
    try {
      await rename(dir, trash);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await rm(trash, { recursive: true, force: true });
  }
}

/** The versions a policy selects from those on disk, ascending. */
export function selectVersions(policy: VersionPolicy, onDisk: readonly number[]): number[] {
  const sorted = [...onDisk].sort((a, b) => a - b);
  if ('all' in policy) return sorted;
  if ('specific' in policy) return sorted.filter((v) => policy.specific.versions.includes(v));
  return sorted.slice(Math.max(0, sorted.length - policy.latest.num_versions));
}

export function describePolicy(policy: VersionPolicy): string {
  if ('all' in policy) return 'all';
  if ('specific' in policy) return `specific [${policy.specific.versions.join(', ')}]`;
  return `latest ${policy.latest.num_versions}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readJson<T = unknown>(path: string): Promise<T> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): undefined {
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
  throw err;
}
