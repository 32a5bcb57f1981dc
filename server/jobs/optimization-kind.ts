// Optimisation jobs as a job kind (kind.ts): the body checked and resolved (src/protocol/optimization-spec.ts), the
// parent version and the datasets snapshotted, a run in the job worker (optimize-run.ts), and a candidate that passed
// its gate published as the next version of `output_model` — not promoted unless `promote` — with its report. A
// candidate that failed its gate ends the job `failed` (gate_failed) with the report, and nothing is published.
import { readFileSync } from 'node:fs';
import type { components } from '../../src/generated/openapi.js';
import { modelOrVersion, notFoundAt } from '../../src/protocol/contract-error.js';
import {
  checkOptimizationBody,
  checkOptimizationColumns,
  datasetsOf,
  describeMethod,
  resolveOptimization,
} from '../../src/protocol/optimization-spec.js';
import type { DatasetService } from '../datasets/service.js';
import { asServerError, UnprocessableError } from '../errors.js';
import type { VersionFile } from '../evaluations.js';
import { importDense, OptimizeError } from '../optimize/index.js';
import type { DatasetRecord, JobRecord, OptimizationJobRecord } from '../store/records.js';
import type { WorkerScript } from '../worker-script.js';
import type { Deployer } from './deployer.js';
import type { JobKind } from './kind.js';
import type { OptimizedCandidate, OptimizeRunInput } from './optimize-run.js';
import { jobWorkerScript, type RunCallbacks, type RunHandle, runInWorker } from './runner.js';
import { snapshotDataset, snapshotFile } from './snapshot.js';

type OptimizationJob = components['schemas']['OptimizationJob'];

/** Runs one optimisation in a worker thread by default; tests substitute their own. */
export type OptimizationRunner = (input: OptimizeRunInput, callbacks: RunCallbacks<OptimizedCandidate>) => RunHandle;

export interface OptimizationKindOptions {
  datasets: DatasetService;
  deployer: Deployer;
  /** The parent's file: the version named, or the one unversioned requests go to (404s for unknown ones). */
  versionFile(model: string, version?: number): VersionFile;
  runner?: OptimizationRunner;
}

export function workerOptimizationRunner(script: WorkerScript = jobWorkerScript()): OptimizationRunner {
  return (input, callbacks) =>
    runInWorker(script, input, callbacks, { code: 'optimization_failed', what: 'Optimisation' });
}

