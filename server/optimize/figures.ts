// A version's evaluation as the API shows it (EvaluationFigures): every figure present, null where it does not apply.
import type { components } from '../../src/generated/openapi.js';
import type { VersionEvaluation } from './evaluate.js';

export type EvaluationFigures = components['schemas']['EvaluationFigures'];

export function evaluationFigures(e: VersionEvaluation): EvaluationFigures {
  const m = e.metrics;
  return {
    task: e.task,
    output: e.output,
    target: e.target,
    features: e.features,
    rows: m.rows,
    labelled_rows: m.labelled_rows,
    accuracy: m.accuracy ?? null,
    loss: m.loss ?? null,
    rmse: m.rmse ?? null,
    mae: m.mae ?? null,
    agreement: m.agreement ?? null,
    max_abs_diff: m.max_abs_diff ?? null,
    mean_abs_diff: m.mean_abs_diff ?? null,
    latency: e.latency,
    size_bytes: e.size_bytes,
    gzip_bytes: e.gzip_bytes,
  };
}
