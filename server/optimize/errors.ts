/**
 * Why an optimisation cannot run; `code` is what an optimisation job's error will report, `field` the option at
 * fault (dotted path) when the spec is the problem.
 *
 * - `optimize_spec_invalid`: an option is missing, of the wrong type or out of range (`field` names it)
 * - `model_unsupported`: the model cannot take this rewrite (e.g. its opset is too old, its weights are external)
 * - `fine_tune_unsupported`: fine-tuning needs a dense network and the graph is not one (the message names the op)
 * - `optimize_data_invalid`: the dataset does not fit the model (missing column, no usable row)
 */
export type OptimizeErrorCode =
  | 'optimize_spec_invalid'
  | 'model_unsupported'
  | 'fine_tune_unsupported'
  | 'optimize_data_invalid';

export class OptimizeError extends Error {
  constructor(
    readonly code: OptimizeErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'OptimizeError';
  }
}

/** Throws optimize_spec_invalid for `field`: "<field>: expected <expected>, got <what came>". */
export function invalidOption(field: string, expected: string, got: unknown): never {
  throw new OptimizeError('optimize_spec_invalid', `${field}: expected ${expected}, got ${describe(got)}`, field);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
