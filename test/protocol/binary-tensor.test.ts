import { describe, expect, it } from 'vitest';
import {
  BINARY_CONTENT_TYPE,
  byteSizeOf,
  bytesToTensor,
  DATATYPES,
  decodeBinaryBody,
  encodeBinaryBody,
  encodeJsonTensor,
  INFERENCE_HEADER_CONTENT_LENGTH,
  ProtocolError,
  parseHeaderLength,
  type Tensor,
  tensorToBytes,
} from '../../src/protocol/index.js';
import { INT64_MAX, INT64_MIN, plain, SAMPLES, UINT64_MAX } from './fixtures.js';

function errorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('expected a ProtocolError');
}

const decoder = new TextDecoder();

/** A body built by hand: JSON header text then raw bytes. */
function rawBody(header: unknown, ...parts: number[][]): { body: Uint8Array; headerLength: number } {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const bytes = parts.flat();
  const body = new Uint8Array(h.length + bytes.length);
  body.set(h);
  body.set(bytes, h.length);
  return { body, headerLength: h.length };
}

describe('binary tensor extension', () => {
  it('exposes the header name and content type', () => {
    expect(INFERENCE_HEADER_CONTENT_LENGTH).toBe('inference-header-content-length');
    expect(BINARY_CONTENT_TYPE).toBe('application/octet-stream');
  });

  it.each(DATATYPES)('round-trips %s through a binary body', (dt) => {
    const t = SAMPLES[dt];
    const { body, headerLength } = encodeBinaryBody({ model_name: 'm', outputs: [] }, [t]);
    expect(body.length).toBe(headerLength + byteSizeOf(t));
    const { header, section, tensors } = decodeBinaryBody(body, headerLength);
    expect(section).toBe('outputs');
    expect((header.outputs as { parameters: unknown }[])[0]!.parameters).toEqual({ binary_data_size: byteSizeOf(t) });
    const back = tensors[0]!;
    expect(back.name).toBe(t.name);
    expect(back.datatype).toBe(dt);
    expect(back.shape).toEqual(t.shape);
    expect(back.data.constructor).toBe(t.data.constructor);
    expect(plain(back.data)).toEqual(plain(t.data));
  });

  it('writes little-endian element bytes', () => {
    const f32: Tensor = { name: 'x', datatype: 'FP32', shape: [1], data: new Float32Array([1]) };
    expect([...tensorToBytes(f32)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
    const i64: Tensor = { name: 'x', datatype: 'INT64', shape: [2], data: new BigInt64Array([INT64_MIN, INT64_MAX]) };
    expect([...tensorToBytes(i64)]).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ]);
    const u64: Tensor = { name: 'x', datatype: 'UINT64', shape: [1], data: new BigUint64Array([UINT64_MAX]) };
    expect([...tensorToBytes(u64)]).toEqual(new Array(8).fill(0xff));
  });

  it('writes BYTES as 4-byte little-endian lengths then UTF-8, keeping zero bytes and multibyte text', () => {
    const t: Tensor = { name: 's', datatype: 'BYTES', shape: [2], data: ['a\u0000b', 'é😀'] };
    expect([...tensorToBytes(t)]).toEqual([
      3, 0, 0, 0, 0x61, 0x00, 0x62, 6, 0, 0, 0, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80,
    ]);
    expect(byteSizeOf(t)).toBe(17);
    const back = bytesToTensor('s', 'BYTES', [2], tensorToBytes(t), 'f');
    expect(back.data).toEqual(['a\u0000b', 'é😀']);
  });

  it('reads any non-zero BOOL byte as true', () => {
    const t = bytesToTensor('b', 'BOOL', [3], new Uint8Array([0, 1, 7]), 'f');
    expect([...(t.data as Uint8Array)]).toEqual([0, 1, 1]);
  });

  it('shares memory for aligned slices and copies unaligned ones', () => {
    const buf = new Uint8Array(12);
    new DataView(buf.buffer).setFloat32(4, 2.5, true);
    new DataView(buf.buffer).setFloat32(5, 2.5, true); // overwrites: value now only at offset 5
    const unaligned = bytesToTensor('x', 'FP32', [1], buf.subarray(5, 9), 'f').data as Float32Array;
    expect(unaligned[0]).toBe(2.5);
    expect(unaligned.byteOffset % 4).toBe(0);
    expect(unaligned.buffer).not.toBe(buf.buffer);
    new DataView(buf.buffer).setFloat32(8, -1, true);
    const aligned = bytesToTensor('x', 'FP32', [1], buf.subarray(8, 12), 'f').data as Float32Array;
    expect(aligned[0]).toBe(-1);
    expect(aligned.buffer).toBe(buf.buffer);
  });

  it('mixes JSON and binary inputs and keeps header order for the binary sections', () => {
    const a: Tensor = { name: 'a', datatype: 'INT32', shape: [2], data: new Int32Array([1, 2]) };
    const b: Tensor = { name: 'b', datatype: 'FP32', shape: [1, 2], data: new Float32Array([0.5, -4]) };
    const c: Tensor = { name: 'c', datatype: 'BYTES', shape: [1], data: ['zz'] };
    const header = {
      id: 'r1',
      inputs: [
        { name: 'b', shape: [1, 2], datatype: 'FP32' },
        encodeJsonTensor(a),
        { name: 'c', shape: [1], datatype: 'BYTES' },
      ],
      outputs: [{ name: 'y', parameters: { binary_data: true } }],
    };
    // Tensors given in another order than the header: sections still follow the header.
    const { body, headerLength } = encodeBinaryBody(header, [c, b]);
    const json = JSON.parse(decoder.decode(body.subarray(0, headerLength)));
    expect(json.inputs[0]).toEqual({ name: 'b', shape: [1, 2], datatype: 'FP32', parameters: { binary_data_size: 8 } });
    expect(json.inputs[1]).toEqual({ name: 'a', shape: [2], datatype: 'INT32', data: [1, 2] });
    expect(json.inputs[2].parameters).toEqual({ binary_data_size: 6 });
    expect(json.outputs).toEqual(header.outputs);
    expect([...body.subarray(headerLength, headerLength + 8)]).toEqual([...tensorToBytes(b)]);

    const decoded = decodeBinaryBody(body, headerLength);
    expect(decoded.section).toBe('inputs');
    expect(decoded.header.id).toBe('r1');
    expect(decoded.tensors.map((t) => t.name)).toEqual(['b', 'a', 'c']);
    expect([...(decoded.tensors[0]!.data as Float32Array)]).toEqual([0.5, -4]);
    expect([...(decoded.tensors[1]!.data as Int32Array)]).toEqual([1, 2]);
    expect(decoded.tensors[2]!.data).toEqual(['zz']);
  });

  it('appends entries for tensors the header does not list, and omits their data', () => {
    const t: Tensor = { name: 'x', datatype: 'FP64', shape: [1], data: new Float64Array([3]) };
    const { body, headerLength } = encodeBinaryBody(
      { inputs: [{ name: 'x', shape: [9], datatype: 'FP32', data: [1] }] },
      [t],
    );
    const json = JSON.parse(decoder.decode(body.subarray(0, headerLength)));
    expect(json.inputs).toEqual([{ name: 'x', shape: [1], datatype: 'FP64', parameters: { binary_data_size: 8 } }]);
    const appended = encodeBinaryBody({ outputs: [] }, [t]);
    expect(JSON.parse(decoder.decode(appended.body.subarray(0, appended.headerLength))).outputs).toHaveLength(1);
  });

  it('round-trips INT64 extremes exactly when they sit in the JSON part of a binary body', () => {
    const { body, headerLength } = encodeBinaryBody({ inputs: [encodeJsonTensor(SAMPLES.INT64)] }, [SAMPLES.FP32]);
    const { tensors } = decodeBinaryBody(body, headerLength);
    expect([...(tensors[0]!.data as BigInt64Array)]).toEqual([...(SAMPLES.INT64.data as BigInt64Array)]);
  });

  it('decodes a plain JSON body when there is no header length', () => {
    const { body } = rawBody({ inputs: [{ name: 'x', shape: [2], datatype: 'UINT8', data: [1, 2] }] });
    const { tensors } = decodeBinaryBody(body, undefined);
    expect([...(tensors[0]!.data as Uint8Array)]).toEqual([1, 2]);
  });

  it('parses the header-length header value', () => {
    expect(parseHeaderLength(undefined)).toBeUndefined();
    expect(parseHeaderLength('123')).toBe(123);
    expect(parseHeaderLength(['45'])).toBe(45);
    expect(errorOf(() => parseHeaderLength('12a')).message).toBe(
      'inference-header-content-length: expected a non-negative integer, got "12a"',
    );
    expect(errorOf(() => parseHeaderLength('-1')).code).toBe('invalid_input');
  });

  describe('error messages', () => {
    const fp32Header = (size: number, shape = [2]) => ({
      inputs: [{ name: 'x', shape, datatype: 'FP32', parameters: { binary_data_size: size } }],
    });

    it('rejects a header length beyond the body', () => {
      const { body } = rawBody(fp32Header(8), [0, 0, 0, 0, 0, 0, 0, 0]);
      const e = errorOf(() => decodeBinaryBody(body, body.length + 1));
      expect(e.message).toBe(
        `inference-header-content-length: expected an integer between 0 and ${body.length} (the body size), got ${body.length + 1}`,
      );
    });

    it('rejects a truncated body', () => {
      const { body, headerLength } = rawBody(fp32Header(8), [0, 0, 0, 0, 0, 0]);
      const e = errorOf(() => decodeBinaryBody(body, headerLength));
      expect(e.code).toBe('invalid_input');
      expect(e.message).toBe(
        `body: expected 8 bytes of binary tensor data after the ${headerLength}-byte JSON header (the sum of binary_data_size), got 6`,
      );
    });

    it('rejects an oversized body', () => {
      const { body, headerLength } = rawBody(fp32Header(8), new Array(12).fill(0));
      expect(errorOf(() => decodeBinaryBody(body, headerLength)).message).toBe(
        `body: expected 8 bytes of binary tensor data after the ${headerLength}-byte JSON header (the sum of binary_data_size), got 12`,
      );
    });

    it('rejects a binary size that does not match shape × element size, naming the tensor', () => {
      const { body, headerLength } = rawBody(fp32Header(12, [2]), new Array(12).fill(0));
      const e = errorOf(() => decodeBinaryBody(body, headerLength));
      expect(e.code).toBe('input_shape_mismatch');
      expect(e.message).toBe(
        'inputs[0].parameters.binary_data_size: tensor "x" of FP32 shape [2] needs 8 bytes (2 × 4), got 12',
      );
    });

    it('rejects a header that is not JSON, with its position', () => {
      const text = new TextEncoder().encode('{"inputs":[}');
      const e = errorOf(() => decodeBinaryBody(text, text.length));
      expect(e.code).toBe('invalid_json');
      expect(e.message).toBe("header: expected valid JSON, got: Array item expected but got '}' at position 11");
    });

    it('rejects a header that is not UTF-8', () => {
      const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
      const e = errorOf(() => decodeBinaryBody(bytes, 3));
      expect(e.code).toBe('invalid_json');
      expect(e.message).toBe('header: expected UTF-8 JSON, got invalid UTF-8');
    });

    it('rejects binary sizes that are not non-negative integers', () => {
      const { body, headerLength } = rawBody(fp32Header(-8));
      expect(errorOf(() => decodeBinaryBody(body, headerLength)).message).toBe(
        'inputs[0].parameters.binary_data_size: expected a non-negative integer, got -8',
      );
    });

    it('rejects data next to binary_data_size', () => {
      const header = {
        inputs: [{ name: 'x', shape: [1], datatype: 'INT8', data: [1], parameters: { binary_data_size: 1 } }],
      };
      const { body, headerLength } = rawBody(header, [1]);
      expect(errorOf(() => decodeBinaryBody(body, headerLength)).message).toBe(
        'inputs[0].data: expected no data when parameters.binary_data_size is set, got an array of 1',
      );
    });

    it('rejects a header without the tensor array', () => {
      const { body, headerLength } = rawBody({ id: 'x' });
      expect(errorOf(() => decodeBinaryBody(body, headerLength)).message).toBe(
        'outputs: expected an array of tensors, got nothing',
      );
      const arr = rawBody([1]);
      expect(errorOf(() => decodeBinaryBody(arr.body, arr.headerLength)).message).toBe(
        'header: expected a JSON object, got an array of 1',
      );
    });

    const bytesCases: [string, number[], number[], string][] = [
      [
        'a length prefix past the end',
        [2],
        [1, 0, 0, 0, 0x61, 9, 0, 0, 0, 0x62],
        'f: tensor "s" of BYTES shape [2]: element 1 declares 9 bytes at byte 5, only 1 bytes remain',
      ],
      [
        'a cut length prefix',
        [2],
        [1, 0, 0, 0, 0x61, 9, 0],
        'f: tensor "s" of BYTES shape [2]: element 1 needs a 4-byte length prefix at byte 5, only 2 bytes remain',
      ],
      [
        'too few elements',
        [3],
        [1, 0, 0, 0, 0x61],
        'f: tensor "s" of BYTES shape [3] needs 3 elements, got 1 in 5 bytes',
      ],
      [
        'too many elements',
        [1],
        [1, 0, 0, 0, 0x61, 0, 0, 0, 0],
        'f: tensor "s" of BYTES shape [1] needs 1 elements, but 4 bytes remain after element 0',
      ],
      ['invalid UTF-8', [1], [1, 0, 0, 0, 0xff], 'f: tensor "s" of BYTES shape [1]: element 0 is not valid UTF-8'],
    ];
    it.each(bytesCases)('rejects BYTES with %s', (_label, shape, bytes, message) => {
      expect(errorOf(() => bytesToTensor('s', 'BYTES', shape, new Uint8Array(bytes), 'f')).message).toBe(message);
    });

    it('enforces maxElements before reading data', () => {
      const e = errorOf(() => bytesToTensor('x', 'FP32', [1000], new Uint8Array(4000), 'f', { maxElements: 10 }));
      expect(e.code).toBe('payload_too_large');
      expect(e.message).toBe('f: expected at most 10 elements, got 1000');
    });

    it('refuses to encode two tensors with the same name', () => {
      const t = SAMPLES.FP32;
      expect(errorOf(() => encodeBinaryBody({ inputs: [] }, [t, t])).message).toBe(
        'inputs: tensor "f32" is given twice',
      );
    });
  });
});
