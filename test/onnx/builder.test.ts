import { describe, expect, it } from 'vitest';
import { attr } from '../../server/onnx/attributes.js';
import { GraphBuilder } from '../../server/onnx/builder.js';
import { datatypeOfElemType, onnxElemType } from '../../server/onnx/datatypes.js';
import { float16Bits, float16Value } from '../../server/onnx/float16.js';
import { modelMetadata, parseModel } from '../../server/onnx/model.js';
import { runOnce } from './ort-helpers.js';

function identityGraph(): GraphBuilder {
  const g = new GraphBuilder('g');
  g.output(g.node('Identity', [g.input('x', 'FP32', [-1, 2])]), 'y', 'FP32', [-1, 2]);
  return g;
}

describe('model header', () => {
  it('writes ir_version 8, opset 13 by default, producer maas, doc string and sorted metadata', () => {
    const bytes = identityGraph().toModel({ docString: 'hello', metadata: { zeta: '1', alpha: 'a,b' } });
    const model = parseModel(bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect(model.producerName).toBe('maas');
    expect(model.docString).toBe('hello');
    expect(model.metadataProps.map((p) => p.key)).toEqual(['alpha', 'zeta']);
    expect(modelMetadata(model)).toEqual({ zeta: '1', alpha: 'a,b' });
  });

  it('honours opset, producer version, model version and extra domains', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [1]);
    g.output(g.node('Foo', [x], undefined, { domain: 'com.acme' }), 'y', 'FP32', [1]);
    const model = parseModel(g.toModel({ opset: 17, producerVersion: '0.1.0', modelVersion: 3, domain: 'ai.maas' }));
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([
      ['', 17],
      ['com.acme', 1],
    ]);
    expect(model.producerVersion).toBe('0.1.0');
    expect(Number(model.modelVersion)).toBe(3);
    expect(model.domain).toBe('ai.maas');
  });

  it('serializes the same graph to the same bytes, as a plain Uint8Array', () => {
    const a = identityGraph().toModel({ metadata: { k: 'v' } });
    const b = identityGraph().toModel({ metadata: { k: 'v' } });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(a.constructor).toBe(Uint8Array);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(a.byteLength);
  });
});

describe('shapes', () => {
  it('turns -1 into a per-tensor dim_param, keeps named and fixed dims, and supports scalars and unknown rank', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [-1, 'batch', 3, -1]);
    const s = g.input('s', 'FP32', []);
    g.output(g.node('Mul', [x, s]), 'y', 'FP32', null);
    const graph = parseModel(g.toModel()).graph!;
    const dims = graph.input![0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims).toEqual(['x_dim0', 'batch', 3, 'x_dim3']);
    expect(graph.input![1]!.type!.tensorType!.shape!.dim).toEqual([]);
    expect(graph.output![0]!.type!.tensorType!.shape).toBeNull();
  });

  it('rejects a bad dimension', () => {
    const g = new GraphBuilder('g');
    g.output(g.node('Identity', [g.input('x', 'FP32', [-2])]), 'y', 'FP32', [1]);
    expect(() => g.toModel()).toThrow(/dimension 0/);
  });
});

describe('datatypes', () => {
  it('maps OIP names to ONNX element types and back', () => {
    expect(onnxElemType('FP32')).toBe(1);
    expect(onnxElemType('BYTES')).toBe(8);
    expect(onnxElemType('BOOL')).toBe(9);
    expect(onnxElemType('FP16')).toBe(10);
    expect(onnxElemType('UINT64')).toBe(13);
    expect(datatypeOfElemType(7)).toBe('INT64');
    expect(datatypeOfElemType(16)).toBeUndefined(); // bfloat16 has no OIP name here
  });

  it('converts to and from float16 bits, rounding to nearest even', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00); // rounds up to Infinity
    expect(float16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float16Bits(2 ** -26)).toBe(0x0000);
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Value(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(float16Value(float16Bits(0.1))).toBeCloseTo(0.1, 4);
  });
});