export function optimizationKind(options: OptimizationKindOptions): JobKind {
  const runner = options.runner ?? workerOptimizationRunner();
  const optimization = (record: JobRecord) => record as OptimizationJobRecord;
  return {
    name: 'optimization',
    noun: 'Optimization job',
    async prepare(body, job) {
      const request = asServerError(() => checkOptimizationBody(body));
      const resolved = resolveOptimization(request);
      const version = request.version === undefined ? undefined : Number(request.version);
      // A 404 says which field named what is missing: the teacher (model, version) or a dataset.
      const parent = notFoundAt(modelOrVersion, () => options.versionFile(request.model, version));
      const records = new Map<string, DatasetRecord>();
      for (const [field, id] of datasetsOf(resolved)) {
        if (!records.has(id)) records.set(id, await notFoundAt(field, () => options.datasets.record(id)));
      }
      asServerError(() =>
        checkOptimizationColumns(resolved, (id) => records.get(id)!.dataset.columns.map((c) => c.name)),
      );
      if (resolved.method.type === 'prune' && resolved.method.fine_tune) checkDense(parent.path);
      const evaluation = records.get(resolved.evaluation.dataset)!;
      const trainingId =
        resolved.method.type === 'distill'
          ? resolved.method.dataset
          : resolved.method.type === 'prune'
            ? resolved.method.fine_tune?.dataset
            : undefined;
      const record: OptimizationJobRecord = {
        kind: 'optimization',
        id: job.id,
        status: 'queued',
        model: request.model,
        version: String(parent.version),
        method: resolved.method,
        evaluation: resolved.evaluation,
        gate: resolved.gate,
        promote: resolved.promote,
        output_model: resolved.output_model,
        stage: null,
        created_at: job.createdAt,
        started_at: null,
        finished_at: null,
        error: null,
        result: null,
        report: null,
        data: {
          parent: { path: snapshotFile(parent.path, job.dir, 'parent.onnx'), sessionConfig: parent.sessionConfig },
          evaluation: snapshotDataset(evaluation, job.dir, 'evaluation'),
          training: trainingId ? snapshotDataset(records.get(trainingId)!, job.dir, 'training') : null,
        },
        gateMethod: resolved.gateMethod,
        gateOverrides: request.gate ?? {},
        cancelRequested: false,
      };
      return {
        record,
        notes: [`${describeMethod(resolved.method)} of ${request.model} version ${parent.version}`],
      };
    },
    wire: (record, queuePosition) => wireOptimizationJob(optimization(record), queuePosition),
    files(record) {
      const { parent, evaluation, training } = optimization(record).data;
      return [parent.path, evaluation.path, ...(training ? [training.path] : [])];
    },
    start(record, _checkpoint, callbacks) {
      const job = optimization(record);
      return runner(
        {
          kind: 'optimize',
          jobId: job.id,
          parent: { model: job.model, version: job.version, ...job.data.parent },
          method: job.method,
          evaluation: job.evaluation,
          gateMethod: job.gateMethod,
          gateOverrides: job.gateOverrides,
          data: { evaluation: job.data.evaluation, training: job.data.training },
        },
        callbacks as RunCallbacks<OptimizedCandidate>,
      );
    },
    async finish(record, output) {
      const job = optimization(record);
      const { onnx, report } = output as OptimizedCandidate;
      if (!onnx) {
        const failed = report.gate.reasons.filter((r) => r.includes('FAILED'));
        return {
          status: 'failed',
          error: { code: 'gate_failed', message: `The candidate failed its gate: ${failed.join('; ')}` },
          set: { report },
          events: [],
        };
      }
      const deployer = options.deployer;
      const version =
        (await deployer.findDeployed?.(job.output_model, job.id)) ??
        (
          await deployer.deploy(job.output_model, onnx, {
            jobId: job.id,
            source: 'optimization',
            promote: job.promote,
            parent: { model: job.model, version: job.version },
            sessionConfig: report.session_config,
          })
        ).version;
      const as = job.promote ? 'the new default' : 'a candidate (no unversioned traffic until promoted)';
      return {
        status: 'succeeded',
        set: { report, result: { model: job.output_model, version } },
        events: [
          { type: 'stage', stage: 'publishing' },
          { type: 'message', message: `Published as model ${job.output_model} version ${version}, ${as}` },
        ],
      };
    },
  };
}

/** Fine-tuning needs a dense network: 422 fine_tune_unsupported naming the field when the parent is not one. */
function checkDense(path: string): void {
  try {
    importDense(new Uint8Array(readFileSync(path)));
  } catch (err) {
    if (err instanceof OptimizeError) {
      throw new UnprocessableError('fine_tune_unsupported', `method.fine_tune: ${err.message}`, [
        { field: 'method.fine_tune', message: err.message },
      ]);
    }
    throw err;
  }
}

function wireOptimizationJob(job: OptimizationJobRecord, queuePosition: number | null): OptimizationJob {
  return {
    id: job.id,
    object: 'optimization_job',
    status: job.status,
    model: job.model,
    version: job.version,
    method: job.method,
    evaluation: job.evaluation,
    gate: job.gate,
    promote: job.promote,
    output_model: job.output_model,
    queue_position: queuePosition,
    stage: job.stage,
    created_at: job.created_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
    error: job.error,
    result: job.result,
    report: job.report,
  };
}
