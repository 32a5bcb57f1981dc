import { checkModelName, checkModelVersion } from '../protocol/model-names.js';
import { VERSION_LABEL_PATTERN } from '../protocol/model-update.js';
import type { RequestContext } from './context.js';
import { invalidParameter } from './errors.js';

// Path and query parameters, checked with the server's messages (server/http/params.ts); model names and versions with
// the rule the server uses (src/protocol/model-names.ts).

export function modelParam(ctx: RequestContext): string {
  return checkModelName(ctx.param('model'));
}

/**
 * An inference route's version segment: a version number, or a label set by PATCH /v1/models/{model} (returned
 * as is; the model store resolves it). `model` is checked to exist first, as the server does.
 */
export function versionOrLabelParam(ctx: RequestContext, _model: string): string {
  const raw = ctx.param('version');
  if (/^\d/.test(raw)) {
    checkModelVersion(raw);
    return raw;
  }
  if (!VERSION_LABEL_PATTERN.test(raw))
    throw invalidParameter('version', 'a positive integer version or a version label', raw);
  return raw;
}

/** TF Serving's `label` path parameter. */
export function labelParam(ctx: RequestContext, _model: string): string {
  const raw = ctx.param('label');
  if (!VERSION_LABEL_PATTERN.test(raw)) {
    throw invalidParameter('label', `a version label matching ${VERSION_LABEL_PATTERN.source}`, raw);
  }
  return raw;
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

/** An integer query parameter in [min, max], or undefined when absent (the server's message otherwise). */
export function integerQuery(ctx: RequestContext, name: string, min: number, max: number): number | undefined {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max)) invalid(name, `an integer from ${min} to ${max}`, raw);
  return n;
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
