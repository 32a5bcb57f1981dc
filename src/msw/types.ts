import type { components } from '../generated/openapi.js';

// Friendly names over the generated wire types; nothing here restates a wire shape.
type Schemas = components['schemas'];

export type ErrorBody = Schemas['Error'];
export type ErrorCode = Schemas['ErrorCode'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type Datatype = Schemas['Datatype'];
export type TensorMetadata = Schemas['TensorMetadata'];
export type ModelState = Schemas['ModelState'];
export type Model = Schemas['Model'];
export type ModelVersion = Schemas['ModelVersion'];
export type ModelVersionDeleted = Schemas['ModelVersionDeleted'];
export type ModelMetadataResponse = Schemas['ModelMetadataResponse'];
export type ModelReadyResponse = Schemas['ModelReadyResponse'];
export type ServerMetadataResponse = Schemas['ServerMetadataResponse'];
export type HealthResponse = Schemas['HealthResponse'];
export type RepositoryIndexEntry = Schemas['RepositoryIndexEntry'];
export type RepositoryActionResponse = Schemas['RepositoryActionResponse'];
export type InferRequest = Schemas['InferRequest'];
export type InferResponse = Schemas['InferResponse'];
export type InferResponseOutput = Schemas['InferResponseOutput'];
export type Dataset = Schemas['Dataset'];
export type DatasetColumn = Schemas['DatasetColumn'];
export type DatasetDeleted = Schemas['DatasetDeleted'];
export type TrainingJob = Schemas['TrainingJob'];
export type TrainingJobStatus = Schemas['TrainingJobStatus'];
export type TrainingJobCreateRequest = Schemas['TrainingJobCreateRequest'];
export type TrainingHyperparameters = Schemas['TrainingHyperparameters'];
export type TrainingJobEvent = Schemas['TrainingJobEvent'];
export type EpochMetrics = Schemas['EpochMetrics'];
export type Architecture = Schemas['Architecture'];
export type Optimizer = Schemas['Optimizer'];
export type ListEnvelope = Schemas['ListEnvelope'];
export type ModelList = Schemas['ModelList'];
export type DatasetList = Schemas['DatasetList'];
export type TrainingJobList = Schemas['TrainingJobList'];
export type TrainingJobEventList = Schemas['TrainingJobEventList'];
