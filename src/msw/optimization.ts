// Evaluation and optimisation jobs in the mock. The body rules are the server's (src/protocol: optimization-spec,
// evaluate-request, optimization-gates); what the server learns by running the model, the mock reads from the
// version's signature, and its figures are the documented ones of fake-optimization.ts. A job runs in 5 ticks:
// start, then one per stage — evaluating_parent, optimizing (a metrics event per epoch of fine-tuning or
// distillation), evaluating_candidate (the gate's verdict as messages), and publishing or failing its gate.
import { modelOrVersion, notFoundAt } from '../protocol/contract-error.js';
import type { TableColumn } from '../protocol/datasets/table.js';
import type { EvaluateRequest } from '../protocol/evaluate-request.js';
import { gateVerdict } from '../protocol/optimization-gates.js';
import {
  checkOptimizationBody,
  checkOptimizationColumns,
  datasetsOf,
  describeMethod,
  resolveOptimization,
} from '../protocol/optimization-spec.js';
import { unprocessable } from './errors.js';
import { candidateFigures, FAKE_COMPARISON, fakeEffect, parentFigures } from './fake-optimization.js';
import { isoTime, makeId } from './ids.js';
import type { EventDraft, OptimizationRecord } from './job-engine.js';
import { defaultVersion, type VersionRecord } from './model-store.js';
import type { DatasetRecord, MaasMockState } from './state.js';
import type { EvaluationFigures, ModelEvaluation, OptimizationReport } from './types.js';

/** How a dataset feeds a version, or a 422 as the server words it. */
interface Fit {
  task: 'classification' | 'regression';
  output: string;
  features: string[];
  rows: number;
}

function fitOf(version: VersionRecord, data: DatasetRecord, target: string, features: string[] | undefined): Fit {
  const names = data.table.columns.map((c) => c.name);
  const inputs = version.inputs;
  const matrix = inputs.length === 1 && inputs[0]!.shape.length === 2 && inputs[0]!.datatype === 'FP32';
  const perColumn = !matrix && inputs.every((i) => i.shape.length === 1);
  if (!matrix && !perColumn) {
    const seen = inputs.map((i) => `${i.name} [${i.shape.join(', ')}]`).join(', ');
    throw unprocessable(
      'model_unsupported',
      `building inputs from a dataset needs one [N, F] input or one [N] input per column; the model takes ${seen}`,
    );
  }
  const chosen = perColumn ? inputs.map((i) => i.name) : (features ?? names.filter((n) => n !== target));
  const width = matrix ? inputs[0]!.shape[1]! : -1;
  if (matrix && width >= 0 && chosen.length !== width) {
    throw unprocessable(
      'optimize_data_invalid',
      `${features ? 'features: ' : ''}the model's input '${inputs[0]!.name}' takes ${width} features; ` +
        `${features ? 'features' : 'the dataset'} gives ${chosen.length}${features ? '' : ' (name them with features)'}`,
    );
  }
  const missing = chosen.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    throw unprocessable(
      'optimize_data_invalid',
      `the dataset has no column '${missing[0]}' (its columns are ${names.join(', ')})`,
    );
  }
  const outputs = version.outputs.map((o) => o.name);
  const output =
    ['probabilities', 'value'].find((n) => outputs.includes(n)) ??
    version.outputs.find((o) => o.datatype === 'FP32')?.name;
  if (!output) {
    throw unprocessable('model_unsupported', `the model has no FP32 output to score (it has ${outputs.join(', ')})`);
  }
  const columns = data.table.columns.filter((c) => chosen.includes(c.name));
  let rows = 0;
  for (let r = 0; r < data.table.rows; r++) if (columns.every((c) => present(c, r))) rows++;
  if (rows === 0) throw unprocessable('optimize_data_invalid', 'no row of the dataset has every feature value');
  return { task: output === 'probabilities' ? 'classification' : 'regression', output, features: chosen, rows };
}

function present(c: TableColumn, r: number): boolean {
  return c.type === 'number' ? !Number.isNaN(c.values[r] ?? Number.NaN) : (c.values[r] ?? null) !== null;
}

function labelled(data: DatasetRecord, target: string | null, features: string[]): number {
  const columns = data.table.columns.filter((c) => features.includes(c.name) || c.name === target);
  let n = 0;
  for (let r = 0; r < data.table.rows; r++) if (target !== null && columns.every((c) => present(c, r))) n++;
  return n;
}

