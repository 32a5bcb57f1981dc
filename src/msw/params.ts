import { checkModelName, checkModelVersion } from '../protocol/model-names.js';
import type { RequestContext } from './context.js';
import { invalidParameter, notFound } from './errors.js';

// Path and query parameters, checked with the server's messages (server/http/params.ts); model names and versions with
// the rule the server uses (src/protocol/model-names.ts).

export function modelParam(ctx: RequestContext): string {
  return checkModelName(ctx.param('model'));
}

/**
 * An inference route's version segment: a version number, or a label (the server resolves labels set by
 * PATCH /v1/models/{model}; the mock has none, so a label is a 404 as on a server without labels).
 */
export function versionOrLabelParam(ctx: RequestContext, model: string): string {
  const raw = ctx.param('version');
  if (/^\d/.test(raw) || !/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(raw)) {
    if (!/^\d/.test(raw)) throw invalidParameter('version', 'a positive integer version or a version label', raw);
    checkModelVersion(raw);
    return raw;
  }
  throw notFound('version_not_found', `Model '${model}' has no version labelled '${raw}'`);
}

export function versionParam(ctx: RequestContext): string {
  const version = ctx.param('version');
  checkModelVersion(version);
  return version;
}

/** `limit` (1–100, default 20) and `after` of the list endpoints. */
export function pageParams(ctx: RequestContext): { limit: number; after: string | undefined } {
  const query = ctx.url.searchParams;
  let limit = 20;
  const rawLimit = query.get('limit');
  if (rawLimit !== null) {
    limit = /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= 100)) invalid('limit', 'an integer from 1 to 100', rawLimit);
  }
  const after = query.get('after') ?? undefined;
  if (after !== undefined && after.length > 256) invalid('after', 'a cursor of at most 256 characters', after);
  return { limit, after };
}

export function stringQuery(ctx: RequestContext, name: string, maxLength: number): string | undefined {
  const value = ctx.url.searchParams.get(name);
  if (value === null) return undefined;
  if (value.length > maxLength) invalid(name, `a string of at most ${maxLength} characters`, value);
  return value;
}

function invalid(field: string, expected: string, received: unknown): never {
  throw invalidParameter(field, expected, received);
}
