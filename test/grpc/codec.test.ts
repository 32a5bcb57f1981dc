// The hand-written inference codec (src/protocol/grpc) against protobufjs reading and writing the upstream proto:
// every datatype, typed and raw, both directions, and the errors a malformed message gets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/errors.js';
import {
  decodeWireInferRequest,
  decodeWireInferResponse,
  decodeWireStreamResponse,
  encodeInferMessage,
  encodeStreamError,
  wireTensors,
} from '../../src/protocol/grpc/infer-messages.js';
import type { Tensor } from '../../src/protocol/tensor.js';
import { PROTO_DIR, upstreamMethods } from './upstream.js';

const infer = upstreamMethods.ModelInfer!;
const stream = upstreamMethods.ModelStreamInfer!;

const BIG = 9007199254740993n; // 2^53 + 1: not a double
const tensors: Tensor[] = [
  { name: 'b', datatype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) },
  { name: 'u8', datatype: 'UINT8', shape: [2], data: new Uint8Array([0, 255]) },
  { name: 'u16', datatype: 'UINT16', shape: [2], data: new Uint16Array([1, 65535]) },
  { name: 'u32', datatype: 'UINT32', shape: [2], data: new Uint32Array([7, 4294967295]) },
  { name: 'u64', datatype: 'UINT64', shape: [2], data: new BigUint64Array([BIG, 18446744073709551615n]) },
  { name: 'i8', datatype: 'INT8', shape: [2], data: new Int8Array([-128, 127]) },
  { name: 'i16', datatype: 'INT16', shape: [2], data: new Int16Array([-32768, 32767]) },
  { name: 'i32', datatype: 'INT32', shape: [2], data: new Int32Array([-2147483648, 2147483647]) },
  { name: 'i64', datatype: 'INT64', shape: [1, 3], data: new BigInt64Array([-BIG, BIG, -9223372036854775808n]) },
  { name: 'f32', datatype: 'FP32', shape: [2, 2], data: new Float32Array([1.5, -0, Number.NaN, Infinity]) },
  { name: 'f64', datatype: 'FP64', shape: [2], data: new Float64Array([Math.PI, -1e300]) },
  { name: 's', datatype: 'BYTES', shape: [3], data: ['héllo', '', '🙂'] },
];
const fp16: Tensor = { name: 'h', datatype: 'FP16', shape: [3], data: new Uint16Array([0x3c00, 0xc000, 0x7e00]) };

function roundTrip(bytes: Uint8Array, raw: boolean): Tensor[] {
  const req = decodeWireInferRequest(bytes);
  expect(req.rawInputContents.length).toBe(raw ? req.inputs.length : 0);
  return wireTensors(req.inputs, req.rawInputContents, 'inputs');
}

/** A raw FP32 request whose raw bytes sit at an offset `fits` accepts. */
function requestAt(values: Float32Array, fits: (offset: number) => boolean) {
  for (let n = 1; n < 8; n++) {
    const bytes = encodeInferMessage('request', {
      modelName: 'm'.repeat(n),
      tensors: [{ name: 'x', datatype: 'FP32', shape: [values.length], data: values }],
      raw: true,
    });
    const req = decodeWireInferRequest(bytes);
    if (fits(req.rawInputContents[0]!.byteOffset)) return req;
  }
  throw new Error('no model name length gives that offset');
}

describe('the vendored protos', () => {
  it('are the upstream files, unmodified, with their licence', () => {
    const upstream = join(import.meta.dirname, '../../../shared/proto/triton');
    for (const file of ['grpc_service.proto', 'model_config.proto', 'health.proto', 'LICENSE']) {
      const vendored = readFileSync(join(PROTO_DIR, file), 'utf8');
      let original: string | undefined;
      try {
        original = readFileSync(join(upstream, file), 'utf8');
      } catch {
        // Outside this workspace there is no ../shared: the header check below still runs.
      }
      if (original !== undefined) expect(vendored, file).toBe(original);
    }
    expect(readFileSync(join(PROTO_DIR, 'grpc_service.proto'), 'utf8')).toMatch(/^\/\/ Copyright .*NVIDIA CORPORATION/);
    expect(readFileSync(join(PROTO_DIR, 'LICENSE'), 'utf8')).toMatch(
      /Redistribution and use in source and binary forms/,
    );
  });
});

