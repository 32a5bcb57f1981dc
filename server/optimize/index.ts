/**
 * Model optimisation for MaaS, as library functions a job can call: pure rewrites over ONNX bytes (quantize, prune),
 * the dense-network import that fine-tuning needs, distillation (trains a student with server/training), evaluation
 * metrics and gates. No fs, threads or database; training is seeded. See docs/optimization.md.
 */
export { type DatasetSelection, type ModelDataset, modelDataset } from './dataset-inputs.js';
export { type DistillationReport, type DistillResult, type DistillSpec, distill } from './distill.js';
export { OptimizeError, type OptimizeErrorCode } from './errors.js';
export {
  type DatasetOutputs,
  type EvaluateOptions,
  evaluateVersion,
  type LatencyFigures,
  type LatencyOptions,
  measureLatency,
  openSession,
  runOutputs,
  type SessionChoice,
  type VersionEvaluation,
} from './evaluate.js';
export { DEFAULT_GATES, type GateMethod, type GateThresholds, type GateVerdict, gateVerdict } from './gates.js';
export {
  type DenseImport,
  type DenseLayerRef,
  importDense,
  importedNetwork,
  writeDenseWeights,
} from './import-dense.js';
export { compareOutputs, type OutputMetrics, scoreOutputs, type Truth } from './metrics.js';
export { type ModelLayout, readLayout } from './model-layout.js';
export { type FineTuneSpec, type PruneSpec, prune } from './prune.js';
export { type QuantizeSpec, quantize, resolveQuantizeSpec } from './quantize.js';
export { type FineTuneReport, type ModelStats, modelStats, type RewriteReport } from './report.js';
export type { RewriteResult } from './rewrite.js';
