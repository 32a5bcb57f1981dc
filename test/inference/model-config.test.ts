import { describe, expect, it } from 'vitest';
import {
  datatypeOfTriton,
  defaultModelConfig,
  instanceCount,
  parseModelConfig,
  sessionParameters,
  tritonDataType,
} from '../../server/inference/model-config.js';

const parse = (json: unknown) => parseModelConfig(json, 'm', { instanceCount: 1, intraOpThreads: 0 });

describe('model configuration (config.json, Triton vocabulary)', () => {
  it('fills every default for a model without config.json', () => {
    expect(defaultModelConfig('m', { instanceCount: 2, intraOpThreads: 1 })).toEqual({
      name: 'm',
      platform: 'onnxruntime_onnx',
      backend: 'onnxruntime',
      description: '',
      version_policy: { latest: { num_versions: 1 } },
      max_batch_size: 0,
      input: [],
      output: [],
      instance_group: [{ name: 'm', kind: 'KIND_CPU', count: 2 }],
      parameters: { intra_op_thread_count: { string_value: '1' } },
      model_warmup: [],
    });
  });

  it('reads batching, instances, session parameters and warmup as Triton writes them', () => {
    const config = parse({
      name: 'm',
      platform: 'onnxruntime_onnx',
      max_batch_size: 64,
      dynamic_batching: {
        preferred_batch_size: [32, 8, 32],
        max_queue_delay_microseconds: 500,
        default_queue_policy: { max_queue_size: '128' },
      },
      instance_group: [{ count: 2, kind: 'KIND_CPU' }, { count: 1 }],
      parameters: {
        intra_op_thread_count: { string_value: '1' },
        execution_mode: { string_value: 'parallel' },
        graph_optimization_level: { string_value: '99' },
        'session.intra_op.allow_spinning': { string_value: '0' },
      },
      model_warmup: [
        { name: 'zeros', batch_size: 8, inputs: { x: { data_type: 'TYPE_FP32', dims: [100], zero_data: true } } },
      ],
    });
    expect(config.dynamic_batching).toEqual({
      preferred_batch_size: [8, 32],
      max_queue_delay_microseconds: 500,
      default_queue_policy: { max_queue_size: 128 },
    });
    expect(instanceCount(config)).toBe(3);
    expect(config.instance_group.map((g) => g.name)).toEqual(['m_0', 'm_1']);
    expect(sessionParameters(config)).toEqual({
      intraOpThreads: 1,
      executionMode: 'parallel',
      graphOptimizationLevel: 'all',
      configEntries: { 'session.intra_op.allow_spinning': '0' },
    });
    expect(config.model_warmup).toEqual([
      {
        name: 'zeros',
        batch_size: 8,
        count: 1,
        inputs: { x: { data_type: 'TYPE_FP32', dims: [100], zero_data: true } },
      },
    ]);
  });

  it('rejects unknown fields and wrong types, naming the field and what was expected', () => {
    const cases: Array<[unknown, string]> = [
      [{ max_batch_size: -1 }, 'config.json: max_batch_size: expected an integer from 0 to 1048576, got -1'],
      [{ max_batch_sise: 8 }, 'config.json: max_batch_sise: unknown field; expected one of name, platform, backend'],
      [{ dynamic_batching: {} }, 'config.json: dynamic_batching: needs max_batch_size > 0'],
      [
        { max_batch_size: 8, dynamic_batching: { max_queue_delay_microsecond: 100 } },
        'config.json: dynamic_batching.max_queue_delay_microsecond: unknown field; expected one of preferred_batch_size, max_queue_delay_microseconds, default_queue_policy',
      ],
      [
        { max_batch_size: 8, dynamic_batching: { preferred_batch_size: [16] } },
        'config.json: dynamic_batching.preferred_batch_size[0]: expected an integer from 1 to 8, got 16',
      ],
      [
        { instance_group: [{ kind: 'KIND_GPU' }] },
        "config.json: instance_group[0].kind: expected KIND_CPU (this server has no GPU), got 'KIND_GPU'",
      ],
      [
        { parameters: { intra_op_thread_count: { string_value: 'two' } } },
        "parameters.intra_op_thread_count.string_value: expected a thread count from 0 to 256, got 'two'",
      ],
      [{ parameters: { threads: { string_value: '1' } } }, 'config.json: parameters.threads: unknown parameter'],
      [
        { parameters: { intra_op_thread_count: '1' } },
        "config.json: parameters.intra_op_thread_count: expected a JSON object, got '1'",
      ],
      [{ name: 'other' }, "config.json: name: is 'other' but the model's folder is 'm'; they must match"],
      [
        { platform: 'tensorflow_savedmodel' },
        "config.json: platform: expected onnxruntime_onnx (maas serves ONNX models), got 'tensorflow_savedmodel'",
      ],
      [{ sequence_batching: {} }, 'config.json: sequence_batching: stateful sequence batching is not supported'],
      [
        { model_warmup: [{ batch_size: 1, inputs: { x: { data_type: 'TYPE_FP32', dims: [3] } } }] },
        'config.json: model_warmup[0].inputs.x: set exactly one of "zero_data": true or "random_data": true',
      ],
      [
        { version_policy: { latest: { num_versions: 0 } } },
        'config.json: version_policy.latest.num_versions: expected an integer from 1',
      ],
      [{ version_policy: { newest: {} } }, "config.json: version_policy: unknown kind 'newest'"],
      [{ description: 5 }, 'config.json: description: expected a string, got 5'],
      [[], 'config.json: expected a JSON object, got an array'],
    ];
    for (const [json, message] of cases) expect(() => parse(json), JSON.stringify(json)).toThrow(message);
  });

  it('maps Triton data types to OIP datatypes and back', () => {
    expect(datatypeOfTriton('TYPE_FP32')).toBe('FP32');
    expect(datatypeOfTriton('TYPE_STRING')).toBe('BYTES');
    expect(datatypeOfTriton('TYPE_BYTES')).toBeUndefined();
    expect(datatypeOfTriton('FP32')).toBeUndefined();
    expect(tritonDataType('BYTES')).toBe('TYPE_STRING');
    expect(tritonDataType('INT64')).toBe('TYPE_INT64');
  });
});
