// Training jobs as a job kind (kind.ts): a create body resolved against its datasets, the datasets snapshotted, a
// run of the trainer in a worker thread, and the trained model deployed — as the new default unless `promote: false`.
import { deployedMessage, queuedJob } from '../../src/protocol/training-job.js';
import type { DatasetService } from '../datasets/service.js';
import type { JobRecord, TrainingJobRecord } from '../store/records.js';
import type { Deployer } from './deployer.js';
import type { JobKind } from './kind.js';
import type { Runner, TrainedModel } from './runner.js';
import { snapshotDataset } from './snapshot.js';
import { checkCreateBody, resolveHyperparameters } from './spec.js';
import type { TrainingJob } from './types.js';

export interface TrainingKindOptions {
  datasets: DatasetService;
  runner: Runner;
  deployer: Deployer;
  randomSeed?: () => number;
}

export function trainingKind(options: TrainingKindOptions): JobKind {
  const training = (record: JobRecord) => record as TrainingJobRecord;
  return {
    name: 'training',
    noun: 'Training job',
    async prepare(body, job) {
      const request = checkCreateBody(body);
      const train = await options.datasets.record(request.dataset);
      const validation = request.validation_dataset ? await options.datasets.record(request.validation_dataset) : null;
      const { hyperparameters, notes } = resolveHyperparameters(request, train, validation, options.randomSeed);
      const record: TrainingJobRecord = {
        ...queuedJob(job.id, request, hyperparameters, job.createdAt),
        data: {
          train: snapshotDataset(train, job.dir, 'train'),
          validation: validation ? snapshotDataset(validation, job.dir, 'validation') : null,
        },
        cancelRequested: false,
      };
      return { record, notes };
    },
    wire: (record, queuePosition) => wireTrainingJob(training(record), queuePosition),
    files(record) {
      const { train, validation } = training(record).data;
      return [train.path, ...(validation ? [validation.path] : [])];
    },
    start(record, checkpoint, callbacks) {
      const job = training(record);
      return options.runner(
        { jobId: job.id, hyperparameters: job.hyperparameters, data: job.data, checkpoint },
        callbacks as Parameters<Runner>[1],
      );
    },
    async finish(record, output) {
      const job = training(record);
      const result = output as TrainedModel;
      const deployer = options.deployer;
      const version =
        (await deployer.findDeployed?.(job.model, job.id)) ??
        (
          await deployer.deploy(job.model, result.onnx, {
            jobId: job.id,
            description: result.description,
            promote: job.promote !== false,
          })
        ).version;
      return {
        status: 'succeeded',
        set: { result: { model: job.model, version } },
        events: [{ type: 'message', message: deployedMessage(job.model, version, job.promote !== false) }],
      };
    },
  };
}

function wireTrainingJob(job: TrainingJobRecord, queuePosition: number | null): TrainingJob {
  return {
    id: job.id,
    object: 'training_job',
    status: job.status,
    model: job.model,
    dataset: job.dataset,
    validation_dataset: job.validation_dataset,
    queue_position: queuePosition,
    created_at: job.created_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
    hyperparameters: job.hyperparameters,
    // Records written before `promote` existed deployed as the default.
    promote: job.promote ?? true,
    metrics: job.metrics,
    error: job.error,
    result: job.result,
  };
}
