// What every rewrite shares: parsing the parent (a clear error for bytes that are not a usable model), the outcome
// each pass returns, and the result a caller (an optimisation job) publishes.
import { ModelGraph } from '../onnx/model-graph.js';
import { OptimizeError } from './errors.js';
import { type RewriteReport, rewriteReport } from './report.js';
import type { SkippedNode } from './weights.js';

/** A rewritten model, the ONNX Runtime session options it needs to run as measured, and what was done. */
export interface RewriteResult {
  bytes: Uint8Array;
  /**
   * Session config entries the result needs (e.g. `session.disable_quant_qdq: "1"` for weight-only int8); a server
   * serving this version must open its sessions with them (`SessionOptions.configEntries`).
   */
  sessionConfig: Record<string, string>;
  report: RewriteReport;
}

/** What one pass over a graph did. */
export interface PassOutcome extends Pick<RewriteReport, 'weights' | 'fine_tune'> {
  rewritten: string[];
  skipped: SkippedNode[];
  notes: string[];
  sessionConfig?: Record<string, string>;
}

/** The parent's graph, or model_unsupported when the bytes are not an ONNX model. */
export function parseParent(bytes: Uint8Array): ModelGraph {
  try {
    return ModelGraph.parse(bytes);
  } catch (err) {
    throw new OptimizeError('model_unsupported', `the model is not a readable ONNX model: ${(err as Error).message}`);
  }
}

/** Throws model_unsupported unless the standard-domain opset is at least `min`. */
export function requireOpset(graph: ModelGraph, min: number, what: string): void {
  const opset = graph.opset('') ?? 0;
  if (opset < min) {
    throw new OptimizeError(
      'model_unsupported',
      `${what} needs opset ${min} or later; the model imports opset ${opset} (convert it with onnx.version_converter first)`,
    );
  }
}

/** Serializes the rewritten graph (dropping initializers nothing reads any more) and reports on it. */
export function finishRewrite(
  method: RewriteReport['method'],
  parent: Uint8Array,
  graph: ModelGraph,
  outcome: PassOutcome,
): RewriteResult {
  graph.removeUnusedInitializers();
  const bytes = graph.toBytes();
  return {
    bytes,
    sessionConfig: outcome.sessionConfig ?? {},
    report: rewriteReport(method, parent, bytes, outcome),
  };
}