describe('ModelInferRequest', () => {
  it('typed contents for every datatype but FP16: ours → protobufjs reads the same values', () => {
    const bytes = encodeInferMessage('request', {
      modelName: 'm',
      modelVersion: '2',
      id: 'req-1',
      parameters: { priority: 3, flag: true, tag: 'x', big: BIG, ratio: 0.25 },
      tensors,
      outputs: [{ name: 'out', parameters: { classification: 2 } }],
      raw: false,
    });
    const decoded = infer.requestDeserialize(Buffer.from(bytes)) as {
      model_name: string;
      model_version: string;
      id: string;
      parameters: Record<string, Record<string, unknown>>;
      inputs: Array<{ name: string; datatype: string; shape: string[]; contents: Record<string, unknown[]> }>;
      outputs: Array<{ name: string; parameters: Record<string, Record<string, unknown>> }>;
      raw_input_contents: Buffer[];
    };
    expect(decoded.model_name).toBe('m');
    expect(decoded.model_version).toBe('2');
    expect(decoded.id).toBe('req-1');
    expect(decoded.parameters.priority).toMatchObject({ int64_param: '3' });
    expect(decoded.parameters.flag).toMatchObject({ bool_param: true });
    expect(decoded.parameters.tag).toMatchObject({ string_param: 'x' });
    expect(decoded.parameters.big).toMatchObject({ int64_param: String(BIG) });
    expect(decoded.parameters.ratio).toMatchObject({ double_param: 0.25 });
    expect(decoded.outputs).toEqual([
      { name: 'out', parameters: { classification: expect.objectContaining({ int64_param: '2' }) } },
    ]);
    expect(decoded.raw_input_contents).toEqual([]);
    const byName = Object.fromEntries(decoded.inputs.map((i) => [i.name, i]));
    expect(byName.i64!.shape).toEqual(['1', '3']);
    expect(byName.b!.contents.bool_contents).toEqual([true, false, true]);
    expect(byName.u8!.contents.uint_contents).toEqual([0, 255]);
    expect(byName.u32!.contents.uint_contents).toEqual([7, 4294967295]);
    expect(byName.u64!.contents.uint64_contents).toEqual([String(BIG), '18446744073709551615']);
    expect(byName.i8!.contents.int_contents).toEqual([-128, 127]);
    expect(byName.i32!.contents.int_contents).toEqual([-2147483648, 2147483647]);
    expect(byName.i64!.contents.int64_contents).toEqual([String(-BIG), String(BIG), '-9223372036854775808']);
    expect(byName.f32!.contents.fp32_contents).toEqual([1.5, -0, Number.NaN, Infinity]);
    expect(byName.f64!.contents.fp64_contents).toEqual([Math.PI, -1e300]);
    expect((byName.s!.contents.bytes_contents as Buffer[]).map((b) => b.toString('utf8'))).toEqual(['héllo', '', '🙂']);
    // And back through our decoder.
    expect(roundTrip(bytes, false)).toEqual(tensors);
  });

  it('typed contents written by protobufjs (packed, as every generated client sends them) decode exactly', () => {
    const bytes = infer.requestSerialize({
      model_name: 'm',
      inputs: [
        {
          name: 'i64',
          datatype: 'INT64',
          shape: [1, 3],
          contents: { int64_contents: [String(-BIG), String(BIG), '-1'] },
        },
        { name: 'u64', datatype: 'UINT64', shape: [1], contents: { uint64_contents: ['18446744073709551615'] } },
        { name: 'i8', datatype: 'INT8', shape: [2], contents: { int_contents: [-5, 5] } },
        { name: 'b', datatype: 'BOOL', shape: [2], contents: { bool_contents: [false, true] } },
        { name: 'f', datatype: 'FP32', shape: [2], contents: { fp32_contents: [0.5, -2] } },
        {
          name: 's',
          datatype: 'BYTES',
          shape: [2],
          contents: { bytes_contents: [Buffer.from('a'), Buffer.from('é')] },
        },
      ],
    });
    const out = roundTrip(bytes, false);
    expect(out.map((t) => t.data)).toEqual([
      new BigInt64Array([-BIG, BIG, -1n]),
      new BigUint64Array([18446744073709551615n]),
      new Int8Array([-5, 5]),
      new Uint8Array([0, 1]),
      new Float32Array([0.5, -2]),
      ['a', 'é'],
    ]);
    expect(out[0]!.shape).toEqual([1, 3]);
  });

  it('raw contents for every datatype incl. FP16 and BYTES with 4-byte length prefixes, both directions', () => {
    const all = [...tensors, fp16];
    const bytes = encodeInferMessage('request', { modelName: 'm', tensors: all, raw: true });
    const decoded = infer.requestDeserialize(Buffer.from(bytes)) as {
      inputs: Array<{ contents: unknown }>;
      raw_input_contents: Buffer[];
    };
    expect(decoded.raw_input_contents).toHaveLength(all.length);
    expect(decoded.inputs.every((i) => i.contents === null)).toBe(true);
    const s = decoded.raw_input_contents[all.indexOf(tensors[11]!)]!;
    expect([...s]).toEqual([6, 0, 0, 0, ...Buffer.from('héllo'), 0, 0, 0, 0, 4, 0, 0, 0, ...Buffer.from('🙂')]);
    expect([...decoded.raw_input_contents.at(-1)!]).toEqual([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7e]);
    expect(roundTrip(bytes, true)).toEqual(all);
    // protobufjs → ours
    const theirs = infer.requestSerialize({
      model_name: 'm',
      inputs: all.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
      raw_input_contents: decoded.raw_input_contents,
    });
    expect(roundTrip(theirs, true)).toEqual(all);
  });

  it('copies a misaligned raw buffer before viewing it as FP32', () => {
    const values = new Float32Array([1, 2, 3]);
    // The model name's length shifts the raw bytes: take one that leaves them at an offset not a multiple of 4.
    const req = requestAt(values, (offset) => offset % 4 !== 0);
    const [t] = wireTensors(req.inputs, req.rawInputContents, 'inputs');
    expect(t!.data).toEqual(values);
    expect((t!.data as Float32Array).byteOffset % 4).toBe(0);
  });

  it('views an aligned raw buffer without copying it', () => {
    const req = requestAt(new Float32Array([5, 6]), (offset) => offset % 4 === 0);
    const [t] = wireTensors(req.inputs, req.rawInputContents, 'inputs');
    expect(t!.data).toEqual(new Float32Array([5, 6]));
    expect((t!.data as Float32Array).buffer).toBe(req.rawInputContents[0]!.buffer);
  });

  it.each([
    [
      'contents in the wrong field',
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [1], contents: { int_contents: [1] } }] },
      'datatype_mismatch',
      'inputs[0].contents: the tensor is FP32, so its values go in fp32_contents; got int_contents',
    ],
    [
      'too few values',
      { inputs: [{ name: 'x', datatype: 'INT32', shape: [1, 3], contents: { int_contents: [1, 2] } }] },
      'input_shape_mismatch',
      'inputs[0].contents: expected 3 values for shape [1,3], got 2',
    ],
    [
      'too many values',
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1, 2] } }] },
      'input_shape_mismatch',
      'inputs[0].contents: expected 1 values for shape [1], got more than 1',
    ],
    [
      'an INT8 out of range',
      { inputs: [{ name: 'x', datatype: 'INT8', shape: [1], contents: { int_contents: [300] } }] },
      'invalid_input',
      'inputs[0].contents.int_contents[0]: 300 is out of range for INT8 [-128, 127]',
    ],
    [
      'FP16 as typed contents',
      { inputs: [{ name: 'x', datatype: 'FP16', shape: [1], contents: { fp32_contents: [1] } }] },
      'invalid_input',
      'inputs[0].contents: FP16 has no typed contents field; send FP16 tensors as raw_input_contents (IEEE half bits, little-endian)',
    ],
    [
      'an unknown datatype',
      { inputs: [{ name: 'x', datatype: 'FLOAT', shape: [1] }] },
      'invalid_input',
      'inputs[0].datatype: expected one of BOOL, UINT8…UINT64, INT8…INT64, FP16, FP32, FP64, BYTES, got "FLOAT"',
    ],
    [
      'a negative dimension',
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }] },
      'invalid_input',
      'inputs[0].shape: expected an array of non-negative integers, got -1 at index 0',
    ],
    [
      'raw and typed contents mixed',
      {
        inputs: [
          { name: 'x', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } },
          { name: 'y', datatype: 'FP32', shape: [1] },
        ],
        raw_input_contents: [Buffer.alloc(4), Buffer.alloc(4)],
      },
      'invalid_input',
      "inputs[0].contents: expected no contents when raw_input_contents is used (the two forms cannot be mixed), got contents for tensor 'x'",
    ],
    [
      'fewer raw buffers than inputs',
      {
        inputs: [
          { name: 'x', datatype: 'FP32', shape: [1] },
          { name: 'y', datatype: 'FP32', shape: [1] },
        ],
        raw_input_contents: [Buffer.alloc(4)],
      },
      'invalid_input',
      'raw_input_contents: expected one entry per tensor in inputs (2), got 1',
    ],
    [
      'a raw buffer of the wrong size',
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2] }], raw_input_contents: [Buffer.alloc(4)] },
      'input_shape_mismatch',
      'raw_input_contents[0]: tensor "x" of FP32 shape [1,2] needs 8 bytes (2 × 4), got 4',
    ],
    [
      'a BYTES element longer than its buffer',
      { inputs: [{ name: 's', datatype: 'BYTES', shape: [1] }], raw_input_contents: [Buffer.from([9, 0, 0, 0, 65])] },
      'invalid_input',
      'raw_input_contents[0]: tensor "s" of BYTES shape [1]: element 0 declares 9 bytes at byte 0, only 1 bytes remain',
    ],
  ])('rejects %s with a message naming the field', (_what, message, code, text) => {
    const bytes = infer.requestSerialize({ model_name: 'm', ...message });
    const err = (() => {
      try {
        const req = decodeWireInferRequest(bytes);
        wireTensors(req.inputs, req.rawInputContents, 'inputs');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(code);
    expect((err as ProtocolError).message).toBe(text);
  });

  it('rejects bytes that are not a ModelInferRequest', () => {
    const truncated = encodeInferMessage('request', { modelName: 'model', tensors, raw: true }).subarray(0, 40);
    expect(() => decodeWireInferRequest(truncated)).toThrow(ProtocolError);
    expect(() => decodeWireInferRequest(truncated)).toThrow(/^ModelInferRequest: /);
  });
});

describe('ModelInferResponse and ModelStreamInferResponse', () => {
  it('typed outputs read by protobufjs; raw outputs decode back exactly', () => {
    const typed = encodeInferMessage('response', { modelName: 'm', modelVersion: '3', id: 'r', tensors, raw: false });
    const decoded = infer.responseDeserialize(Buffer.from(typed)) as {
      model_version: string;
      id: string;
      outputs: Array<{ name: string; contents: Record<string, unknown[]> }>;
      raw_output_contents: Buffer[];
    };
    expect(decoded.model_version).toBe('3');
    expect(decoded.id).toBe('r');
    expect(decoded.raw_output_contents).toEqual([]);
    expect(decoded.outputs.find((o) => o.name === 'i64')!.contents.int64_contents).toEqual([
      String(-BIG),
      String(BIG),
      '-9223372036854775808',
    ]);
    const res = decodeWireInferResponse(typed);
    expect(wireTensors(res.outputs, res.rawOutputContents, 'outputs')).toEqual(tensors);

    const raw = encodeInferMessage('response', { modelName: 'm', tensors: [fp16, ...tensors], raw: true });
    const rawDecoded = infer.responseDeserialize(Buffer.from(raw)) as { raw_output_contents: Buffer[] };
    expect(rawDecoded.raw_output_contents).toHaveLength(tensors.length + 1);
    const back = decodeWireInferResponse(raw);
    expect(wireTensors(back.outputs, back.rawOutputContents, 'outputs')).toEqual([fp16, ...tensors]);
  });

  it('an FP16 output makes the whole response raw (it has no typed field)', () => {
    const bytes = encodeInferMessage('response', { modelName: 'm', tensors: [tensors[9]!, fp16], raw: false });
    const decoded = infer.responseDeserialize(Buffer.from(bytes)) as { raw_output_contents: Buffer[] };
    expect(decoded.raw_output_contents).toHaveLength(2);
  });

  it('wraps a response, or carries an error message, for the stream', () => {
    const wrapped = encodeInferMessage('response', { modelName: 'm', id: 'q', tensors: [fp16], raw: true }, true);
    const theirs = stream.responseDeserialize(Buffer.from(wrapped)) as {
      error_message: string;
      infer_response: { id: string; raw_output_contents: Buffer[] };
    };
    expect(theirs.error_message).toBe('');
    expect(theirs.infer_response.id).toBe('q');
    const ours = decodeWireStreamResponse(wrapped);
    expect(wireTensors(ours.response!.outputs, ours.response!.rawOutputContents, 'outputs')).toEqual([fp16]);

    const error = encodeStreamError("Model 'x' not found");
    expect(stream.responseDeserialize(Buffer.from(error))).toMatchObject({ error_message: "Model 'x' not found" });
    expect(decodeWireStreamResponse(error)).toEqual({ errorMessage: "Model 'x' not found" });
  });
});
