import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The contract that DESIGN.md §1 implies: every operation, by operationId. Adding an endpoint means adding it here.
const EXPECTED_OPERATIONS: Record<string, string> = {
  getServerMetadata: 'GET /v2',
  getServerLive: 'GET /v2/health/live',
  getServerReady: 'GET /v2/health/ready',
  getModelMetadata: 'GET /v2/models/{model}',
  getModelVersionMetadata: 'GET /v2/models/{model}/versions/{version}',
  getModelReady: 'GET /v2/models/{model}/ready',
  getModelVersionReady: 'GET /v2/models/{model}/versions/{version}/ready',
  modelInfer: 'POST /v2/models/{model}/infer',
  modelVersionInfer: 'POST /v2/models/{model}/versions/{version}/infer',
  repositoryIndex: 'POST /v2/repository/index',
  repositoryModelLoad: 'POST /v2/repository/models/{model}/load',
  repositoryModelUnload: 'POST /v2/repository/models/{model}/unload',
  modelPredict: 'POST /v1/models/{model}:predict',
  modelVersionPredict: 'POST /v1/models/{model}/versions/{version}:predict',
  listModels: 'GET /v1/models',
  retrieveModel: 'GET /v1/models/{model}',
  uploadModelVersion: 'POST /v1/models/{model}/versions',
  retrieveModelVersion: 'GET /v1/models/{model}/versions/{version}',
  deleteModelVersion: 'DELETE /v1/models/{model}/versions/{version}',
  createDataset: 'POST /v1/datasets',
  listDatasets: 'GET /v1/datasets',
  retrieveDataset: 'GET /v1/datasets/{dataset_id}',
  deleteDataset: 'DELETE /v1/datasets/{dataset_id}',
  createTrainingJob: 'POST /v1/training-jobs',
  listTrainingJobs: 'GET /v1/training-jobs',
  retrieveTrainingJob: 'GET /v1/training-jobs/{job_id}',
  cancelTrainingJob: 'POST /v1/training-jobs/{job_id}/cancel',
  listTrainingJobEvents: 'GET /v1/training-jobs/{job_id}/events',
  getModelConfig: 'GET /v2/models/{model}/config',
  getModelVersionConfig: 'GET /v2/models/{model}/versions/{version}/config',
  getAllModelStats: 'GET /v2/models/stats',
  getModelStats: 'GET /v2/models/{model}/stats',
  getModelVersionStats: 'GET /v2/models/{model}/versions/{version}/stats',
  modelLabelPredict: 'POST /v1/models/{model}/labels/{label}:predict',
  updateModel: 'PATCH /v1/models/{model}',
  listModelEvents: 'GET /v1/models/{model}/events',
  getModelShadow: 'GET /v1/models/{model}/shadow',
  getOpenApiSpec: 'GET /openapi.yaml',
  getMetrics: 'GET /metrics',
};

const CREATE_OPERATIONS = ['uploadModelVersion', 'createDataset', 'createTrainingJob'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: Array<{ $ref?: string; name?: string }>;
  requestBody?: { $ref?: string; content?: Record<string, MediaType> };
  responses: Record<string, { $ref?: string; content?: Record<string, MediaType> }>;
}
interface MediaType {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, unknown>;
}

const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));

function resolve<T>(node: T & { $ref?: string }): T {
  if (!node.$ref) return node;
  const path = node.$ref.replace(/^#\//, '').split('/');
  return path.reduce((acc: Record<string, unknown>, key) => acc[key] as Record<string, unknown>, spec) as T;
}

function operations(): Array<{ method: string; path: string; op: Operation }> {
  const out: Array<{ method: string; path: string; op: Operation }> = [];
  for (const [path, item] of Object.entries<Record<string, Operation>>(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) out.push({ method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

function hasExample(media: MediaType | undefined): boolean {
  return media !== undefined && (media.example !== undefined || Object.keys(media.examples ?? {}).length > 0);
}

describe('openapi.yaml', () => {
  it('is OpenAPI 3.1 and declares every operation DESIGN.md §1 implies, at its path', () => {
    expect(spec.openapi).toBe('3.1.0');
    const found = Object.fromEntries(operations().map(({ method, path, op }) => [op.operationId, `${method} ${path}`]));
    expect(found).toEqual(EXPECTED_OPERATIONS);
  });

  it('gives every operation a summary and at least one example', () => {
    const missing: string[] = [];
    for (const { op } of operations()) {
      if (!op.summary) missing.push(`${op.operationId}: summary`);
      const bodies = [
        ...Object.values(op.requestBody ? (resolve(op.requestBody).content ?? {}) : {}),
        ...Object.values(op.responses).flatMap((r) => Object.values(resolve(r).content ?? {})),
      ];
      if (!bodies.some(hasExample)) missing.push(`${op.operationId}: example`);
    }
    expect(missing).toEqual([]);
  });

  it('makes every error response use the one Error schema', () => {
    const wrong: string[] = [];
    for (const { op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const content = resolve(response).content ?? {};
        const schema = content['application/json']?.schema?.$ref;
        if (Object.keys(content).length !== 1 || schema !== '#/components/schemas/Error') {
          wrong.push(`${op.operationId} ${status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps error codes a closed enum that includes the codes DESIGN.md names', () => {
    const codes: string[] = spec.components.schemas.ErrorCode.enum;
    for (const code of [
      'model_not_found',
      'version_not_found',
      'model_not_ready',
      'invalid_json',
      'invalid_input',
      'input_shape_mismatch',
      'datatype_mismatch',
      'payload_too_large',
      'unauthorized',
      'rate_limited',
      'overloaded',
      'job_not_found',
      'invalid_job_state',
      'dataset_invalid',
      'idempotency_conflict',
      'internal',
    ]) {
      expect(codes).toContain(code);
    }
    expect(spec.components.schemas.Error.required).toEqual(['error', 'code', 'status', 'request_id']);
  });

  it('accepts an Idempotency-Key on every create', () => {
    for (const id of CREATE_OPERATIONS) {
      const entry = operations().find(({ op }) => op.operationId === id);
      const names = (entry?.op.parameters ?? []).map((p) => resolve(p).name);
      expect(names, id).toContain('Idempotency-Key');
    }
  });

  it('documents the binary tensor extension on infer requests and responses', () => {
    for (const id of ['modelInfer', 'modelVersionInfer']) {
      const { op } = operations().find((o) => o.op.operationId === id)!;
      expect(Object.keys(resolve(op.requestBody!).content ?? {})).toEqual([
        'application/json',
        'application/octet-stream',
      ]);
      expect(Object.keys(resolve(op.responses['200']!).content ?? {})).toContain('application/octet-stream');
      expect((op.parameters ?? []).map((p) => resolve(p).name)).toContain('Inference-Header-Content-Length');
    }
    expect(spec.components.schemas.Datatype.enum).toEqual([
      'BOOL',
      'UINT8',
      'UINT16',
      'UINT32',
      'UINT64',
      'INT8',
      'INT16',
      'INT32',
      'INT64',
      'FP16',
      'FP32',
      'FP64',
      'BYTES',
    ]);
  });
});
