import { InvalidParameterError } from '../errors.js';
import { checkModelName, checkVersion } from '../inference/names.js';
import type { PageQuery } from '../store/records.js';

type Params = Record<string, string | undefined>;

/** The `model` path parameter, validated before it can reach the filesystem. */
export function modelParam(params: unknown): string {
  return checkModelName((params as Params).model ?? '');
}

/** The `version` path parameter when the route has one. */
export function versionParam(params: unknown): number | undefined {
  const raw = (params as Params).version;
  return raw === undefined ? undefined : checkVersion(raw);
}

/** `limit` (1–100, default 20) and `after` of our list endpoints. */
export function pageParams(query: unknown): PageQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  let limit = 20;
  if (q.limit !== undefined) {
    const text = String(q.limit);
    limit = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(limit >= 1 && limit <= 100)) throw new InvalidParameterError('limit', 'an integer from 1 to 100', text);
  }
  if (q.after === undefined) return { limit };
  const after = String(q.after);
  if (after.length > 256) throw new InvalidParameterError('after', 'a cursor of at most 256 characters', after);
  return { limit, after };
}

/** One optional string query parameter, bounded. */
export function stringQuery(query: unknown, name: string, maxLength: number): string | undefined {
  const value = ((query ?? {}) as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) {
    throw new InvalidParameterError(name, `a string of at most ${maxLength} characters`, value);
  }
  return value;
}
