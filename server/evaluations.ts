// Evaluating a served version on a dataset (POST /v1/models/{model}/versions/{version}/evaluate), and where a
// version's file and session config are (what an optimisation job reads of its parent). The figures come from
// server/optimize; its OptimizeErrors become 422s here.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { components } from '../src/generated/openapi.js';
import type { EvaluateRequest } from '../src/protocol/evaluate-request.js';
import type { DatasetService } from './datasets/service.js';
import { MaasServerError, UnprocessableError } from './errors.js';
import type { ModelRegistry } from './inference/registry.js';
import { modelFileName } from './inference/repository.js';
import type { Router } from './inference/routing.js';
import { readTable } from './jobs/train-job.js';
import { evaluateVersion, evaluationFigures, OptimizeError } from './optimize/index.js';

export type ModelEvaluation = components['schemas']['ModelEvaluation'];

/** A version's model file and the session config entries it is served with. */
export interface VersionFile {
  version: number;
  path: string;
  sessionConfig: Record<string, string>;
}

export class Evaluations {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly datasets: DatasetService,
    private readonly router: Router,
  ) {}

  /**
   * The version's file (404 model_not_found / version_not_found); without a version, the one unversioned requests
   * go to (the pinned default, else the highest READY).
   */
  versionFile(model: string, version?: number): VersionFile {
    const status = this.registry.requireModel(model);
    const v = version ?? this.router.routing(model).defaultVersion ?? status.defaultVersion;
    if (v === null) {
      throw new UnprocessableError('model_not_ready', `Model '${model}' has no READY version to start from`);
    }
    const found = this.registry.requireVersion(model, v);
    return {
      version: v,
      path: join(this.registry.repository.versionDir(model, v), modelFileName),
      sessionConfig: found.sessionConfig,
    };
  }

  /** Runs the version (and `compare_to`) over the dataset and scores it; 422 naming both when they do not fit. */
  async evaluate(model: string, version: number, body: EvaluateRequest): Promise<ModelEvaluation> {
    const file = this.versionFile(model, version);
    const compare = body.compare_to === undefined ? undefined : this.versionFile(model, Number(body.compare_to));
    const record = await this.datasets.record(body.dataset);
    const table = readTable({ path: record.path, format: record.dataset.format });
    const columns = table.columns.map((c) => c.name);
    if (!columns.includes(body.target)) {
      throw new UnprocessableError(
        'optimize_data_invalid',
        `target: column '${body.target}' is not in dataset ${body.dataset}; its columns are ${columns.join(', ')}`,
      );
    }
    const selection = { target: body.target, ...(body.features ? { features: [...body.features] } : {}) };
    try {
      const reference = compare
        ? (
            await evaluateVersion(await read(compare.path), table, {
              ...selection,
              sessionConfig: compare.sessionConfig,
              latency: false,
            })
          ).outputs
        : null;
      const evaluated = await evaluateVersion(await read(file.path), table, {
        ...selection,
        sessionConfig: file.sessionConfig,
        reference,
      });
      return {
        object: 'model.evaluation',
        model,
        version: String(version),
        dataset: body.dataset,
        compare_to: body.compare_to ?? null,
        ...evaluationFigures(evaluated),
      };
    } catch (err) {
      throw unprocessable(err, `model '${model}' version ${version} and dataset ${body.dataset}`);
    }
  }
}

async function read(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

/** An OptimizeError as a 422 with its code, saying what did not fit; anything else as it came. */
export function unprocessable(err: unknown, what: string): unknown {
  if (err instanceof MaasServerError || !(err instanceof OptimizeError)) return err;
  const field = err.field ? `${err.field}: ` : '';
  return new UnprocessableError(err.code, `${field}${what} do not fit: ${err.message}`);
}
