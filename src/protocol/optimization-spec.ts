// An optimisation job's create body: its shape (400 invalid_input, every field at once), its defaults, and its fit to
// the datasets' columns (422 optimize_data_invalid). Shared by the server and the msw mock so both accept, reject and
// resolve alike; what needs the model itself (its graph, its inputs) is each side's own check.
import type { components } from '../generated/openapi.js';
import { FieldIssues } from './field-issues.js';
import { isValidModelName, MODEL_NAME_PATTERN, MODEL_VERSION_PATTERN } from './model-names.js';
import { DEFAULT_GATES, type GateMethod, type GateThresholds } from './optimization-gates.js';
import { object, ShapeChecker } from './shape-checker.js';
import { checkArchitecture, checkOptimizer, resolveArchitecture, resolveOptimizer } from './training-spec.js';

type Schemas = components['schemas'];
export type OptimizationJobCreateRequest = Schemas['OptimizationJobCreateRequest'];
export type ResolvedMethod = Schemas['ResolvedOptimizationMethod'];
export type ResolvedEvaluation = Schemas['ResolvedEvaluationSpec'];

/** Everything a job runs with, defaults filled in: what the job shows and what its worker is given. */
export interface ResolvedOptimization {
  method: ResolvedMethod;
  evaluation: ResolvedEvaluation;
  /** The method's default limits overridden by the body's `gate`. */
  gate: GateThresholds;
  /** Whose defaults the gate started from. */
  gateMethod: GateMethod;
  promote: boolean;
  output_model: string;
}

export const OPTIMIZATION_METHODS = ['quantize', 'prune', 'distill'] as const;
export const GATE_FIELDS = ['min_agreement', 'max_accuracy_drop_pt', 'max_abs_diff', 'max_rmse_increase'] as const;
const FIELDS = ['model', 'version', 'method', 'evaluation', 'gate', 'promote', 'output_model'];
/** Fine-tuning and distillation train with these unless told otherwise (the seed makes a job reproducible). */
export const TRAINING_DEFAULTS = { batch_size: 32, seed: 0 } as const;

/** Checks the body's shape against OptimizationJobCreateRequest: 400 invalid_input listing every bad field. */
export function checkOptimizationBody(body: unknown): OptimizationJobCreateRequest {
  const issues = new FieldIssues();
  const b = object(issues, body, 'body');
  if (b) {
    const c = new ShapeChecker(issues, b, '');
    c.closed(FIELDS);
    for (const key of ['model', 'output_model'] as const) {
      if (c.string(key, key === 'model') && b[key] !== undefined && !isValidModelName(b[key] as string)) {
        c.invalid(key, `a name matching ${MODEL_NAME_PATTERN.source}`, b[key]);
      }
    }
    if (b.version !== undefined && (typeof b.version !== 'string' || !MODEL_VERSION_PATTERN.test(b.version))) {
      c.invalid('version', 'a version such as "3"', b.version);
    }
    checkMethod(issues, b.method);
    const e = object(issues, b.evaluation, 'evaluation');
    if (e) {
      const ec = new ShapeChecker(issues, e, 'evaluation.');
      ec.closed(['dataset', 'target', 'features']);
      ec.string('dataset', true);
      ec.string('target', true);
      ec.names('features');
    }
    if (b.gate !== undefined) checkGate(issues, b.gate);
    c.boolean('promote');
  }
  issues.throwIfAny(400, 'invalid_input');
  return body as OptimizationJobCreateRequest;
}

