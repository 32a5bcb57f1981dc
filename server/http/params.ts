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

/** What a request's version segment names: a version number, or a label (`stable`) set by PATCH /v1/models/{model}. */
export interface VersionRef {
  version?: number;
  label?: string;
}

const LABEL = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** The `version` (or TF Serving's `label`) path parameter of an inference route: a number or a label. */
export function versionRef(params: unknown): VersionRef {
  const p = params as Params;
  if (p.label !== undefined) {
    if (!LABEL.test(p.label))
      throw new InvalidParameterError('label', `a version label matching ${LABEL.source}`, p.label);
    return { label: p.label };
  }
  const raw = p.version;
  if (raw === undefined) return {};
  if (/^\d/.test(raw)) return { version: checkVersion(raw) };
  if (!LABEL.test(raw)) {
    throw new InvalidParameterError('version', 'a positive integer version or a version label', raw);
  }
  return { label: raw };
}

/** The routing key that keeps a client on one version of a traffic split (`X-Routing-Key`), if any. */
export function routingKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers['x-routing-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  return key === undefined || key === '' ? undefined : key.slice(0, 256);
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

/** An integer query parameter in [min, max]. */
export function boundedInteger(value: unknown, name: string, min: number, max: number): number {
  const text = String(value);
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new InvalidParameterError(name, `an integer from ${min} to ${max}`, text);
  return n;
}
