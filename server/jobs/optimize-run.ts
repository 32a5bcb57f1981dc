// One optimisation job from its snapshots to a candidate, in the job's worker thread: evaluate the parent on the
// evaluation data, rewrite or retrain (server/optimize), evaluate the candidate against the parent's outputs, and
// judge it by its gate. Whether it is published is the main thread's business (optimization-kind.ts); a candidate
// that fails its gate comes back without its bytes.
import { readFileSync } from 'node:fs';
import type { components } from '../../src/generated/openapi.js';
import type { GateMethod, GateThresholds } from '../../src/protocol/optimization-gates.js';
import type { ResolvedEvaluation, ResolvedMethod } from '../../src/protocol/optimization-spec.js';
import {
  distill,
  evaluateVersion,
  evaluationFigures,
  gateVerdict,
  OptimizeCancelled,
  OptimizeError,
  prune,
  quantize,
  type RewriteResult,
} from '../optimize/index.js';
import type { EpochMetrics } from '../training/types.js';
import { readTable } from './train-job.js';
import type { DataFile, JobError } from './types.js';

type Schemas = components['schemas'];
export type OptimizationReport = Schemas['OptimizationReport'];
export type OptimizationStage = Schemas['OptimizationJobStage'];

export interface OptimizeRunInput {
  kind: 'optimize';
  jobId: string;
  parent: { model: string; version: string; path: string; sessionConfig: Record<string, string> };
  method: ResolvedMethod;
  evaluation: ResolvedEvaluation;
  gateMethod: GateMethod;
  /** What the body's `gate` overrode (the method's defaults apply to the rest). */
  gateOverrides: GateThresholds;
  data: { evaluation: DataFile; training: DataFile | null };
}

/** What a run hands back: the report, and the candidate's bytes when it passed its gate. */
export interface OptimizedCandidate {
  onnx: Uint8Array | null;
  report: OptimizationReport;
  description: string;
}

export interface OptimizeHooks {
  stage(stage: OptimizationStage): void;
  epoch(metrics: EpochMetrics): void;
  message(text: string): void;
  shouldStop(): boolean;
}

export type OptimizeOutcome =
  | { type: 'done'; result: OptimizedCandidate }
  | { type: 'cancelled' }
  | { type: 'failed'; error: JobError };

export async function optimizeRun(input: OptimizeRunInput, hooks: OptimizeHooks): Promise<OptimizeOutcome> {
  try {
    const parentBytes = new Uint8Array(readFileSync(input.parent.path));
    const evalTable = readTable(input.data.evaluation);
    const selection = {
      target: input.evaluation.target,
      ...(input.evaluation.features ? { features: input.evaluation.features } : {}),
    };
    hooks.stage('evaluating_parent');
    const parent = await evaluateVersion(parentBytes, evalTable, {
      ...selection,
      sessionConfig: input.parent.sessionConfig,
    });
    if (hooks.shouldStop()) return { type: 'cancelled' };
    hooks.stage('optimizing');
    const candidate = await rewrite(input, parentBytes, hooks);
    if (hooks.shouldStop()) return { type: 'cancelled' };
    hooks.stage('evaluating_candidate');
    const evaluated = await evaluateVersion(candidate.bytes, evalTable, {
      ...selection,
      sessionConfig: candidate.sessionConfig,
      reference: parent.outputs,
    });
    const verdict = gateVerdict(input.gateMethod, evaluated, parent, input.gateOverrides);
    for (const reason of verdict.reasons) hooks.message(`Gate: ${reason}`);
    const { method, ...rewritten } = candidate.report;
    const report: OptimizationReport = {
      ...rewritten,
      method,
      parent: evaluationFigures(parent),
      candidate: evaluationFigures(evaluated),
      session_config: candidate.sessionConfig,
      gate: { method: input.gateMethod, ...verdict },
    };
    if (hooks.shouldStop()) return { type: 'cancelled' };
    return {
      type: 'done',
      result: {
        onnx: verdict.passed ? candidate.bytes : null,
        report,
        description: `${input.parent.model} version ${input.parent.version}, optimised (${method}) by job ${input.jobId}`,
      },
    };
  } catch (err) {
    if (err instanceof OptimizeCancelled) return { type: 'cancelled' };
    if (err instanceof OptimizeError) {
      return { type: 'failed', error: { code: err.code, message: err.message } };
    }
    return { type: 'failed', error: { code: 'optimization_failed', message: (err as Error).message ?? String(err) } };
  }
}

function rewrite(
  input: OptimizeRunInput,
  parent: Uint8Array,
  hooks: OptimizeHooks,
): Promise<RewriteResult> | RewriteResult {
  const m = input.method;
  const trainHooks = { onEpoch: (metrics: EpochMetrics) => hooks.epoch(metrics), shouldStop: hooks.shouldStop };
  const training = () => {
    if (!input.data.training) throw new Error("the job's copy of its training data is missing");
    return readTable(input.data.training);
  };
  switch (m.type) {
    case 'quantize':
      return quantize(parent, m);
    case 'prune': {
      const f = m.fine_tune;
      return prune(parent, {
        sparsity: m.sparsity,
        scope: m.scope,
        fine_tune: f
          ? {
              data: training(),
              target: f.target,
              ...(f.features ? { features: f.features } : {}),
              epochs: f.epochs,
              optimizer: f.optimizer,
              batch_size: f.batch_size,
              seed: f.seed,
              hooks: trainHooks,
            }
          : null,
      });
    }
    default:
      return distill(
        parent,
        {
          data: training(),
          target: m.target,
          ...(m.features ? { features: m.features } : {}),
          student: m.student,
          temperature: m.temperature,
          alpha: m.alpha,
          epochs: m.epochs,
          optimizer: m.optimizer,
          batch_size: m.batch_size,
          seed: m.seed,
          hooks: trainHooks,
        },
        { sessionConfig: input.parent.sessionConfig },
      );
  }
}
