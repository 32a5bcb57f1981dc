// A model's configuration: `<repo>/<model>/config.json` in Triton's JSON model-configuration vocabulary, checked
// strictly (an unknown field or a wrong type is a load error naming the field), with the server's defaults filled in.
// What `GET /v2/models/{model}/config` returns is this object.
import { type Datatype, isDatatype } from '../../src/protocol/tensor.js';

/** Triton's version policies. */
export type VersionPolicy =
  | { latest: { num_versions: number } }
  | { all: Record<string, never> }
  | { specific: { versions: number[] } };

/** One tensor as a Triton config declares it: `dims` without the batch dimension when max_batch_size > 0. */
export interface ConfigTensor {
  name: string;
  data_type: string;
  dims: number[];
}

export interface DynamicBatching {
  /** Batch sizes to prefer; a batch is sent as soon as it reaches one. Empty: only max_batch_size. */
  preferred_batch_size: number[];
  /** How long the oldest queued request may wait for others to join its batch; 0 = the next turn of the event loop. */
  max_queue_delay_microseconds: number;
  /** 0 = no bound of its own (the server-wide --max-inflight still bounds it). */
  default_queue_policy: { max_queue_size: number };
}

export interface InstanceGroup {
  name: string;
  /** KIND_CPU: that many ONNX Runtime sessions, each in its own worker thread. */
  kind: 'KIND_CPU';
  count: number;
}

export interface WarmupInput {
  data_type: string;
  dims: number[];
  zero_data?: boolean;
  random_data?: boolean;
}

export interface Warmup {
  name: string;
  batch_size: number;
  inputs: Record<string, WarmupInput>;
  /** Runs of this sample (Triton's `count`). */
  count: number;
}

export interface ModelConfig {
  name: string;
  platform: 'onnxruntime_onnx';
  backend: 'onnxruntime';
  /** Ours (Triton has none): shown by the models API. */
  description: string;
  version_policy: VersionPolicy;
  max_batch_size: number;
  input: ConfigTensor[];
  output: ConfigTensor[];
  /** Present = batching on (requires max_batch_size > 0). */
  dynamic_batching?: DynamicBatching;
  instance_group: InstanceGroup[];
  /** ONNX Runtime session options, Triton's `{ "key": { "string_value": "…" } }` form. */
  parameters: Record<string, { string_value: string }>;
  model_warmup: Warmup[];
}

/** What a config does not say comes from the server's settings. */
export interface ConfigDefaults {
  /** Sessions (worker threads) per version. */
  instanceCount: number;
  /** ONNX Runtime intra-op threads per session; 0 lets the runtime decide. */
  intraOpThreads: number;
}

export const defaultConfigDefaults: ConfigDefaults = { instanceCount: 1, intraOpThreads: 0 };

/** ONNX Runtime's session options as the adapter takes them, derived from `parameters`. */
export interface SessionParameters {
  intraOpThreads?: number;
  interOpThreads?: number;
  executionMode?: 'sequential' | 'parallel';
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Session config entries (`session.intra_op.allow_spinning`, `session.disable_quant_qdq`, …) passed through. */
  configEntries: Record<string, string>;
}

