// Records for store tests and benchmarks (no test runner imports: bench/ uses them too).
import type { DatasetRecord, JobRecord, OptimizationJobRecord, TrainingJobRecord } from '../../server/store/records.js';

const at = '2026-01-01T00:00:00.000Z';

export function datasetRecord(id: string): DatasetRecord {
  return {
    dataset: {
      id,
      object: 'dataset',
      name: null,
      format: 'csv',
      rows: 1,
      columns: [{ name: 'a', type: 'number', missing: 0 }],
      bytes: 4,
      created_at: at,
    },
    path: `/data/${id}.csv`,
    stats: [],
  } as unknown as DatasetRecord;
}

export function jobRecord(id: string, status: JobRecord['status'] = 'queued'): TrainingJobRecord {
  return {
    id,
    status,
    model: 'm',
    dataset: 'ds_1',
    validation_dataset: null,
    created_at: at,
    started_at: null,
    finished_at: null,
    hyperparameters: {} as TrainingJobRecord['hyperparameters'],
    promote: true,
    metrics: null,
    error: null,
    result: null,
    data: { train: { path: '/t.csv', format: 'csv' }, validation: null },
    cancelRequested: false,
  };
}

export function optimizationJobRecord(id: string, status: JobRecord['status'] = 'queued'): OptimizationJobRecord {
  return {
    kind: 'optimization',
    id,
    status,
    model: 'm',
    version: '1',
    method: { type: 'quantize', precision: 'fp16', mode: 'weight_only', per_channel: false, reduce_range: false },
    evaluation: { dataset: 'ds_1', target: 'y', features: null },
    gate: {},
    promote: false,
    output_model: 'm',
    stage: null,
    created_at: at,
    started_at: null,
    finished_at: null,
    error: null,
    result: null,
    report: null,
    data: {
      parent: { path: '/parent.onnx', sessionConfig: {} },
      evaluation: { path: '/e.csv', format: 'csv' },
      training: null,
    },
    gateMethod: 'quantize_fp16',
    gateOverrides: {},
    cancelRequested: false,
  };
}
