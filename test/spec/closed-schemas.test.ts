// Our own /v1 resources and the error body are closed in openapi.yaml, so the response validator (and with it the
// contract recorder, on the server and on the msw handlers) rejects a field the spec does not document. The
// protocols' own objects stay open, as OIP and TF Serving define them.
import { describe, expect, it } from 'vitest';
import { allOperations, spec, validateResponse, validateSchema } from '../support/openapi-validator.js';

type Schema = Record<string, unknown>;

/** Open on purpose though our resources embed it: OIP's metadata tensor, shared with ModelMetadataResponse. */
const OPEN_BY_DESIGN = new Set(['TensorMetadata']);
/** TF Serving's own predict bodies live under /v1 too; they are not our resources. */
const isOurResource = (path: string) => path.startsWith('/v1/') && !path.endsWith(':predict');

const schemas = (spec.components as Schema).schemas as Record<string, Schema>;
const refName = (ref: string) => ref.replace('#/components/schemas/', '');
const resolveRef = (ref: string) =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Schema>((node, key) => node[key] as Schema, spec as Schema);

/** Every object schema reachable from `schema` that would let an undocumented field through, as a path. */
function openObjects(schema: Schema, where: string, seen = new Set<string>(), inAllOf = false): string[] {
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    if (seen.has(name) || OPEN_BY_DESIGN.has(name)) return [];
    seen.add(name);
    return openObjects(schemas[name] ?? {}, `${where} → ${name}`, seen, inAllOf);
  }
  const open: string[] = [];
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const isObject = types.includes('object') || schema.properties !== undefined;
  if (Array.isArray(schema.allOf)) {
    // The members of an allOf are evaluated one by one: only unevaluatedProperties on the whole closes it.
    if (schema.unevaluatedProperties !== false) open.push(`${where} (allOf without unevaluatedProperties: false)`);
    for (const [i, part] of (schema.allOf as Schema[]).entries())
      open.push(...openObjects(part, `${where}.allOf[${i}]`, seen, true));
  } else if (isObject && !inAllOf && schema.additionalProperties !== false && schema.unevaluatedProperties !== false) {
    open.push(where);
  }
  for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
    open.push(...openObjects(sub, `${where}.${key}`, seen));
  if (schema.items && typeof schema.items === 'object')
    open.push(...openObjects(schema.items as Schema, `${where}[]`, seen));
  for (const key of ['oneOf', 'anyOf'] as const)
    for (const [i, part] of ((schema[key] ?? []) as Schema[]).entries())
      open.push(...openObjects(part, `${where}.${key}[${i}]`, seen));
  return open;
}

const created_at = '2026-01-02T03:04:05Z';
const version = {
  object: 'model.version',
  model: 'm',
  version: '1',
  state: 'READY',
  reason: '',
  size_bytes: 10,
  created_at,
  inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
  outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
  source: 'repository',
  training_job: null,
};
const model = {
  object: 'model',
  name: 'm',
  description: '',
  platform: 'onnxruntime_onnx',
  default_version: '1',
  versions: [version],
};
const dataset = {
  id: 'ds_1',
  object: 'dataset',
  name: null,
  format: 'csv',
  rows: 1,
  columns: [{ name: 'x', type: 'number', missing: 0 }],
  bytes: 4,
  created_at,
};
const error = { error: 'bad', code: 'invalid_input', status: 400, request_id: 'req_1', details: [{ message: 'm' }] };
const extra = { undocumented: true };
const ADDITIONAL = /must NOT have (additional|unevaluated) properties/;

type Content = Record<string, { schema?: Schema; example?: unknown; examples?: Record<string, Schema> }>;
const contentOf = (declared: { $ref?: string; content?: unknown }) =>
  ((declared.$ref ? resolveRef(declared.$ref) : declared).content ?? {}) as Content;

describe('closed response schemas', () => {
  it('close every object our /v1 resources and error bodies return (except OIP’s metadata tensor)', () => {
    const open: string[] = [];
    for (const { operationId, path, operation } of allOperations()) {
      for (const [status, declared] of Object.entries(operation.responses)) {
        if (!isOurResource(path) && Number(status) < 400) continue;
        for (const [media, { schema }] of Object.entries(contentOf(declared)))
          if (schema && media.endsWith('json')) open.push(...openObjects(schema, `${operationId} ${status}`));
      }
    }
    expect(open).toEqual([]);
  });

  it('reject an undocumented field on a resource, a nested object, a list envelope and an error body', () => {
    expect(validateSchema('Dataset', dataset)).toEqual([]);
    expect(validateSchema('Dataset', { ...dataset, ...extra }).join('\n')).toMatch(ADDITIONAL);
    const column = { ...dataset, columns: [{ ...dataset.columns[0], ...extra }] };
    expect(validateSchema('Dataset', column).join('\n')).toMatch(/\/columns\/0 must NOT have additional properties/);

    const list = { object: 'list', data: [model], has_more: false, next_cursor: null };
    expect(validateSchema('ModelList', list)).toEqual([]);
    expect(validateSchema('ModelList', { ...list, ...extra }).join('\n')).toMatch(ADDITIONAL);
    const nested = { ...list, data: [{ ...model, versions: [{ ...version, ...extra }] }] };
    expect(validateSchema('ModelList', nested).join('\n')).toMatch(/\/data\/0\/versions\/0 must NOT have additional/);

    expect(validateSchema('Error', error)).toEqual([]);
    expect(validateSchema('Error', { ...error, stack: 'at …' }).join('\n')).toMatch(ADDITIONAL);
    expect(validateSchema('Error', { ...error, details: [{ message: 'm', ...extra }] }).join('\n')).toMatch(ADDITIONAL);
  });

  it('make the response validator, and so the contract recorder, report the field', () => {
    const body = JSON.stringify({ ...dataset, ...extra });
    expect(validateResponse('GET /v1/datasets/ds_1', 200, 'application/json', JSON.stringify(dataset))).toEqual([]);
    const problems = validateResponse('GET /v1/datasets/ds_1', 200, 'application/json', body);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^retrieveDataset 200 body must NOT have additional properties .*undocumented/);
  });

  it('leave the protocols’ own objects open (OIP metadata, inference tensors and parameters)', () => {
    const meta = { name: 'm', platform: 'onnxruntime_onnx', inputs: [], outputs: [], vendor_field: 1 };
    expect(validateSchema('ModelMetadataResponse', meta)).toEqual([]);
    const infer = {
      model_name: 'm',
      parameters: { sequence_id: 3 },
      outputs: [{ name: 'y', shape: [1], datatype: 'FP32', data: [1], parameters: { classification: 2 }, extra: 1 }],
      triton_field: true,
    };
    expect(validateSchema('InferResponse', infer)).toEqual([]);
  });

  it('hold the examples of openapi.yaml too: each response example has exactly its schema’s fields', () => {
    const wrong: string[] = [];
    for (const { operationId, operation } of allOperations()) {
      for (const [status, declared] of Object.entries(operation.responses)) {
        for (const [media, entry] of Object.entries(contentOf(declared))) {
          if (!media.endsWith('json')) continue;
          const named = Object.values(entry.examples ?? {}).map(
            (e) => (e.$ref ? resolveRef(e.$ref as string) : e).value,
          );
          for (const example of entry.example === undefined ? named : [entry.example])
            wrong.push(...validateResponse(operationId, Number(status), media, example));
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
