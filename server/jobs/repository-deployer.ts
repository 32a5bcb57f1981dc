import { ModelLoadError, openOnnxModel } from '../inference/onnx-model.js';
import type { SharedRepository } from '../inference/registry.js';
import type { ModelRepository } from '../inference/repository.js';
import { candidateEvent, emptyRouting, withCandidate } from '../inference/routing.js';
import type { ModelRoutingRecords } from '../store/store.js';
import { type Deployer, madeBy, versionMeta } from './deployer.js';

/**
 * Deploys into a shared repository without serving (what `maas worker` uses): the bytes are opened in a real ONNX
 * Runtime session first, then written as the model's next version under the model's lock across processes, and
 * announced, so every replica loads it. A job that already deployed a version (a crash before recording it) gets
 * that version back instead of a second one. A candidate (`promote: false`) is recorded in the shared routing: an
 * unpinned model is pinned to its highest version first, and every replica takes the routing over.
 */
export function repositoryDeployer(
  repository: ModelRepository,
  shared: SharedRepository,
  routing?: ModelRoutingRecords,
): Deployer {
  const deployedBy = async (model: string, jobId: string) => {
    const found = (await repository.readModel(model))?.versions.find((v) => madeBy(v, jobId));
    return found && String(found.version);
  };
  return {
    async deploy(model, onnx, options) {
      try {
        await (await openOnnxModel(onnx, { configEntries: options.sessionConfig ?? {} })).close();
      } catch (err) {
        if (err instanceof ModelLoadError) throw new Error(`ONNX Runtime cannot load the job's model: ${err.message}`);
        throw err;
      }
      const candidate = options.promote === false;
      if (candidate && !routing) throw new Error('publishing a candidate needs the routing store');
      const version = await shared.withModelLock(model, async () => {
        const existing = await deployedBy(model, options.jobId);
        if (existing) return existing;
        const highest = Math.max(0, ...((await repository.readModel(model))?.versions.map((v) => v.version) ?? []));
        const why = `${options.source ?? 'training'} job ${options.jobId}`;
        let current = (await routing?.get(model))?.routing ?? emptyRouting();
        if (candidate && current.defaultVersion === null && highest > 0) {
          current = { ...current, defaultVersion: highest };
          await routing!.put({ model, routing: current, updatedAt: new Date().toISOString() }, [
            { kind: 'default', reason: `pinned to version ${highest} while ${why} publishes a candidate` },
          ]);
        }
        await repository.writeVersion(model, highest + 1, onnx, versionMeta(options));
        if (options.description !== undefined) await repository.writeDescription(model, options.description);
        if (!candidate && current.defaultVersion !== null) {
          await routing?.put(
            { model, routing: { ...current, defaultVersion: highest + 1 }, updatedAt: new Date().toISOString() },
            [{ kind: 'default', reason: `version ${highest + 1} deployed as the default by ${why}` }],
          );
        }
        if (candidate) {
          await routing!.put(
            { model, routing: withCandidate(current, highest + 1), updatedAt: new Date().toISOString() },
            [candidateEvent(highest + 1, why)],
          );
        }
        return String(highest + 1);
      });
      await shared.changed(model);
      return { version };
    },
    findDeployed: deployedBy,
  };
}
