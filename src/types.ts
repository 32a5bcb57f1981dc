/**
 * Friendly names over the generated contract types (`import type { TrainingJob, Dataset } from 'maas'`).
 *
 * @example
 * ```ts
 * import type { TrainingJobCreateRequest } from 'maas';
 * const spec: TrainingJobCreateRequest = { model: 'iris', dataset: 'ds_1', task: 'classification', target: 'species',
 *   architecture: { type: 'logistic' }, optimizer: { type: 'adam' }, epochs: 10 };
 * ```
 * @module
 */
// Friendly names over the generated contract types. Nothing here is hand-written wire shape: every alias
// points into src/generated/openapi.ts, so a contract change shows up as a type error everywhere.
import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];
type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

// Errors
export type ErrorBody = Schemas['Error'];
export type ErrorCode = Schemas['ErrorCode'];
export type ErrorDetail = Schemas['ErrorDetail'];

// Tensors and inference (OIP v2)
export type WireDatatype = Schemas['Datatype'];
export type TensorMetadata = Schemas['TensorMetadata'];
export type TensorData = Schemas['TensorData'];
export type OipParameters = Schemas['Parameters'];
export type InferParameters = Schemas['InferParameters'];
export type TensorParameters = Schemas['TensorParameters'];
export type InferRequest = Schemas['InferRequest'];
export type InferRequestInput = Schemas['InferRequestInput'];
export type InferRequestOutput = Schemas['InferRequestOutput'];
export type InferResponse = Schemas['InferResponse'];
export type InferResponseOutput = Schemas['InferResponseOutput'];
export type ServerMetadata = Schemas['ServerMetadataResponse'];
export type HealthResponse = Schemas['HealthResponse'];
export type ModelMetadata = Schemas['ModelMetadataResponse'];
export type ModelReadyResponse = Schemas['ModelReadyResponse'];

// Repository extension
export type RepositoryIndexRequest = Schemas['RepositoryIndexRequest'];
export type RepositoryIndexEntry = Schemas['RepositoryIndexEntry'];
export type RepositoryModelRequest = Schemas['RepositoryModelRequest'];
export type RepositoryActionResponse = Schemas['RepositoryActionResponse'];

// TF-Serving predict
export type PredictRequest = Schemas['PredictRequest'];
export type PredictResponse = Schemas['PredictResponse'];
export type RowPredictResponse = Extract<PredictResponse, { predictions: unknown[] }>;
export type ColumnarPredictResponse = Exclude<PredictResponse, RowPredictResponse>;

// Models
export type ModelName = Schemas['ModelName'];
export type ModelState = Schemas['ModelState'];
export type Model = Schemas['Model'];
export type ModelVersion = Schemas['ModelVersion'];
export type ModelVersionDeleted = Schemas['ModelVersionDeleted'];
export type ModelList = Schemas['ModelList'];
export type ModelUpdateRequest = Schemas['ModelUpdateRequest'];
export type TrafficWeight = Schemas['TrafficWeight'];
export type RollbackGuard = Schemas['RollbackGuard'];
export type Shadow = Schemas['Shadow'];
export type ShadowReport = Schemas['ShadowReport'];
export type ModelEvent = Schemas['ModelEvent'];
export type ModelEventList = Schemas['ModelEventList'];
export type TfServingVersionStatus = Schemas['TfServingVersionStatus'];

// Serving engine (Triton's configuration and statistics extensions)
export type ModelConfig = Schemas['ModelConfig'];
export type ModelConfigTensor = Schemas['ModelConfigTensor'];
export type ModelStatistics = Schemas['ModelStatistics'];
export type ModelStatisticsResponse = Schemas['ModelStatisticsResponse'];
export type StatDuration = Schemas['StatDuration'];
export type ListEnvelope = Schemas['ListEnvelope'];

// Datasets
export type Dataset = Schemas['Dataset'];
export type DatasetColumn = Schemas['DatasetColumn'];
export type DatasetFormat = Dataset['format'];
export type DatasetList = Schemas['DatasetList'];
export type DatasetDeleted = Schemas['DatasetDeleted'];

// Training
export type Architecture = Schemas['Architecture'];
export type Optimizer = Schemas['Optimizer'];
export type EarlyStopping = Schemas['EarlyStopping'];
export type TrainingJobCreateRequest = Schemas['TrainingJobCreateRequest'];
export type TrainingHyperparameters = Schemas['TrainingHyperparameters'];
export type TrainingJobStatus = Schemas['TrainingJobStatus'];
export type EpochMetrics = Schemas['EpochMetrics'];
export type TrainingJobError = Schemas['TrainingJobError'];
export type TrainingJobResult = Schemas['TrainingJobResult'];
export type TrainingJob = Schemas['TrainingJob'];
export type TrainingJobList = Schemas['TrainingJobList'];
export type TrainingJobEventType = Schemas['TrainingJobEventType'];
export type TrainingJobEvent = Schemas['TrainingJobEvent'];
export type TrainingJobEventList = Schemas['TrainingJobEventList'];

// Query parameters of the list operations
export type ModelListParams = QueryOf<'listModels'>;
export type DatasetListParams = QueryOf<'listDatasets'>;
export type TrainingJobListParams = QueryOf<'listTrainingJobs'>;
export type TrainingJobEventListParams = QueryOf<'listTrainingJobEvents'>;
export type ModelEventListParams = QueryOf<'listModelEvents'>;
export type RepositoryIndexParams = RepositoryIndexRequest;