function checkMethod(issues: FieldIssues, value: unknown): void {
  const m = object(issues, value, 'method');
  if (!m) return;
  const c = new ShapeChecker(issues, m, 'method.');
  if (!c.oneOf('type', [...OPTIMIZATION_METHODS], true)) return;
  if (m.type === 'quantize') {
    c.closed(['type', 'precision', 'mode', 'per_channel', 'reduce_range']);
    const precision = c.oneOf('precision', ['fp16', 'int8'], true);
    const mode = c.oneOf('mode', ['dynamic', 'weight_only'], false);
    c.boolean('per_channel');
    c.boolean('reduce_range');
    if (precision && mode && m.precision === 'int8' && m.mode === undefined) {
      c.invalid('mode', '"dynamic" (integer arithmetic) or "weight_only" (int8 storage) with precision int8', m.mode);
    }
    if (m.precision === 'fp16' && m.mode === 'dynamic') {
      c.invalid('mode', 'nothing or "weight_only" with precision fp16 (FP16 weights, FP32 arithmetic)', m.mode);
    }
    if (m.precision === 'fp16' && m.per_channel === true) c.invalid('per_channel', 'false with precision fp16', true);
    if (m.reduce_range !== undefined && m.mode === 'weight_only') {
      c.invalid('reduce_range', 'nothing with mode weight_only (it applies to int8 dynamic)', m.reduce_range);
    }
  } else if (m.type === 'prune') {
    c.closed(['type', 'sparsity', 'scope', 'fine_tune']);
    c.number('sparsity', { min: 0, max: 1, maxExclusive: true }, true);
    c.oneOf('scope', ['global', 'layer'], false);
    if (m.fine_tune !== undefined && m.fine_tune !== null) {
      const f = object(issues, m.fine_tune, 'method.fine_tune');
      if (f) {
        const fc = new ShapeChecker(issues, f, 'method.fine_tune.');
        fc.closed(['dataset', 'target', 'features', 'epochs', 'optimizer', 'batch_size', 'seed']);
        checkTraining(issues, fc, f, 'method.fine_tune');
      }
    }
  } else {
    c.closed([
      'type',
      'dataset',
      'target',
      'features',
      'student',
      'temperature',
      'alpha',
      'epochs',
      'optimizer',
      'batch_size',
      'seed',
    ]);
    checkTraining(issues, c, m, 'method');
    const s = object(issues, m.student, 'method.student');
    if (s) {
      new ShapeChecker(issues, s, 'method.student.').closed(['architecture']);
      checkArchitecture(issues, s.architecture, 'method.student.architecture');
      const type = (s.architecture as { type?: unknown } | null | undefined)?.type;
      if (type === 'linear') {
        issues.add(
          'method.student.architecture.type',
          "expected logistic or mlp (a distilled student is a classifier), got 'linear'",
        );
      }
    }
    c.number('temperature', { min: 0, minExclusive: true, max: 100 }, true);
    c.number('alpha', { min: 0, max: 1 }, true);
  }
}

/** What fine-tuning and distillation share: their dataset, columns and training options. */
function checkTraining(issues: FieldIssues, c: ShapeChecker, b: Record<string, unknown>, field: string): void {
  c.string('dataset', true);
  if (b.target !== null) c.string('target', false);
  c.names('features');
  c.integer('epochs', 1, 100000, true);
  if (b.optimizer !== undefined) checkOptimizer(issues, b.optimizer, `${field}.optimizer`);
  c.integer('batch_size', 1, 1000000, false);
  c.integer('seed', 0, 4294967295, false);
}

function checkGate(issues: FieldIssues, value: unknown): void {
  const g = object(issues, value, 'gate');
  if (!g) return;
  const c = new ShapeChecker(issues, g, 'gate.');
  c.closed([...GATE_FIELDS]);
  c.number('min_agreement', { min: 0, max: 1 });
  c.number('max_accuracy_drop_pt', { min: -100, max: 100 });
  c.number('max_abs_diff', { min: 0 });
  c.number('max_rmse_increase', { min: -1, max: 1000 });
}

/** Every default filled in (the body's shape already checked). */
export function resolveOptimization(body: OptimizationJobCreateRequest): ResolvedOptimization {
  const evaluation: ResolvedEvaluation = {
    dataset: body.evaluation.dataset,
    target: body.evaluation.target,
    features: body.evaluation.features ? [...body.evaluation.features] : null,
  };
  const method = resolveMethod(body.method, evaluation.target);
  const gateMethod = gateMethodOf(method);
  return {
    method,
    evaluation,
    gate: { ...DEFAULT_GATES[gateMethod], ...(body.gate ?? {}) },
    gateMethod,
    promote: body.promote ?? false,
    output_model: body.output_model ?? body.model,
  };
}