/** A config.json that cannot be used; the message names the field. The version is UNAVAILABLE with it. */
export class ModelConfigError extends Error {
  constructor(field: string, problem: string) {
    super(`config.json: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'ModelConfigError';
  }
}

const TOP_FIELDS = [
  'name',
  'platform',
  'backend',
  'description',
  'version_policy',
  'max_batch_size',
  'input',
  'output',
  'dynamic_batching',
  'instance_group',
  'parameters',
  'model_warmup',
] as const;
/** Triton fields maas knows but does not implement: named in the error instead of "unknown". */
const UNSUPPORTED: Record<string, string> = {
  sequence_batching: 'stateful sequence batching is not supported',
  ensemble_scheduling: 'ensembles are not supported',
  optimization: 'set ONNX Runtime options through "parameters" (graph_optimization_level, …) instead',
  model_transaction_policy: 'decoupled models are not supported',
  response_cache: 'the response cache is not supported',
  model_repository_agents: 'repository agents are not supported',
};
const PARAMETER_KEYS = ['intra_op_thread_count', 'inter_op_thread_count', 'execution_mode', 'graph_optimization_level'];
const OPTIMIZATION_LEVELS: Record<string, SessionParameters['graphOptimizationLevel']> = {
  '0': 'disabled',
  disabled: 'disabled',
  '1': 'basic',
  basic: 'basic',
  '2': 'extended',
  extended: 'extended',
  '99': 'all',
  all: 'all',
};

/** Triton's data_type names ↔ OIP datatypes. */
export const tritonDataType = (datatype: Datatype): string =>
  datatype === 'BYTES' ? 'TYPE_STRING' : `TYPE_${datatype}`;
export function datatypeOfTriton(type: string): Datatype | undefined {
  if (type === 'TYPE_STRING') return 'BYTES';
  const name = type.startsWith('TYPE_') ? type.slice(5) : '';
  return isDatatype(name) && name !== 'BYTES' ? name : undefined;
}

/** The configuration a model without config.json gets. */
export function defaultModelConfig(name: string, defaults: ConfigDefaults = defaultConfigDefaults): ModelConfig {
  return parseModelConfig({}, name, defaults);
}

/** Checks config.json (parsed JSON) and fills in the defaults. Throws ModelConfigError naming the field. */
export function parseModelConfig(
  json: unknown,
  name: string,
  defaults: ConfigDefaults = defaultConfigDefaults,
): ModelConfig {
  const c = object(json, '');
  for (const key of Object.keys(c)) {
    if (key in UNSUPPORTED) throw new ModelConfigError(key, UNSUPPORTED[key]!);
    if (!(TOP_FIELDS as readonly string[]).includes(key)) {
      throw new ModelConfigError(key, `unknown field; expected one of ${TOP_FIELDS.join(', ')}`);
    }
  }
  if (c.name !== undefined && c.name !== name) {
    throw new ModelConfigError('name', `is '${String(c.name)}' but the model's folder is '${name}'; they must match`);
  }
  if (c.platform !== undefined && c.platform !== 'onnxruntime_onnx') {
    throw new ModelConfigError(
      'platform',
      `expected onnxruntime_onnx (maas serves ONNX models), got ${show(c.platform)}`,
    );
  }
  if (c.backend !== undefined && c.backend !== 'onnxruntime') {
    throw new ModelConfigError('backend', `expected onnxruntime, got ${show(c.backend)}`);
  }
  const maxBatch = integer(c.max_batch_size, 'max_batch_size', 0, 1 << 20) ?? 0;
  const config: ModelConfig = {
    name,
    platform: 'onnxruntime_onnx',
    backend: 'onnxruntime',
    description: c.description === undefined ? '' : string(c.description, 'description'),
    version_policy: versionPolicy(c.version_policy),
    max_batch_size: maxBatch,
    input: tensors(c.input, 'input'),
    output: tensors(c.output, 'output'),
    instance_group: instanceGroups(c.instance_group, name, defaults),
    parameters: parameters(c.parameters, defaults),
    model_warmup: [],
  };
  if (c.dynamic_batching !== undefined) {
    if (maxBatch === 0) {
      throw new ModelConfigError('dynamic_batching', 'needs max_batch_size > 0 (the largest batch it may form)');
    }
    config.dynamic_batching = dynamicBatching(c.dynamic_batching, maxBatch);
  }
  config.model_warmup = warmups(c.model_warmup, maxBatch);
  return config;
}

/** The session options `parameters` asks for. */
export function sessionParameters(config: ModelConfig): SessionParameters {
  const out: SessionParameters = { configEntries: {} };
  for (const [key, { string_value: value }] of Object.entries(config.parameters)) {
    if (key === 'intra_op_thread_count') out.intraOpThreads = Number(value);
    else if (key === 'inter_op_thread_count') out.interOpThreads = Number(value);
    else if (key === 'execution_mode')
      out.executionMode = value === '1' || value === 'parallel' ? 'parallel' : 'sequential';
    else if (key === 'graph_optimization_level') out.graphOptimizationLevel = OPTIMIZATION_LEVELS[value]!;
    else out.configEntries[key] = value;
  }
  return out;
}

/** Sessions the version runs on: the sum of its instance groups' counts. */
export function instanceCount(config: ModelConfig): number {
  return config.instance_group.reduce((n, g) => n + g.count, 0);
}

function versionPolicy(value: unknown): VersionPolicy {
  if (value === undefined) return { latest: { num_versions: 1 } };
  const policy = object(value, 'version_policy');
  const kinds = Object.keys(policy);
  if (kinds.length !== 1) {
    throw new ModelConfigError(
      'version_policy',
      'expected exactly one of {"latest": {"num_versions": N}}, {"all": {}}, {"specific": {"versions": [..]}}',
    );
  }
  if ('latest' in policy) {
    const latest = object(policy.latest, 'version_policy.latest');
    closed(latest, ['num_versions'], 'version_policy.latest');
    return { latest: { num_versions: integer(latest.num_versions, 'version_policy.latest.num_versions', 1) ?? 1 } };
  }
  if ('all' in policy) {
    closed(object(policy.all, 'version_policy.all'), [], 'version_policy.all');
    return { all: {} };
  }
  if ('specific' in policy) {
    const specific = object(policy.specific, 'version_policy.specific');
    closed(specific, ['versions'], 'version_policy.specific');
    const versions = specific.versions;
    if (!Array.isArray(versions) || versions.length === 0) {
      throw new ModelConfigError(
        'version_policy.specific.versions',
        `expected a non-empty array of versions, got ${show(versions)}`,
      );
    }
    return {
      specific: { versions: versions.map((v, i) => integer(v, `version_policy.specific.versions[${i}]`, 1)!) },
    };
  }
  throw new ModelConfigError('version_policy', `unknown kind '${kinds[0]}'; expected latest, all or specific`);
}

function tensors(value: unknown, field: 'input' | 'output'): ConfigTensor[] {
  if (value === undefined) return [];
  return array(value, field).map((item, i) => {
    const where = `${field}[${i}]`;
    const t = object(item, where);
    closed(t, ['name', 'data_type', 'dims', 'format', 'optional'], where);
    const dataType = string(t.data_type, `${where}.data_type`);
    if (!datatypeOfTriton(dataType)) {
      throw new ModelConfigError(
        `${where}.data_type`,
        `expected a Triton type such as TYPE_FP32 or TYPE_STRING, got ${show(dataType)}`,
      );
    }
    return {
      name: string(t.name, `${where}.name`),
      data_type: dataType,
      dims: array(t.dims, `${where}.dims`).map((d, j) => integer(d, `${where}.dims[${j}]`, -1)!),
    };
  });
}

function dynamicBatching(value: unknown, maxBatch: number): DynamicBatching {
  const d = object(value, 'dynamic_batching');
  closed(d, ['preferred_batch_size', 'max_queue_delay_microseconds', 'default_queue_policy'], 'dynamic_batching');
  const preferred =
    d.preferred_batch_size === undefined
      ? []
      : array(d.preferred_batch_size, 'dynamic_batching.preferred_batch_size').map(
          (n, i) => integer(n, `dynamic_batching.preferred_batch_size[${i}]`, 1, maxBatch)!,
        );
  let maxQueue = 0;
  if (d.default_queue_policy !== undefined) {
    const q = object(d.default_queue_policy, 'dynamic_batching.default_queue_policy');
    closed(q, ['max_queue_size'], 'dynamic_batching.default_queue_policy');
    maxQueue = integer(q.max_queue_size, 'dynamic_batching.default_queue_policy.max_queue_size', 0) ?? 0;
  }
  return {
    preferred_batch_size: [...new Set(preferred)].sort((a, b) => a - b),
    max_queue_delay_microseconds:
      integer(d.max_queue_delay_microseconds, 'dynamic_batching.max_queue_delay_microseconds', 0, 60_000_000) ?? 0,
    default_queue_policy: { max_queue_size: maxQueue },
  };
}

function instanceGroups(value: unknown, model: string, defaults: ConfigDefaults): InstanceGroup[] {
  if (value === undefined) return [{ name: model, kind: 'KIND_CPU', count: defaults.instanceCount }];
  const groups = array(value, 'instance_group');
  if (groups.length === 0) throw new ModelConfigError('instance_group', 'expected at least one group');
  return groups.map((item, i) => {
    const where = `instance_group[${i}]`;
    const g = object(item, where);
    closed(g, ['name', 'kind', 'count'], where);
    const kind = g.kind ?? 'KIND_CPU';
    if (kind !== 'KIND_CPU' && kind !== 'KIND_AUTO') {
      throw new ModelConfigError(`${where}.kind`, `expected KIND_CPU (this server has no GPU), got ${show(kind)}`);
    }
    return {
      name: g.name === undefined ? `${model}_${i}` : string(g.name, `${where}.name`),
      kind: 'KIND_CPU',
      count: integer(g.count, `${where}.count`, 1, 64) ?? 1,
    };
  });
}

function parameters(value: unknown, defaults: ConfigDefaults): ModelConfig['parameters'] {
  const out: ModelConfig['parameters'] = {};
  if (defaults.intraOpThreads > 0) out.intra_op_thread_count = { string_value: String(defaults.intraOpThreads) };
  if (value === undefined) return out;
  for (const [key, raw] of Object.entries(object(value, 'parameters'))) {
    const where = `parameters.${key}`;
    const entry = object(raw, where);
    closed(entry, ['string_value'], where);
    const text = string(entry.string_value, `${where}.string_value`);
    if (key === 'intra_op_thread_count' || key === 'inter_op_thread_count') {
      if (!/^\d+$/.test(text) || Number(text) > 256) {
        throw new ModelConfigError(`${where}.string_value`, `expected a thread count from 0 to 256, got ${show(text)}`);
      }
    } else if (key === 'execution_mode') {
      if (!['0', '1', 'sequential', 'parallel'].includes(text)) {
        throw new ModelConfigError(
          `${where}.string_value`,
          `expected sequential or parallel (0 or 1), got ${show(text)}`,
        );
      }
    } else if (key === 'graph_optimization_level') {
      if (!(text in OPTIMIZATION_LEVELS)) {
        throw new ModelConfigError(
          `${where}.string_value`,
          `expected disabled, basic, extended or all (0, 1, 2, 99), got ${show(text)}`,
        );
      }
    } else if (!key.startsWith('session.')) {
      throw new ModelConfigError(
        where,
        `unknown parameter; expected one of ${PARAMETER_KEYS.join(', ')}, or an ONNX Runtime session config key such as session.intra_op.allow_spinning`,
      );
    }
    out[key] = { string_value: text };
  }
  return out;
}

function warmups(value: unknown, maxBatch: number): Warmup[] {
  if (value === undefined) return [];
  return array(value, 'model_warmup').map((item, i) => {
    const where = `model_warmup[${i}]`;
    const w = object(item, where);
    closed(w, ['name', 'batch_size', 'inputs', 'count'], where);
    const batch = integer(w.batch_size, `${where}.batch_size`, 1, Math.max(1, maxBatch)) ?? 1;
    const inputs: Record<string, WarmupInput> = {};
    for (const [input, raw] of Object.entries(object(w.inputs, `${where}.inputs`))) {
      const at = `${where}.inputs.${input}`;
      const spec = object(raw, at);
      closed(spec, ['data_type', 'dims', 'zero_data', 'random_data'], at);
      const dataType = string(spec.data_type, `${at}.data_type`);
      if (!datatypeOfTriton(dataType)) {
        throw new ModelConfigError(
          `${at}.data_type`,
          `expected a Triton type such as TYPE_FP32, got ${show(dataType)}`,
        );
      }
      const zero = spec.zero_data === undefined ? false : boolean(spec.zero_data, `${at}.zero_data`);
      const random = spec.random_data === undefined ? false : boolean(spec.random_data, `${at}.random_data`);
      if (zero === random) {
        throw new ModelConfigError(at, 'set exactly one of "zero_data": true or "random_data": true');
      }
      inputs[input] = {
        data_type: dataType,
        dims: array(spec.dims, `${at}.dims`).map((d, j) => integer(d, `${at}.dims[${j}]`, 1)!),
        ...(zero ? { zero_data: true } : { random_data: true }),
      };
    }
    return {
      name: w.name === undefined ? `warmup_${i}` : string(w.name, `${where}.name`),
      batch_size: batch,
      inputs,
      count: integer(w.count, `${where}.count`, 1, 1000) ?? 1,
    };
  });
}

// ---- small checks -------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelConfigError(field, `expected a JSON object, got ${show(value)}`);
  }
  return value as Json;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new ModelConfigError(field, `expected an array, got ${show(value)}`);
  return value;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ModelConfigError(field, `expected a string, got ${show(value)}`);
  return value;
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new ModelConfigError(field, `expected true or false, got ${show(value)}`);
  return value;
}

/** An integer in [min, max], or undefined when absent. Triton's JSON writes 64-bit numbers as strings: accepted. */
function integer(value: unknown, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ModelConfigError(field, `expected an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return n;
}

function closed(value: Json, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ModelConfigError(
        `${field}.${key}`,
        allowed.length ? `unknown field; expected one of ${allowed.join(', ')}` : 'unknown field; expected {}',
      );
    }
  }
}
