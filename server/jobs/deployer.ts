import type { ModelRegistry } from '../inference/registry.js';
import type { Router } from '../inference/routing.js';

/** What a deploy records about the version, and whether it becomes the default. */
export interface DeployOptions {
  jobId: string;
  /** Also sets the model's description (a trained model describes its features and labels). */
  description?: string;
  /** The kind of job that made it (default training). */
  source?: 'training' | 'optimization';
  /**
   * Serve it as the new default (default true: a pinned model's pin moves to it), or publish it as a candidate:
   * loaded, taking no unversioned traffic until `PATCH /v1/models/{model}` pins it.
   */
  promote?: boolean;
  /** For an optimised version: the version it was made from. */
  parent?: { model: string; version: string };
  /** ONNX Runtime session config entries the version is served with. */
  sessionConfig?: Record<string, string>;
}

/** Turns a finished job's ONNX bytes into a served version. */
export interface Deployer {
  /** Writes the model as the next version of `model` and serves it. */
  deploy(model: string, onnx: Uint8Array, options: DeployOptions): Promise<{ version: string }>;
  /** The version an earlier run of this job already deployed (a crash between deploying and recording it). */
  findDeployed?(model: string, jobId: string): string | undefined | Promise<string | undefined>;
}

/** The version meta a deploy writes (repository.ts VersionMeta) from its options. */
export function versionMeta(options: DeployOptions) {
  const optimization = options.source === 'optimization';
  return {
    source: options.source ?? 'training',
    trainingJob: optimization ? null : options.jobId,
    ...(optimization ? { optimizationJob: options.jobId } : {}),
    ...(options.parent ? { parent: options.parent } : {}),
    ...(options.sessionConfig ? { sessionConfig: options.sessionConfig } : {}),
  } as const;
}

/** Whether a version's meta says this job made it. */
export const madeBy = (v: { trainingJob: string | null; optimizationJob: string | null }, jobId: string): boolean =>
  v.trainingJob === jobId || v.optimizationJob === jobId;

/**
 * Deploys through the registry: the next version of the model, written atomically, loaded and served at once — as
 * the default, or as a candidate the router keeps loaded and out of unversioned traffic.
 */
export function registryDeployer(registry: ModelRegistry, router?: Router): Deployer {
  return {
    async deploy(model, onnx, options) {
      const why = `${options.source ?? 'training'} job ${options.jobId}`;
      const candidate = options.promote === false;
      if (candidate) {
        if (!router) throw new Error('publishing a candidate needs the router');
        await router.holdDefault(model, registry.getModel(model)?.defaultVersion ?? null, why);
      }
      const status = await registry.addVersion(model, onnx, {
        ...versionMeta(options),
        ...(options.description !== undefined ? { description: options.description } : {}),
      });
      if (candidate) await router!.addCandidate(model, status.version, why);
      else {
        await router?.promote(model, status.version, why);
      }
      return { version: String(status.version) };
    },
    findDeployed(model, jobId) {
      const found = registry.getModel(model)?.versions.find((v) => madeBy(v, jobId));
      return found && String(found.version);
    },
  };
}