function resolveMethod(m: OptimizationJobCreateRequest['method'], target: string): ResolvedMethod {
  const training = (t: { optimizer?: Schemas['Optimizer']; batch_size?: number; seed?: number }) => ({
    optimizer: resolveOptimizer(t.optimizer),
    batch_size: t.batch_size ?? TRAINING_DEFAULTS.batch_size,
    seed: t.seed ?? TRAINING_DEFAULTS.seed,
  });
  switch (m.type) {
    case 'quantize': {
      const perChannel = m.per_channel ?? false;
      return {
        type: 'quantize',
        precision: m.precision,
        mode: m.mode ?? 'weight_only',
        per_channel: perChannel,
        reduce_range: m.reduce_range ?? (m.mode === 'dynamic' && perChannel),
      };
    }
    case 'prune': {
      const f = m.fine_tune;
      return {
        type: 'prune',
        sparsity: m.sparsity,
        scope: m.scope ?? 'global',
        fine_tune: f
          ? {
              dataset: f.dataset,
              target: f.target ?? target,
              features: f.features ? [...f.features] : null,
              epochs: f.epochs,
              ...training(f),
            }
          : null,
      };
    }
    default:
      return {
        type: 'distill',
        dataset: m.dataset,
        target: m.target === undefined ? target : m.target,
        features: m.features ? [...m.features] : null,
        student: { architecture: resolveArchitecture(m.student.architecture) },
        temperature: m.temperature,
        alpha: m.alpha,
        epochs: m.epochs,
        ...training(m),
      };
  }
}

/** Whose default gate a method gets. */
export function gateMethodOf(method: ResolvedMethod): GateMethod {
  if (method.type === 'quantize') return method.precision === 'fp16' ? 'quantize_fp16' : 'quantize_int8';
  return method.type;
}

/** The datasets a job reads, by the field that names them (evaluation first). */
export function datasetsOf(r: Pick<ResolvedOptimization, 'method' | 'evaluation'>): Array<[string, string]> {
  const out: Array<[string, string]> = [['evaluation.dataset', r.evaluation.dataset]];
  if (r.method.type === 'prune' && r.method.fine_tune)
    out.push(['method.fine_tune.dataset', r.method.fine_tune.dataset]);
  if (r.method.type === 'distill') out.push(['method.dataset', r.method.dataset]);
  return out;
}

/**
 * The columns the spec names checked against the datasets' columns (`columnsOf(id)`): 422 optimize_data_invalid
 * naming each field whose column is missing.
 */
export function checkOptimizationColumns(
  r: Pick<ResolvedOptimization, 'method' | 'evaluation'>,
  columnsOf: (dataset: string) => readonly string[],
): void {
  const issues = new FieldIssues();
  const need = (dataset: string, column: string | null, field: string) => {
    if (column === null) return;
    const columns = columnsOf(dataset);
    if (!columns.includes(column)) {
      issues.add(field, `column '${column}' is not in dataset ${dataset}; its columns are ${columns.join(', ')}`);
    }
  };
  const needAll = (dataset: string, names: readonly string[] | null, field: string) =>
    names?.forEach((name, i) => {
      need(dataset, name, `${field}[${i}]`);
    });
  const e = r.evaluation;
  need(e.dataset, e.target, 'evaluation.target');
  needAll(e.dataset, e.features, 'evaluation.features');
  const m = r.method;
  if (m.type === 'prune' && m.fine_tune) {
    need(m.fine_tune.dataset, m.fine_tune.target, 'method.fine_tune.target');
    needAll(m.fine_tune.dataset, m.fine_tune.features, 'method.fine_tune.features');
  } else if (m.type === 'distill') {
    need(m.dataset, m.target, 'method.target');
    needAll(m.dataset, m.features, 'method.features');
  }
  issues.throwIfAny(422, 'optimize_data_invalid');
}

/** What a method is, in a few words (job messages, the CLI). */
export function describeMethod(m: ResolvedMethod): string {
  switch (m.type) {
    case 'quantize':
      return m.precision === 'fp16'
        ? 'fp16 weights'
        : `int8 ${m.mode === 'dynamic' ? 'dynamic' : 'weight-only'}${m.per_channel ? ' per channel' : ''}`;
    case 'prune':
      return `${(m.sparsity * 100).toFixed(1)} % ${m.scope} magnitude pruning${m.fine_tune ? `, fine-tuned ${m.fine_tune.epochs} epochs` : ''}`;
    default:
      return `distillation into ${m.student.architecture.type === 'mlp' ? `an MLP ${m.student.architecture.hidden_layers?.join('-')}` : 'a logistic'} student (T ${m.temperature}, alpha ${m.alpha}, ${m.epochs} epochs)`;
  }
}