function targetColumn(data: DatasetRecord, target: string, field: string): void {
  const names = data.table.columns.map((c) => c.name);
  if (!names.includes(target)) {
    throw unprocessable(
      'optimize_data_invalid',
      `${field}: column '${target}' is not in dataset ${data.dataset.id}; its columns are ${names.join(', ')}`,
    );
  }
}

function figuresOf(
  version: VersionRecord,
  data: DatasetRecord,
  target: string,
  features?: string[],
): EvaluationFigures {
  const fit = fitOf(version, data, target, features);
  return parentFigures(fit.task, {
    output: fit.output,
    target,
    features: fit.features,
    rows: fit.rows,
    labelled_rows: labelled(data, target, fit.features),
    size_bytes: version.size_bytes,
  });
}

/** POST /v1/models/{model}/versions/{version}/evaluate (its body already checked). */
export function evaluateInMock(
  state: MaasMockState,
  model: string,
  version: string,
  body: EvaluateRequest,
): ModelEvaluation {
  const record = state.models.requireVersion(model, version);
  if (body.compare_to !== undefined) state.models.requireVersion(model, body.compare_to);
  const data = state.requireDataset(body.dataset);
  targetColumn(data, body.target, 'target');
  const figures = figuresOf(record, data, body.target, body.features ? [...body.features] : undefined);
  if (body.compare_to !== undefined) {
    const same = body.compare_to === version;
    figures.agreement = figures.task === 'classification' ? (same ? 1 : FAKE_COMPARISON.agreement) : null;
    figures.max_abs_diff = same ? 0 : FAKE_COMPARISON.max_abs_diff;
    figures.mean_abs_diff = same ? 0 : FAKE_COMPARISON.mean_abs_diff;
  }
  return {
    object: 'model.evaluation',
    model,
    version,
    dataset: body.dataset,
    compare_to: body.compare_to ?? null,
    ...figures,
  };
}

