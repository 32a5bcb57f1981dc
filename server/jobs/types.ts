import type { components } from '../../src/generated/openapi.js';

type Schemas = components['schemas'];
export type TrainingJob = Schemas['TrainingJob'];
export type TrainingJobStatus = Schemas['TrainingJobStatus'];
export type TrainingJobEvent = Schemas['TrainingJobEvent'];
export type TrainingJobCreateRequest = Schemas['TrainingJobCreateRequest'];
export type Hyperparameters = Schemas['TrainingHyperparameters'];
export type EpochMetrics = Schemas['EpochMetrics'];
export type JobError = Schemas['TrainingJobError'];
export type JobResult = Schemas['TrainingJobResult'];
export type Dataset = Schemas['Dataset'];
export type Architecture = Schemas['Architecture'];
export type Optimizer = Schemas['Optimizer'];

export const terminalStatuses: readonly TrainingJobStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isTerminal = (status: TrainingJobStatus): boolean => terminalStatuses.includes(status);

// The records the store keeps, named here too for the job code that reads them.
export type { DataFile, DatasetRecord, EventDraft, JobClaim, JobRecord, Page, PageQuery } from '../store/records.js';
