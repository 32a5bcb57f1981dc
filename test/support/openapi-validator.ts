// Validates responses against openapi.yaml with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses). Used by the msw
// tests and by the contract suite for every target: anything the spec does not allow is reported.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

interface MediaType {
  schema?: Json;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
}
export interface OperationInfo {
  operationId: string;
  method: string;
  /** The path template, e.g. `/v2/models/{model}`. */
  path: string;
  operation: Operation;
}

const SPEC_ID = 'openapi.yaml';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Json;

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, SPEC_ID);

const operations: OperationInfo[] = [];
for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, Operation>>)) {
  for (const method of METHODS) {
    const operation = item[method];
    if (operation)
      operations.push({ operationId: operation.operationId, method: method.toUpperCase(), path, operation });
  }
}

export function allOperations(): readonly OperationInfo[] {
  return operations;
}

function templateRegExp(path: string): RegExp {
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

/** By operationId, by `METHOD /template`, or by `METHOD /concrete/path?query` (the most literal template wins). */
export function findOperation(operation: string): OperationInfo {
  const found = tryFindOperation(operation);
  if (!found) throw new Error(`openapi.yaml has no operation '${operation}'`);
  return found;
}

export function tryFindOperation(operation: string): OperationInfo | undefined {
  const byId = operations.find((o) => o.operationId === operation);
  if (byId) return byId;
  const match = /^([A-Z]+)\s+(\S+)$/.exec(operation.trim());
  if (match) {
    const method = match[1];
    const path = (match[2] ?? '').split('?')[0] ?? '';
    const exact = operations.find((o) => o.method === method && o.path === path);
    if (exact) return exact;
    const candidates = operations
      .filter((o) => o.method === method && templateRegExp(o.path).test(path))
      .sort((a, b) => literalLength(b.path) - literalLength(a.path));
    if (candidates[0]) return candidates[0];
  }
  return undefined;
}

const literalLength = (path: string) => path.replace(/\{[^}]+\}/g, '').length;

function resolve<T>(node: T & { $ref?: string }): T {
  if (!node.$ref) return node;
  const keys = node.$ref.replace(/^#\//, '').split('/');
  return keys.reduce<unknown>((acc, key) => (acc as Json)[key], spec) as T;
}

/** Inline schemas refer to `#/components/...` of the spec: point those refs at the registered document. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${SPEC_ID}${value}` : rebase(value);
  }
  return out;
}

const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Json): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(rebase(schema) as Json);
    compiled.set(key, fn);
  }
  return fn;
}

function errorsOf(fn: ValidateFunction, value: unknown, where: string): string[] {
  if (fn(value)) return [];
  return (fn.errors ?? []).map(
    (e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );
}

/** Errors of `value` against `#/components/schemas/<name>`; empty when valid. */
export function validateSchema(name: string, value: unknown): string[] {
  const schemas = (spec.components as Json).schemas as Json;
  if (!(name in schemas)) return [`openapi.yaml has no schema '${name}'`];
  return errorsOf(validator(`schema:${name}`, { $ref: `#/components/schemas/${name}` }), value, name);
}

const isJsonMedia = (media: string) => media === 'application/json' || media.endsWith('+json');

function decodeBody(body: unknown): unknown {
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(body));
  return body;
}

/**
 * Errors of a response against the spec (empty when valid): the status must be declared for the operation, the
 * content type must be one the response declares, and the body must match its schema. JSON bodies may be given
 * parsed or as text/bytes; other media types are checked to be text or bytes.
 */
export function validateResponse(
  operation: string,
  status: number,
  contentType: string | null,
  body: unknown,
): string[] {
  const op = tryFindOperation(operation);
  if (!op) return validateUnroutedResponse(operation, status, contentType, body);
  const where = `${op.operationId} ${status}`;
  const declared =
    op.operation.responses[String(status)] ??
    op.operation.responses[`${String(status)[0]}XX`] ??
    op.operation.responses.default;
  if (!declared)
    return [`${where}: status ${status} is not declared (declared: ${Object.keys(op.operation.responses).join(', ')})`];
  const response = resolve(declared);
  const content = response.content ?? {};
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (Object.keys(content).length === 0) {
    const empty =
      body === undefined || body === null || body === '' || (body instanceof Uint8Array && body.length === 0);
    return empty ? [] : [`${where}: no body is declared, got one (${media || 'no content type'})`];
  }
  const entry = content[media];
  if (!entry)
    return [`${where}: content type '${contentType}' is not declared (declared: ${Object.keys(content).join(', ')})`];
  const schema = entry.schema ?? {};
  if (isJsonMedia(media)) {
    let value = decodeBody(body);
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch (error) {
        return [`${where}: the body is not valid JSON: ${(error as Error).message}`];
      }
    }
    return errorsOf(validator(`${op.operationId}:${status}:${media}`, schema), value, `${where} body`);
  }
  const raw = decodeBody(body);
  return typeof raw === 'string' ? [] : [`${where}: expected a text or binary body for ${media}, got ${typeof raw}`];
}

