// Whether an optimised version may replace its parent: default thresholds per method, as data, and one function that
// checks a candidate's evaluation against the parent's and says why it passes or fails.
import type { OutputMetrics } from './metrics.js';

export type GateMethod = 'quantize_int8' | 'quantize_fp16' | 'prune' | 'distill';

/** Every limit is optional; a limit whose figure cannot be computed (no labels, no reference) fails with a reason. */
export interface GateThresholds {
  /** Minimum fraction of rows whose most probable class matches the parent's (classification). */
  min_agreement?: number;
  /** Maximum accuracy drop against the parent, in percentage points (classification). */
  max_accuracy_drop_pt?: number;
  /**
   * Maximum |candidate − parent| over every output value. Probabilities have one scale, regression values their
   * target's: by default it is checked for classification only (an override applies it to regression too).
   */
  max_abs_diff?: number;
  /** Maximum RMSE increase against the parent, as a fraction of the parent's RMSE (regression). */
  max_rmse_increase?: number;
}

/**
 * The defaults. int8 and fp16 change only rounding, so they must agree with the parent almost always; pruning and
 * distillation retrain, so only the accuracy (or RMSE) drop is bounded, not agreement.
 */
export const DEFAULT_GATES: Readonly<Record<GateMethod, Readonly<GateThresholds>>> = {
  quantize_int8: { min_agreement: 0.995, max_accuracy_drop_pt: 0.5, max_rmse_increase: 0.02 },
  quantize_fp16: { min_agreement: 0.999, max_accuracy_drop_pt: 0.5, max_abs_diff: 2e-3, max_rmse_increase: 0.005 },
  prune: { max_accuracy_drop_pt: 1, max_rmse_increase: 0.05 },
  distill: { max_accuracy_drop_pt: 2, max_rmse_increase: 0.1 },
};

export interface GateCheck {
  name: keyof GateThresholds;
  limit: number;
  /** The measured figure, or null when it could not be computed. */
  value: number | null;
  passed: boolean;
}

export interface GateVerdict {
  passed: boolean;
  checks: GateCheck[];
  /** One sentence per check, failures first. */
  reasons: string[];
}

/** What a gate reads of an evaluation (VersionEvaluation fits). */
export interface GateInput {
  task: 'classification' | 'regression';
  metrics: OutputMetrics;
}

/**
 * Checks `candidate` (evaluated with the parent's outputs as reference) against `parent` on the same dataset, with
 * the method's defaults overridden by `overrides`. Checks that do not apply to the task are left out.
 */
export function gateVerdict(
  method: GateMethod,
  candidate: GateInput,
  parent: GateInput,
  overrides: GateThresholds = {},
): GateVerdict {
  const limits = { ...DEFAULT_GATES[method], ...overrides };
  const c = candidate.metrics;
  const p = parent.metrics;
  const classification = candidate.task === 'classification';
  const checks: GateCheck[] = [];
  const add = (
    name: keyof GateThresholds,
    value: number | undefined | null,
    ok: (v: number, limit: number) => boolean,
  ) => {
    const limit = limits[name];
    if (limit === undefined) return;
    const v = value ?? null;
    checks.push({ name, limit, value: v, passed: v !== null && Number.isFinite(v) && ok(v, limit) });
  };
  if (classification) {
    add('min_agreement', c.agreement, (v, l) => v >= l);
    const drop = c.accuracy !== undefined && p.accuracy !== undefined ? (p.accuracy - c.accuracy) * 100 : null;
    add('max_accuracy_drop_pt', drop, (v, l) => v <= l);
  } else {
    const increase = c.rmse !== undefined && p.rmse !== undefined && p.rmse > 0 ? c.rmse / p.rmse - 1 : null;
    add('max_rmse_increase', increase, (v, l) => v <= l);
  }
  if (classification || overrides.max_abs_diff !== undefined) add('max_abs_diff', c.max_abs_diff, (v, l) => v <= l);
  const reasons = [...checks].sort((a, b) => Number(a.passed) - Number(b.passed)).map(describeCheck);
  return { passed: checks.every((k) => k.passed), checks, reasons };
}

function describeCheck(check: GateCheck): string {
  const verdict = check.passed ? 'passed' : 'FAILED';
  const { name, limit, value } = check;
  if (value === null) {
    const why = name === 'min_agreement' || name === 'max_abs_diff' ? 'no reference outputs' : 'no labelled rows';
    return `${name} ${verdict}: cannot be measured (${why})`;
  }
  switch (name) {
    case 'min_agreement':
      return `agreement ${verdict}: ${pct(value)} of rows pick the parent's class (at least ${pct(limit)} required)`;
    case 'max_accuracy_drop_pt':
      return `accuracy ${verdict}: ${value.toFixed(2)} points below the parent (at most ${limit} allowed)`;
    case 'max_abs_diff':
      return `max abs difference ${verdict}: ${value.toExponential(2)} (at most ${limit.toExponential(1)} allowed)`;
    case 'max_rmse_increase':
      return `RMSE ${verdict}: ${pct(value)} above the parent's (at most ${pct(limit)} allowed)`;
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}