describe('initializers', () => {
  it('stores numbers as little-endian raw_data and strings as string_data', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'INT32', [2]);
    g.initializer('i32', 'INT32', [2], [1, -2]);
    g.initializer('u64', 'UINT64', [1], [2n ** 64n - 2n]);
    g.initializer('text', 'BYTES', [2], ['a', 'é']);
    g.output(g.node('Identity', [x]), 'y', 'INT32', [2]);
    const init = parseModel(g.toModel()).graph!.initializer!;
    expect(Array.from(init[0]!.rawData!)).toEqual([1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]);
    expect(Array.from(init[1]!.rawData!)).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(init[2]!.dataType).toBe(8);
    expect(init[2]!.stringData!.map((b) => new TextDecoder().decode(b))).toEqual(['a', 'é']);
    expect(init[2]!.rawData?.length ?? 0).toBe(0);
  });

  it('rejects a value count that does not match the dims', () => {
    const g = new GraphBuilder('g');
    expect(() => g.initializer('w', 'FP32', [2, 3], new Float32Array(5))).toThrow(/needs 6 values, got 5/);
  });

  it('feeds typed-array, plain-number, FP16 and string constants into ONNX Runtime correctly', async () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [2]);
    const h = g.input('h', 'FP16', [2]);
    g.output(g.node('Add', [x, g.initializer('c', 'FP32', [2], Float32Array.from([0.5, -4]))]), 'x2', 'FP32', [2]);
    g.output(g.node('Add', [h, g.constant('FP16', [2], [1.5, -0.25])]), 'h2', 'FP16', [2]);
    g.output(g.constant('BYTES', [3], ['α', '', 'z']), 'words', 'BYTES', [3]);
    g.output(g.constant('BOOL', [2], [true, false]), 'flags', 'BOOL', [2]);
    g.output(g.constant('INT64', [2], [-(2n ** 62n), 5]), 'big', 'INT64', [2]);
    const out = await runOnce(g.toModel(), {
      x: { datatype: 'FP32', shape: [2], data: Float32Array.from([1, 2]) },
      h: { datatype: 'FP16', shape: [2], data: Uint16Array.from([2, 1].map(float16Bits)) },
    });
    expect(Array.from(out.x2!.data as Float32Array)).toEqual([1.5, -2]);
    expect(Array.from(out.h2!.data as Uint16Array)).toEqual([3.5, 0.75].map(float16Bits));
    expect(out.words!.data).toEqual(['α', '', 'z']);
    expect(Array.from(out.flags!.data as Uint8Array)).toEqual([1, 0]);
    expect(Array.from(out.big!.data as BigInt64Array)).toEqual([-(2n ** 62n), 5n]);
  });
});

describe('attributes', () => {
  it('infers int, float, string, ints and floats and honours explicit wrappers', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [1]);
    const y = g.node('Custom', [x], {
      i: 3,
      f: 0.5,
      s: 'same',
      is: [1, 2, 3n],
      fs: [0.5, 1],
      wholeFloat: attr.float(1),
      emptyFloats: attr.floats([]),
      strs: attr.strings(['a', 'b']),
      t: attr.tensor('INT64', [2], [7, 8]),
    });
    g.output(y, 'y', 'FP32', [1]);
    const a = parseModel(g.toModel()).graph!.node![0]!.attribute!;
    const view = Object.fromEntries(a.map((p) => [p.name, p]));
    expect(view.i!.type).toBe(2);
    expect(Number(view.i!.i)).toBe(3);
    expect(view.f!.type).toBe(1);
    expect(view.f!.f).toBe(0.5);
    expect(view.s!.type).toBe(3);
    expect(new TextDecoder().decode(view.s!.s)).toBe('same');
    expect(view.is!.type).toBe(7);
    expect(view.is!.ints.map(Number)).toEqual([1, 2, 3]);
    expect(view.fs!.type).toBe(6);
    expect(view.fs!.floats).toEqual([0.5, 1]);
    expect(view.wholeFloat!.type).toBe(1);
    expect(view.wholeFloat!.f).toBe(1);
    expect(view.emptyFloats!.type).toBe(6);
    expect(view.strs!.type).toBe(8);
    expect(view.t!.type).toBe(4);
    expect(view.t!.t!.dataType).toBe(7);
    expect(Array.from(view.t!.t!.rawData.subarray(0, 1))).toEqual([7]);
    expect(a.map((p) => p.name)).toEqual(['i', 'f', 's', 'is', 'fs', 'wholeFloat', 'emptyFloats', 'strs', 't']);
  });

  it('rejects an int64 attribute beyond the safe integer range', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [1]);
    expect(() => g.node('Custom', [x], { big: 2n ** 60n })).toThrow(/safe integer/);
  });

  it('passes float, int and tensor attributes through to ONNX Runtime (Gemm alpha/beta/transB, Constant)', async () => {
    const g = new GraphBuilder('g');
    const a = g.input('a', 'FP32', [1, 2]);
    const b = g.initializer('b', 'FP32', [3, 2], [1, 2, 3, 4, 5, 6]); // transposed: [2, 3] is [[1,3,5],[2,4,6]]
    const c = g.node('Constant', [], { value: attr.tensor('FP32', [3], [100, 200, 300]) });
    const y = g.node('Gemm', [a, b, c], { alpha: attr.float(2), beta: 0.5, transB: 1 });
    g.output(y, 'y', 'FP32', [1, 3]);
    const out = await runOnce(g.toModel(), {
      a: { datatype: 'FP32', shape: [1, 2], data: Float32Array.from([1, 10]) },
    });
    // 2 * [1, 10]·[[1,3,5],[2,4,6]] + 0.5 * [100, 200, 300]
    expect(Array.from(out.y!.data as Float32Array)).toEqual([2 * 21 + 50, 2 * 43 + 100, 2 * 65 + 150]);
  });
});

