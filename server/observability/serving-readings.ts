// What a scrape reads from the serving core: Triton's statistics of every version (the same numbers
// `GET /v2/models/{model}/stats` reports, so the two never disagree), in-flight counts, dynamic batcher queues, and
// which thread each version's runs take.
import type { DataPlane } from '../inference/data-plane.js';
import type { OnnxModel } from '../inference/onnx-model.js';
import type { RegistryHooks, VersionContext } from '../inference/registry-hooks.js';
import type { VersionReading } from './metrics.js';

/** A served model that queues requests (the dynamic batcher). */
interface Queueing {
  readonly queued: number;
}

const queues = (model: OnnxModel): model is OnnxModel & Queueing =>
  typeof (model as Partial<Queueing>).queued === 'number';

/**
 * Registry hooks that remember each loaded version's served model, to read at scrape time its dynamic batcher's queue
 * depth and where its runs go. Add them after the engine's hooks: the model they see is the one served (the batcher,
 * when the version batches).
 */
export class ServedModels implements RegistryHooks {
  private readonly byVersion = new Map<string, Map<number, { model: OnnxModel; batching: boolean }>>();

  loaded(model: OnnxModel, context: VersionContext): OnnxModel {
    let versions = this.byVersion.get(context.name);
    if (!versions) this.byVersion.set(context.name, (versions = new Map()));
    versions.set(context.version, { model, batching: context.config.dynamic_batching !== undefined });
    return model;
  }

  unloading(context: VersionContext): void {
    const versions = this.byVersion.get(context.name);
    versions?.delete(context.version);
    if (versions?.size === 0) this.byVersion.delete(context.name);
  }

  /** Requests waiting in the version's dynamic batcher; undefined when it has none (or is not loaded). */
  depth(model: string, version: number): number | undefined {
    const served = this.byVersion.get(model)?.get(version);
    return served?.batching && queues(served.model) ? served.model.queued : undefined;
  }

  /** 1 when the version's runs go to the server thread, 0 to worker threads; undefined when it is not loaded. */
  onServerThread(model: string, version: number): number | undefined {
    const served = this.byVersion.get(model)?.get(version);
    if (!served) return undefined;
    // A bare session (--session-threads main) runs on the thread that calls it: the server's.
    return (served.model.placement ?? 'server thread') === 'server thread' ? 1 : 0;
  }
}

/** Reads every version with statistics or READY, as ServerMetrics' `versions()` wants them. */
export function readVersions(dataPlane: DataPlane, served: ServedModels): VersionReading[] {
  return dataPlane.modelStats().model_stats.map((stats) => {
    const version = Number(stats.version);
    return {
      model: stats.name,
      version: stats.version,
      success: stats.inference_stats.success.count,
      inferences: stats.inference_count,
      executions: stats.execution_count,
      inflight: dataPlane.statistics.version(stats.name, version).inflight,
      queued: served.depth(stats.name, version),
      onServerThread: served.onServerThread(stats.name, version),
    };
  });
}
