// Evaluating a served version on a dataset (POST /v1/models/{model}/versions/{version}/evaluate) in a worker thread,
// and where a version's file and session config are (what an optimisation job reads of its parent). The figures
// come from server/optimize; a dataset or model that does not fit is a 422 naming both. At most `maxEvaluations`
// run at once: each is a thread that parses the whole dataset and runs the model hundreds of times.
import { join } from 'node:path';
import type { components } from '../src/generated/openapi.js';
import type { EvaluateRequest } from '../src/protocol/evaluate-request.js';
import type { DatasetService } from './datasets/service.js';
import { ServiceUnavailableError, UnprocessableError } from './errors.js';
import type { ModelRegistry } from './inference/registry.js';
import { modelFileName } from './inference/repository.js';
import type { Router } from './inference/routing.js';
import { evaluateInWorker } from './jobs/evaluate-run.js';
import { jobWorkerScript } from './jobs/runner.js';
import type { WorkerScript } from './worker-script.js';

export type ModelEvaluation = components['schemas']['ModelEvaluation'];

/** A version's model file and the session config entries it is served with. */
export interface VersionFile {
  version: number;
  path: string;
  sessionConfig: Record<string, string>;
}

export interface EvaluationsOptions {
  /** Evaluations in progress at once (`--max-evaluations`); beyond it, 503 overloaded. 0 = no limit. */
  maxEvaluations?: number;
  /** The worker thread's script (default the job worker). */
  script?: WorkerScript;
}

export class Evaluations {
  private readonly maxEvaluations: number;
  private readonly script: WorkerScript;
  private running = 0;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly datasets: DatasetService,
    private readonly router: Router,
    options: EvaluationsOptions = {},
  ) {
    this.maxEvaluations = options.maxEvaluations ?? 0;
    this.script = options.script ?? jobWorkerScript();
  }

  /** Evaluations in progress now. */
  get inProgress(): number {
    return this.running;
  }

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

  /**
   * Runs the version (and `compare_to`) over the dataset and scores it; 422 naming both when they do not fit, 503
   * overloaded (at once, Retry-After 1) while `maxEvaluations` are in progress.
   */
  async evaluate(model: string, version: number, body: EvaluateRequest): Promise<ModelEvaluation> {
    const file = this.versionFile(model, version);
    const compare = body.compare_to === undefined ? null : this.versionFile(model, Number(body.compare_to));
    // After the 404s (a request naming no version should say so, not "retry"); before the first await, so that
    // concurrent requests cannot all pass the check. Every way out of the try frees the slot.
    if (this.maxEvaluations > 0 && this.running >= this.maxEvaluations) {
      throw new ServiceUnavailableError(
        'overloaded',
        `The server has ${this.running} evaluations in progress, its limit (--max-evaluations); retry shortly`,
        1,
      );
    }
    this.running++;
    try {
      return await this.run(model, version, body, file, compare);
    } finally {
      this.running--;
    }
  }

  private async run(
    model: string,
    version: number,
    body: EvaluateRequest,
    file: VersionFile,
    compare: VersionFile | null,
  ): Promise<ModelEvaluation> {
    const record = await this.datasets.record(body.dataset);
    const columns = record.dataset.columns.map((c) => c.name);
    if (!columns.includes(body.target)) {
      throw new UnprocessableError(
        'optimize_data_invalid',
        `target: column '${body.target}' is not in dataset ${body.dataset}; its columns are ${columns.join(', ')}`,
      );
    }
    const output = await evaluateInWorker(
      {
        kind: 'evaluate',
        model: file,
        compare,
        data: { path: record.path, format: record.dataset.format },
        target: body.target,
        features: body.features ? [...body.features] : null,
      },
      this.script,
    );
    if (!output.ok) {
      if (output.code === null) throw new Error(`evaluating ${model} version ${version}: ${output.message}`);
      const field = output.field ? `${output.field}: ` : '';
      throw new UnprocessableError(
        output.code,
        `${field}model '${model}' version ${version} and dataset ${body.dataset} do not fit: ${output.message}`,
      );
    }
    return {
      object: 'model.evaluation',
      model,
      version: String(version),
      dataset: body.dataset,
      compare_to: body.compare_to ?? null,
      ...output.figures,
    };
  }
}