/** A request the spec has no operation for (unknown path or method) may only get an `Error` body with a 4xx. */
function validateUnroutedResponse(
  operation: string,
  status: number,
  contentType: string | null,
  body: unknown,
): string[] {
  if (status < 400 || status > 499) return [`${operation}: no such operation in openapi.yaml, yet status ${status}`];
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!isJsonMedia(media)) return [`${operation} ${status}: expected a JSON Error body, got '${contentType}'`];
  let value = decodeBody(body);
  try {
    if (typeof value === 'string') value = JSON.parse(value);
  } catch (error) {
    return [`${operation} ${status}: the body is not valid JSON: ${(error as Error).message}`];
  }
  return validateSchema('Error', value);
}

/** Throws with every problem listed when the response does not match the spec. */
export function assertValidResponse(
  operation: string,
  status: number,
  contentType: string | null,
  body: unknown,
): void {
  const errors = validateResponse(operation, status, contentType, body);
  if (errors.length > 0) throw new Error(`Response does not match openapi.yaml:\n  ${errors.join('\n  ')}`);
}

export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** Splits an SSE body into events (comments and heartbeats dropped). */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let id: string | undefined;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ id, event, data: data.join('\n') });
  }
  return events;
}

/** Which event schema a job event stream's operation sends. */
export const eventSchemaOf = (operationOrPath: string): 'TrainingJobEvent' | 'OptimizationJobEvent' =>
  /optimization-jobs|OptimizationJob/.test(operationOrPath) ? 'OptimizationJobEvent' : 'TrainingJobEvent';

/** Errors of an SSE job event stream: each `data:` a `schema` event whose id and type match `id:` and `event:`. */
export function validateJobEventStream(text: string, schema = 'TrainingJobEvent'): string[] {
  const errors: string[] = [];
  for (const [i, e] of parseSse(text).entries()) {
    let payload: { id?: unknown; type?: unknown };
    try {
      payload = JSON.parse(e.data);
    } catch {
      errors.push(`event ${i}: data is not JSON`);
      continue;
    }
    errors.push(...validateSchema(schema, payload).map((m) => `event ${i}: ${m}`));
    if (String(payload.id) !== e.id) errors.push(`event ${i}: id: ${e.id} but data.id ${String(payload.id)}`);
    if (payload.type !== e.event) errors.push(`event ${i}: event: ${e.event} but data.type ${String(payload.type)}`);
  }
  return errors;
}

/**
 * Reads a fetch Response and validates it (status, content type, body, x-request-id; an error body's request_id must
 * equal the header; SSE payloads are checked event by event). Returns the body as text or bytes, and the problems.
 */
export async function validateFetchResponse(
  operation: string,
  response: Response,
): Promise<{ body: string | Uint8Array; errors: string[] }> {
  const contentType = response.headers.get('content-type');
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const binary = media === 'application/octet-stream';
  const body = binary ? new Uint8Array(await response.arrayBuffer()) : await response.text();
  const errors = validateResponse(operation, response.status, contentType, body);
  const requestId = response.headers.get('x-request-id');
  if (!requestId) errors.push('x-request-id header is missing');
  if (response.status >= 400 && typeof body === 'string' && isJsonMedia(media)) {
    try {
      const parsed = JSON.parse(body) as { request_id?: unknown; status?: unknown };
      if (parsed.request_id !== requestId)
        errors.push(`error body request_id ${String(parsed.request_id)} != header ${requestId}`);
      if (parsed.status !== response.status)
        errors.push(`error body status ${String(parsed.status)} != ${response.status}`);
    } catch {
      // reported by validateResponse
    }
  }
  if (media === 'text/event-stream' && typeof body === 'string')
    errors.push(...validateJobEventStream(body, eventSchemaOf(operation)));
  return { body, errors };
}
