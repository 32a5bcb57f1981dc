// A training job as the create operation makes it, shared by the server and the msw mock.
import type { components } from '../generated/openapi.js';

type Schemas = components['schemas'];

/** The job fields both sides store; `object` and `queue_position` are added where the wire job is built. */
export type QueuedJob = Omit<Schemas['TrainingJob'], 'object' | 'queue_position'>;

/** A new job: queued, named after its request, with nothing started, measured or produced yet. */
export function queuedJob(
  id: string,
  request: Schemas['TrainingJobCreateRequest'],
  hyperparameters: Schemas['TrainingHyperparameters'],
  createdAt: string,
): QueuedJob {
  return {
    id,
    status: 'queued',
    model: request.model,
    dataset: request.dataset,
    validation_dataset: request.validation_dataset ?? null,
    created_at: createdAt,
    started_at: null,
    finished_at: null,
    hyperparameters,
    promote: request.promote ?? true,
    metrics: null,
    error: null,
    result: null,
  };
}

/** The message event a succeeded job gets when its model is deployed. */
export function deployedMessage(model: string, version: string, promoted = true): string {
  const as = `Deployed as model ${model} version ${version}`;
  return promoted ? as : `${as}, a candidate: it takes no unversioned traffic until promoted`;
}

/** Whether an event message is the deploy message of a job of `model` (the CLI prints its own result line). */
export function isDeployedMessage(message: string, model: string): boolean {
  return message.startsWith(deployedMessage(model, ''));
}
