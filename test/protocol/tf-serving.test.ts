import { describe, expect, it } from 'vitest';
import {
  decodeBase64,
  decodePredictRequest,
  encodeBase64,
  encodePredictResponse,
  ProtocolError,
  parseJsonLossless,
  stringifyJson,
  type Tensor,
  type TensorMetadata,
} from '../../src/protocol/index.js';

function errorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('expected a ProtocolError');
}

const single: TensorMetadata[] = [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }];
const multi: TensorMetadata[] = [
  { name: 'x', datatype: 'FP32', shape: [-1, 2] },
  { name: 'ids', datatype: 'INT64', shape: [-1] },
  { name: 'text', datatype: 'BYTES', shape: [-1] },
];
const b64 = (s: string) => encodeBase64(new TextEncoder().encode(s));

describe('TF-Serving predict requests', () => {
  it('decodes row format with plain values for a single-input model', () => {
    const r = decodePredictRequest(
      {
        signature_name: 'serving_default',
        instances: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      },
      single,
    );
    expect(r.format).toBe('row');
    expect(r.signatureName).toBe('serving_default');
    expect(r.tensors).toHaveLength(1);
    expect(r.tensors[0]!.name).toBe('x');
    expect(r.tensors[0]!.shape).toEqual([3, 2]);
    expect([...(r.tensors[0]!.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('decodes row format with named inputs, exact int64 and b64 bytes', () => {
    const body = parseJsonLossless(
      stringifyJson({
        instances: [
          { x: [1, 2], ids: 9223372036854775807n, text: { b64: b64('héllo') } },
          { x: [3, 4], ids: -1, text: 'plain' },
        ],
      }),
    );
    const r = decodePredictRequest(body, multi);
    const byName = Object.fromEntries(r.tensors.map((t) => [t.name, t]));
    expect(byName.x!.shape).toEqual([2, 2]);
    expect(byName.ids!.shape).toEqual([2]);
    expect([...(byName.ids!.data as BigInt64Array)]).toEqual([9223372036854775807n, -1n]);
    expect(byName.text!.data).toEqual(['héllo', 'plain']);
  });

  it('treats a lone {"b64": …} instance as a value, not as named inputs', () => {
    const r = decodePredictRequest({ instances: [{ b64: b64('a\u0000b') }, 'c'] }, [
      { name: 'bytes', datatype: 'BYTES', shape: [-1] },
    ]);
    expect(r.tensors[0]!.data).toEqual(['a\u0000b', 'c']);
  });

  it('decodes columnar format for single and multiple inputs', () => {
    const one = decodePredictRequest(
      {
        inputs: [
          [1, 2],
          [3, 4],
        ],
      },
      single,
    );
    expect(one.format).toBe('columnar');
    expect(one.tensors[0]!.shape).toEqual([2, 2]);
    expect([...(one.tensors[0]!.data as Float32Array)]).toEqual([1, 2, 3, 4]);

    const many = decodePredictRequest({ inputs: { x: [[1, 2]], ids: [7], text: [{ b64: b64('z') }] } }, multi);
    expect(many.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['x', [1, 2]],
      ['ids', [1]],
      ['text', [1]],
    ]);
    expect(many.tensors[2]!.data).toEqual(['z']);
  });

  it('decodes a columnar scalar for a scalar input', () => {
    const r = decodePredictRequest({ inputs: 2.5 }, [{ name: 's', datatype: 'FP64', shape: [] }]);
    expect(r.tensors[0]!.shape).toEqual([]);
    expect([...(r.tensors[0]!.data as Float64Array)]).toEqual([2.5]);
  });

  it('decodes scalar instances into a rank-1 batch', () => {
    const r = decodePredictRequest({ instances: [true, false] }, [{ name: 'b', datatype: 'BOOL', shape: [-1] }]);
    expect(r.tensors[0]!.shape).toEqual([2]);
    expect([...(r.tensors[0]!.data as Uint8Array)]).toEqual([1, 0]);
  });

  describe('error messages', () => {
    const cases: [string, unknown, TensorMetadata[], string, string][] = [
      [
        'not an object',
        [1],
        single,
        'invalid_input',
        'expected a JSON object with "instances" or "inputs", got an array of 1',
      ],
      [
        'both formats',
        { instances: [], inputs: [] },
        single,
        'invalid_input',
        'expected either "instances" (row format) or "inputs" (columnar format), got both',
      ],
      [
        'neither format',
        { signature_name: 's' },
        single,
        'invalid_input',
        'expected either "instances" (row format) or "inputs" (columnar format), got neither',
      ],
      [
        'empty instances',
        { instances: [] },
        single,
        'invalid_input',
        'instances: expected at least one instance, got an empty array',
      ],
      [
        'instance shape differs',
        { instances: [[1, 2], [3, 4], [5, 6], [7]] },
        single,
        'input_shape_mismatch',
        'instances[3]: expected 2 values (dimension 0 of the shape [2] of instances[0]), got 1',
      ],
      [
        'instance shape vs model',
        { instances: [[1, 2, 3]] },
        single,
        'input_shape_mismatch',
        'instances[0]: expected shape [2] per instance (input x has shape [-1,2]), got [3]',
      ],
      [
        'element type in named instance',
        {
          instances: [
            { x: [1, 2], ids: 1, text: 'a' },
            { x: [1, 'two'], ids: 2, text: 'b' },
          ],
        },
        multi,
        'datatype_mismatch',
        'instances[1].x[1]: expected a number (or "NaN", "Infinity", "-Infinity") for FP32, got "two"',
      ],
      [
        'int64 fraction',
        { instances: [{ x: [1, 2], ids: 1.5, text: 'a' }] },
        multi,
        'datatype_mismatch',
        'instances[0].ids: expected an integer in [-9223372036854775808, 9223372036854775807] for INT64, got 1.5',
      ],
      [
        'missing named input',
        { instances: [{ x: [1, 2], ids: 1 }, { x: [1, 2] }] },
        multi,
        'invalid_input',
        'instances[1]: missing input "ids" (present in instances[0])',
      ],
      [
        'extra named input',
        { instances: [{ x: [1, 2] }, { x: [1, 2], ids: 3 }] },
        multi,
        'invalid_input',
        'instances[1].ids: unexpected input (absent from instances[0])',
      ],
      [
        'unknown input',
        { instances: [{ y: [1, 2] }] },
        multi,
        'invalid_input',
        "instances[0].y: unexpected input; the model's inputs are x, ids, text",
      ],
      [
        'plain values for a multi-input model',
        { instances: [[1, 2]] },
        multi,
        'invalid_input',
        'instances[0]: expected an object keyed by input name (the model has inputs x, ids, text), got an array of 2',
      ],
      [
        'bad b64',
        { instances: [{ x: [1, 2], ids: 1, text: { b64: 'ab!d' } }] },
        multi,
        'invalid_input',
        'instances[0].text.b64: expected base64, got the character "!" at index 2',
      ],
      [
        'bytes as number',
        { instances: [{ x: [1, 2], ids: 1, text: 5 }] },
        multi,
        'datatype_mismatch',
        'instances[0].text: expected a string or {"b64": "..."} for BYTES, got 5',
      ],
      [
        'fixed batch size',
        {
          instances: [
            [1, 2],
            [3, 4],
          ],
        },
        [{ name: 'x', datatype: 'FP32', shape: [1, 2] }],
        'input_shape_mismatch',
        'instances: expected 1 instances (input x has shape [1,2]), got 2',
      ],
      [
        'columnar shape vs model',
        { inputs: { x: [1, 2] } },
        multi,
        'input_shape_mismatch',
        'inputs.x: expected shape [-1,2] (input x), got [2]',
      ],
      [
        'columnar ragged',
        { inputs: [[1, 2], [3]] },
        single,
        'input_shape_mismatch',
        'inputs[1]: expected 2 values (dimension 1 of the shape [2,2] of inputs), got 1',
      ],
      [
        'columnar unknown input',
        { inputs: { z: [1] } },
        multi,
        'invalid_input',
        "inputs.z: unexpected input; the model's inputs are x, ids, text",
      ],
      [
        'columnar plain value for a multi-input model',
        { inputs: [1] },
        multi,
        'invalid_input',
        'inputs: expected an object keyed by input name (the model has inputs x, ids, text), got an array of 1',
      ],
      [
        'scalar input in row format',
        { instances: [1] },
        [{ name: 's', datatype: 'FP32', shape: [] }],
        'input_shape_mismatch',
        'instances[0]: input s is a scalar (shape []) and has no batch dimension; use the columnar format ("inputs")',
      ],
      ['model without inputs', { inputs: [1] }, [], 'invalid_input', 'the model declares no inputs'],
      [
        'empty named instance',
        { instances: [{}] },
        multi,
        'invalid_input',
        'instances[0]: expected inputs x, ids, text, got an empty object',
      ],
      [
        'b64 that is not UTF-8',
        { instances: [{ x: [1, 2], ids: 1, text: { b64: '/w==' } }] },
        multi,
        'datatype_mismatch',
        'instances[0].text.b64: expected base64 of UTF-8 text (BYTES tensors carry UTF-8 strings), got other bytes',
      ],
      [
        'row instance not an object after a named first instance',
        { instances: [{ x: [1, 2] }, [1, 2]] },
        multi,
        'invalid_input',
        'instances[1]: expected an object keyed by input name like instances[0], got an array of 2',
      ],
      [
        'row instance not an array where the first was',
        { instances: [[1, 2], 3] },
        single,
        'input_shape_mismatch',
        'instances[1]: expected an array (the shape [2] of instances[0]), got 3',
      ],
      [
        'bad signature name',
        { signature_name: 3, inputs: [] },
        single,
        'invalid_input',
        'signature_name: expected a string, got 3',
      ],
    ];
    it.each(cases)('%s', (_label, body, inputs, code, message) => {
      const e = errorOf(() => decodePredictRequest(body, inputs));
      expect(e.message).toBe(message);
      expect(e.code).toBe(code);
    });
  });
});

describe('TF-Serving predict responses', () => {
  const probs: Tensor = {
    name: 'probs',
    datatype: 'FP32',
    shape: [2, 3],
    data: new Float32Array([0.5, 0.25, 0.25, 1, 0, Number.NaN]),
  };
  const label: Tensor = {
    name: 'label',
    datatype: 'INT64',
    shape: [2],
    data: new BigInt64Array([2n, 9223372036854775807n]),
  };

  it('row format with a single output gives plain values per instance', () => {
    expect(encodePredictResponse('row', [probs])).toEqual({
      predictions: [
        [0.5, 0.25, 0.25],
        [1, 0, 'NaN'],
      ],
    });
  });

  it('row format with several outputs gives objects keyed by output name', () => {
    const r = encodePredictResponse('row', [probs, label]);
    expect(r).toEqual({
      predictions: [
        { probs: [0.5, 0.25, 0.25], label: 2 },
        { probs: [1, 0, 'NaN'], label: 9223372036854775807n },
      ],
    });
    expect(stringifyJson(r)).toBe(
      '{"predictions":[{"probs":[0.5,0.25,0.25],"label":2},{"probs":[1,0,"NaN"],"label":9223372036854775807}]}',
    );
  });

  it('columnar format gives the nested array for a single output and an object for several', () => {
    expect(encodePredictResponse('columnar', [probs])).toEqual({
      outputs: [
        [0.5, 0.25, 0.25],
        [1, 0, 'NaN'],
      ],
    });
    expect(encodePredictResponse('columnar', [label, probs])).toEqual({
      outputs: {
        label: [2, 9223372036854775807n],
        probs: [
          [0.5, 0.25, 0.25],
          [1, 0, 'NaN'],
        ],
      },
    });
  });

  it('rebuilds deeper nesting and scalars from shapes', () => {
    const t: Tensor = {
      name: 'y',
      datatype: 'INT32',
      shape: [2, 2, 2],
      data: new Int32Array([1, 2, 3, 4, 5, 6, 7, 8]),
    };
    expect(encodePredictResponse('row', [t])).toEqual({
      predictions: [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
    });
    const s: Tensor = { name: 's', datatype: 'BOOL', shape: [], data: new Uint8Array([1]) };
    expect(encodePredictResponse('columnar', [s])).toEqual({ outputs: true });
  });

  it('writes BYTES outputs named *_bytes as b64, others as strings', () => {
    const raw: Tensor = { name: 'img_bytes', datatype: 'BYTES', shape: [1], data: ['hi'] };
    const text: Tensor = { name: 'caption', datatype: 'BYTES', shape: [1], data: ['hi'] };
    expect(encodePredictResponse('row', [raw, text])).toEqual({
      predictions: [{ img_bytes: { b64: 'aGk=' }, caption: 'hi' }],
    });
  });

  it('refuses the row format when outputs do not share the batch dimension', () => {
    const other: Tensor = { name: 'other', datatype: 'FP32', shape: [3], data: new Float32Array(3) };
    expect(errorOf(() => encodePredictResponse('row', [probs, other])).message).toBe(
      'outputs: the row format needs every output to share the first (batch) dimension, but "probs" has shape [2,3] and "other" has shape [3]; use the columnar format ("inputs")',
    );
  });

  it('round-trips a columnar request through a response-shaped value', () => {
    const req = decodePredictRequest(
      {
        inputs: [
          [1, 2],
          [3, 4],
        ],
      },
      single,
    );
    expect(encodePredictResponse('columnar', req.tensors)).toEqual({
      outputs: [
        [1, 2],
        [3, 4],
      ],
    });
  });
});

describe('base64', () => {
  it('encodes and decodes every padding length, and the URL-safe alphabet', () => {
    for (const s of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) {
      const bytes = new TextEncoder().encode(s);
      const enc = encodeBase64(bytes);
      expect(enc).toBe(btoa(s));
      expect([...decodeBase64(enc, 'f')]).toEqual([...bytes]);
      expect([...decodeBase64(enc.replace(/=+$/, ''), 'f')]).toEqual([...bytes]);
    }
    expect([...decodeBase64('-_8', 'f')]).toEqual([0xfb, 0xff]);
    const all = new Uint8Array(256).map((_, i) => i);
    expect([...decodeBase64(encodeBase64(all), 'f')]).toEqual([...all]);
  });

  it('rejects malformed base64', () => {
    expect(errorOf(() => decodeBase64('abcde', 'f')).message).toBe(
      'f: expected base64, got a truncated value of length 5',
    );
    expect(errorOf(() => decodeBase64('ab=', 'f')).message).toBe(
      'f: expected base64 whose padded length is a multiple of 4, got length 3',
    );
  });
});