describe('graph wiring', () => {
  it('renames a node output in place when it becomes a graph output', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [1]);
    const r = g.node('Relu', [x]);
    const n = g.node('Neg', [r]);
    g.output(r, 'relu_out', 'FP32', [1]);
    g.output(n, 'neg_out', 'FP32', [1]);
    const nodes = parseModel(g.toModel()).graph!.node!;
    expect(nodes.map((node) => [node.opType, node.input, node.output])).toEqual([
      ['Relu', ['x'], ['relu_out']],
      ['Neg', ['relu_out'], ['neg_out']],
    ]);
  });

  it('routes an input, an initializer or an already exposed value to an output through Identity', async () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [2]);
    const r = g.node('Relu', [x]);
    g.output(r, 'first', 'FP32', [2]);
    g.output('first', 'second', 'FP32', [2]);
    g.output(x, 'echo', 'FP32', [2]);
    const out = await runOnce(g.toModel(), { x: { datatype: 'FP32', shape: [2], data: Float32Array.from([-1, 2]) } });
    expect(Array.from(out.first!.data as Float32Array)).toEqual([0, 2]);
    expect(Array.from(out.second!.data as Float32Array)).toEqual([0, 2]);
    expect(Array.from(out.echo!.data as Float32Array)).toEqual([-1, 2]);
  });

  it('supports multi-output nodes and omitted optional inputs', async () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [4]);
    const [left, right] = g.nodeOutputs('Split', [x], 2, { axis: 0 });
    const clipped = g.node('Clip', [left!, '', g.constant('FP32', [], [1])]);
    g.output(clipped, 'left', 'FP32', [2]);
    g.output(right!, 'right', 'FP32', [2]);
    const out = await runOnce(g.toModel(), {
      x: { datatype: 'FP32', shape: [4], data: Float32Array.from([0, 5, 6, 7]) },
    });
    expect(Array.from(out.left!.data as Float32Array)).toEqual([0, 1]);
    expect(Array.from(out.right!.data as Float32Array)).toEqual([6, 7]);
  });

  it('catches unknown inputs, duplicate names and missing outputs early', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [1]);
    expect(() => g.node('Relu', ['nope'])).toThrow(/input nope/);
    expect(() => g.input('x', 'FP32', [1])).toThrow(/used twice/);
    expect(() => g.node('Relu', [x], undefined, { outputs: ['x'] })).toThrow(/used twice/);
    expect(() => g.output('ghost', 'y', 'FP32', [1])).toThrow(/ghost/);
    expect(() => g.toModel()).toThrow(/no outputs/);
  });
});
