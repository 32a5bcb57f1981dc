import type { ModelRegistry } from '../inference/registry.js';

/** Turns a finished job's ONNX bytes into a served version. */
export interface Deployer {
  /** Writes the model as the next version of `model` and serves it. */
  deploy(
    model: string,
    onnx: Uint8Array,
    options: { jobId: string; description: string },
  ): Promise<{ version: string }>;
  /** The version an earlier run of this job already deployed (a crash between deploying and recording it). */
  findDeployed?(model: string, jobId: string): string | undefined | Promise<string | undefined>;
}

/** Deploys through the registry: the next version of the model, written atomically, loaded and served at once. */
export function registryDeployer(registry: ModelRegistry): Deployer {
  return {
    async deploy(model, onnx, { jobId, description }) {
      const status = await registry.addVersion(model, onnx, { source: 'training', trainingJob: jobId, description });
      return { version: String(status.version) };
    },
    findDeployed(model, jobId) {
      const found = registry.getModel(model)?.versions.find((v) => v.trainingJob === jobId);
      return found && String(found.version);
    },
  };
}
