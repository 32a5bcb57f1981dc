// What a scrape reads from the serving core: Triton's statistics of every version (the same numbers
// `GET /v2/models/{model}/stats` reports, so the two never disagree), in-flight counts, and dynamic batcher queues.
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
 * Registry hooks that remember each loaded version's dynamic batcher, to read its queue depth at scrape time. Add them
 * after the engine's hooks: the model they see is the one served (the batcher, when the version has dynamic batching).
 */
export class BatcherQueues implements RegistryHooks {
  private readonly byVersion = new Map<string, Map<number, Queueing>>();

  loaded(model: OnnxModel, context: VersionContext): OnnxModel {
    if (context.config.dynamic_batching && queues(model)) {
      let versions = this.byVersion.get(context.name);
      if (!versions) this.byVersion.set(context.name, (versions = new Map()));
      versions.set(context.version, model);
    }
    return model;
  }

  unloading(context: VersionContext): void {
    const versions = this.byVersion.get(context.name);
    versions?.delete(context.version);
    if (versions?.size === 0) this.byVersion.delete(context.name);
  }

  /** Requests waiting in the version's dynamic batcher; undefined when it has none (or is not loaded). */
  depth(model: string, version: number): number | undefined {
    return this.byVersion.get(model)?.get(version)?.queued;
  }
}

/** Reads every version with statistics or READY, as ServerMetrics' `versions()` wants them. */
export function readVersions(dataPlane: DataPlane, batchers: BatcherQueues): VersionReading[] {
  return dataPlane.modelStats().model_stats.map((stats) => {
    const version = Number(stats.version);
    return {
      model: stats.name,
      version: stats.version,
      success: stats.inference_stats.success.count,
      inferences: stats.inference_count,
      executions: stats.execution_count,
      inflight: dataPlane.statistics.version(stats.name, version).inflight,
      queued: batchers.depth(stats.name, version),
    };
  });
}
