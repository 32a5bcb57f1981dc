// Field-by-field shape checks of a JSON request body: each records its problem (`{ field, message }`) in a
// FieldIssues and says whether the field passed, so one body's problems are reported together. Shared by the
// training and optimisation specs (server and msw mock alike).
import { describeReceived as describe } from './contract-error.js';
import type { FieldIssues } from './field-issues.js';

export type Body = Record<string, unknown>;

/** The value as an object, or undefined with an issue for `field`. */
export function object(issues: FieldIssues, value: unknown, field: string): Body | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.add(field, `expected an object, got ${describe(value)}`);
    return undefined;
  }
  return value as Body;
}

export interface Range {
  min: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** Field checks on one object of the body (its fields named `prefix` + key); each says whether the field passed. */
export class ShapeChecker {
  constructor(
    private readonly issues: FieldIssues,
    private readonly b: Body,
    private readonly prefix: string,
  ) {}

  invalid(key: string, expected: string, got: unknown): false {
    this.issues.add(`${this.prefix}${key}`, `expected ${expected}, got ${describe(got)}`);
    return false;
  }

  closed(allowed: string[]): void {
    for (const key of Object.keys(this.b)) {
      if (!allowed.includes(key)) {
        this.issues.add(`${this.prefix}${key}`, `unknown field; expected one of ${allowed.join(', ')}`);
      }
    }
  }

  string(key: string, required: boolean): boolean {
    const v = this.b[key];
    if (v === undefined && !required) return true;
    return (typeof v === 'string' && v !== '') || this.invalid(key, 'a non-empty string', v);
  }

  boolean(key: string): boolean {
    const v = this.b[key];
    return v === undefined || typeof v === 'boolean' || this.invalid(key, 'a boolean', v);
  }

  oneOf(key: string, values: string[], required: boolean): boolean {
    const v = this.b[key];
    if (v === undefined && !required) return true;
    return values.includes(v as string) || this.invalid(key, `one of ${values.join(', ')}`, v);
  }

  integer(key: string, min: number, max: number, required: boolean): boolean {
    const v = this.b[key];
    if (v === undefined && !required) return true;
    const ok = Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
    return ok || this.invalid(key, `an integer from ${min} to ${max}`, v);
  }

  /** An optional number in the range; `required` makes its absence an issue too. */
  number(key: string, r: Range, required = false): boolean {
    const v = this.b[key];
    if (v === undefined) return !required || this.invalid(key, 'a number', v);
    const max = r.max ?? Number.POSITIVE_INFINITY;
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (r.minExclusive ? v > r.min : v >= r.min) &&
      (r.maxExclusive ? v < max : v <= max);
    if (ok) return true;
    const lo = r.minExclusive ? `> ${r.min}` : `>= ${r.min}`;
    const hi = r.max === undefined ? '' : r.maxExclusive ? ` and < ${r.max}` : ` and <= ${r.max}`;
    return this.invalid(key, `a number ${lo}${hi}`, v);
  }

  /** An optional non-empty array of distinct non-empty strings (column names). */
  names(key: string): boolean {
    const v = this.b[key];
    if (v === undefined) return true;
    if (!Array.isArray(v) || v.length === 0) return this.invalid(key, 'a non-empty array of column names', v);
    let ok = true;
    v.forEach((name, i) => {
      if (typeof name !== 'string' || name === '') ok = this.invalid(`${key}[${i}]`, 'a column name', name);
    });
    return ok;
  }
}
