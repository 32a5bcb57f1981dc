import { ModelLoadError, openOnnxModel } from '../inference/onnx-model.js';
import type { SharedRepository } from '../inference/registry.js';
import type { ModelRepository } from '../inference/repository.js';
import type { Deployer } from './deployer.js';

/**
 * Deploys into a shared repository without serving (what `maas worker` uses): the bytes are opened in a real ONNX
 * Runtime session first, then written as the model's next version under the model's lock across processes, and
 * announced, so every replica loads it. A job that already deployed a version (a crash before recording it) gets
 * that version back instead of a second one.
 */
export function repositoryDeployer(repository: ModelRepository, shared: SharedRepository): Deployer {
  const deployedBy = async (model: string, jobId: string) => {
    const found = (await repository.readModel(model))?.versions.find((v) => v.trainingJob === jobId);
    return found && String(found.version);
  };
  return {
    async deploy(model, onnx, { jobId, description }) {
      try {
        await (await openOnnxModel(onnx)).close();
      } catch (err) {
        if (err instanceof ModelLoadError)
          throw new Error(`ONNX Runtime cannot load the trained model: ${err.message}`);
        throw err;
      }
      const version = await shared.withModelLock(model, async () => {
        const existing = await deployedBy(model, jobId);
        if (existing) return existing;
        const highest = Math.max(0, ...((await repository.readModel(model))?.versions.map((v) => v.version) ?? []));
        await repository.writeVersion(model, highest + 1, onnx, { source: 'training', trainingJob: jobId });
        await repository.writeDescription(model, description);
        return String(highest + 1);
      });
      await shared.changed(model);
      return { version };
    },
    findDeployed: deployedBy,
  };
}