/** A queued optimisation job for a create body: 400, 404 and 422 as the server answers them. */
export function newOptimizationRecord(state: MaasMockState, body: unknown): OptimizationRecord {
  const request = checkOptimizationBody(body);
  const resolved = resolveOptimization(request);
  const version = notFoundAt(modelOrVersion, () => {
    const model = state.models.require(request.model);
    if (request.version !== undefined) return state.models.requireVersion(request.model, request.version);
    if (model.routing.pinned !== null) return state.models.requireVersion(request.model, model.routing.pinned);
    return defaultVersion(model);
  });
  if (!version) throw unprocessable('model_not_ready', `Model '${request.model}' has no READY version to start from`);
  const records = new Map<string, DatasetRecord>();
  for (const [field, id] of datasetsOf(resolved)) {
    records.set(
      id,
      notFoundAt(field, () => state.requireDataset(id)),
    );
  }
  checkOptimizationColumns(resolved, (id) => records.get(id)!.table.columns.map((c) => c.name));
  if (resolved.method.type === 'prune' && resolved.method.fine_tune && !isDense(version)) {
    const message = `fine-tuning needs a dense network (one FP32 [N, F] input); version ${version.version} takes ${version.inputs.map((i) => i.name).join(', ')}`;
    throw unprocessable('fine_tune_unsupported', `method.fine_tune: ${message}`, [
      { field: 'method.fine_tune', message },
    ]);
  }
  const now = Date.now();
  const seq = state.nextSeq();
  const record: OptimizationRecord = {
    kind: 'optimization',
    seq,
    job: {
      id: makeId('job', now, seq),
      object: 'optimization_job',
      status: 'queued',
      model: request.model,
      version: version.version,
      method: resolved.method,
      evaluation: resolved.evaluation,
      gate: resolved.gate,
      promote: resolved.promote,
      output_model: resolved.output_model,
      queue_position: 0,
      stage: null,
      created_at: isoTime(now),
      started_at: null,
      finished_at: null,
      error: null,
      result: null,
      report: null,
    },
    events: [],
    cancelRequested: false,
    notes: [`${describeMethod(resolved.method)} of ${request.model} version ${version.version}`],
    steps: [],
    stepsDone: 0,
  };
  const evaluation = records.get(resolved.evaluation.dataset)!;
  let parent: EvaluationFigures | undefined;
  let report: OptimizationReport | undefined;
  const epochs =
    resolved.method.type === 'distill'
      ? resolved.method.epochs
      : resolved.method.type === 'prune'
        ? (resolved.method.fine_tune?.epochs ?? 0)
        : 0;
  const fail = (err: unknown) => {
    const e = err as { code?: string; message?: string };
    return {
      events: [],
      end: {
        status: 'failed' as const,
        error: { code: e.code ?? 'optimization_failed', message: e.message ?? String(err) },
      },
    };
  };
  record.steps = [
    () => {
      try {
        parent = figuresOf(version, evaluation, resolved.evaluation.target, resolved.evaluation.features ?? undefined);
      } catch (err) {
        return { ...fail(err), events: [{ type: 'stage', stage: 'evaluating_parent' }] };
      }
      return { events: [{ type: 'stage', stage: 'evaluating_parent' }] };
    },
    () => ({
      events: [
        { type: 'stage', stage: 'optimizing' },
        ...Array.from(
          { length: epochs },
          (_, i): EventDraft => ({ type: 'metrics', metrics: epochMetrics(i + 1, epochs) }),
        ),
      ],
    }),
    () => {
      const effect = fakeEffect(resolved.method);
      const candidate = candidateFigures(parent!, effect);
      const verdict = gateVerdict(
        resolved.gateMethod,
        { task: parent!.task, metrics: candidate },
        { task: parent!.task, metrics: parent! },
        request.gate ?? {},
      );
      const params = Math.max(0, Math.round((version.size_bytes - 512) / 4));
      report = {
        method: resolved.method.type,
        parent: parent!,
        candidate,
        parameters: { before: params, after: Math.round(params * effect.parameters) },
        sparsity: { before: 0, after: effect.sparsity },
        size_bytes: { before: parent!.size_bytes, after: candidate.size_bytes },
        gzip_bytes: { before: parent!.gzip_bytes, after: candidate.gzip_bytes },
        size_ratio: parent!.size_bytes > 0 ? candidate.size_bytes / parent!.size_bytes : 1,
        gzip_ratio: parent!.gzip_bytes > 0 ? candidate.gzip_bytes / parent!.gzip_bytes : 1,
        opset: 13,
        ir_version: 8,
        rewritten: [],
        skipped: [],
        notes: ['Simulated by maas/msw: the documented figures of fake-optimization.ts; no graph was rewritten.'],
        session_config: sessionConfigOf(resolved.method),
        gate: { method: resolved.gateMethod, ...verdict },
      };
      return {
        events: [
          { type: 'stage', stage: 'evaluating_candidate' },
          ...verdict.reasons.map((r): EventDraft => ({ type: 'message', message: `Gate: ${r}` })),
        ],
      };
    },
    (atMs) => {
      const r = report!;
      record.job.report = r;
      if (!r.gate.passed) {
        const failed = r.gate.reasons.filter((reason) => reason.includes('FAILED'));
        return {
          events: [],
          end: {
            status: 'failed',
            error: { code: 'gate_failed', message: `The candidate failed its gate: ${failed.join('; ')}` },
          },
        };
      }
      const out = resolved.output_model;
      const next = state.models.nextVersion(out);
      const published: VersionRecord = {
        ...structuredClone({ ...version, infer: undefined }),
        version: next,
        size_bytes: r.candidate.size_bytes,
        created_at: isoTime(atMs),
        source: 'optimization',
        training_job: null,
        optimization_job: record.job.id,
        parent: { model: request.model, version: version.version },
        session_config: r.session_config,
      };
      if (version.infer) published.infer = version.infer;
      else delete published.infer;
      state.models.publish(out, published, { promote: resolved.promote, by: `optimization job ${record.job.id}` });
      record.job.result = { model: out, version: next };
      const as = resolved.promote ? 'the new default' : 'a candidate (no unversioned traffic until promoted)';
      return {
        events: [
          { type: 'stage', stage: 'publishing' },
          { type: 'message', message: `Published as model ${out} version ${next}, ${as}` },
        ],
        end: { status: 'succeeded' },
      };
    },
  ];
  return record;
}

/** The mock's dense networks (what fine-tuning accepts): versions with one FP32 [N, F] input. */
function isDense(version: VersionRecord): boolean {
  const [input, ...rest] = version.inputs;
  return rest.length === 0 && input?.datatype === 'FP32' && input.shape.length === 2;
}

function sessionConfigOf(method: OptimizationRecord['job']['method']): Record<string, string> {
  return method.type === 'quantize' && method.precision === 'int8' && method.mode === 'weight_only'
    ? { 'session.disable_quant_qdq': '1' }
    : {};
}

/** Fine-tuning and distillation epochs in the mock: loss 1/epoch, 1 ms each. */
function epochMetrics(epoch: number, epochs: number) {
  return {
    epoch,
    train_loss: 1 / epoch,
    learning_rate: 0.001,
    samples_per_second: 1000,
    elapsed_ms: epoch * (epochs > 0 ? 1 : 0),
  };
}
