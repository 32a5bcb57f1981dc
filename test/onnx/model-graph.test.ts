import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../server/onnx/builder.js';
import { mlpModel } from '../../server/onnx/mlp-fixture.js';
import { ModelGraph } from '../../server/onnx/model-graph.js';
import { intAttribute, intsAttribute, stringsAttribute } from '../../server/onnx/node-attributes.js';
import { tensorProto } from '../../server/onnx/tensor-proto.js';
import { floatValues, tensorDatatype, tensorDims, tensorValues } from '../../server/onnx/tensor-values.js';
import type { Datatype } from '../../src/protocol/tensor.js';
import { runOnce } from './ort-helpers.js';

const { ModelProto, TensorProto } = onnxProto.onnx;

/** Through protobuf and back, as a parsed model's initializer would be. */
function roundTrip(proto: onnxProto.onnx.ITensorProto): onnxProto.onnx.ITensorProto {
  return TensorProto.decode(TensorProto.encode(TensorProto.create(proto)).finish());
}

describe('tensorValues', () => {
  const cases: [Datatype, unknown[], ArrayLike<unknown>][] = [
    ['FP32', [1.5, -2, 0], Float32Array.from([1.5, -2, 0])],
    ['FP64', [1e-300, 3], Float64Array.from([1e-300, 3])],
    ['FP16', [1, -0.5, 65504], Uint16Array.from([0x3c00, 0xb800, 0x7bff])],
    ['INT8', [-128, 127, 0], Int8Array.from([-128, 127, 0])],
    ['UINT8', [0, 255], Uint8Array.from([0, 255])],
    ['INT16', [-32768, 5], Int16Array.from([-32768, 5])],
    ['UINT16', [65535], Uint16Array.from([65535])],
    ['INT32', [-(2 ** 31), 7], Int32Array.from([-(2 ** 31), 7])],
    ['UINT32', [2 ** 32 - 1], Uint32Array.from([2 ** 32 - 1])],
    ['INT64', [-(2n ** 63n), 2n ** 62n], BigInt64Array.from([-(2n ** 63n), 2n ** 62n])],
    ['UINT64', [2n ** 64n - 1n], BigUint64Array.from([2n ** 64n - 1n])],
    ['BOOL', [true, false, true], Uint8Array.from([1, 0, 1])],
  ];
  for (const [datatype, values, expected] of cases) {
    it(`reads ${datatype} from raw_data`, () => {
      const t = roundTrip(tensorProto('t', datatype, [values.length], values as never));
      expect(tensorDatatype(t)).toBe(datatype);
      expect(tensorDims(t)).toEqual([values.length]);
      expect(tensorValues(t)).toEqual(expected);
    });
  }

  it('reads the typed fields other producers write instead of raw_data', () => {
    const float = roundTrip({ name: 'f', dataType: 1, dims: [2], floatData: [0.25, -1] });
    expect(floatValues(float)).toEqual(Float32Array.from([0.25, -1]));
    const int8 = roundTrip({ name: 'q', dataType: 3, dims: [3], int32Data: [-5, 0, 100] });
    expect(tensorValues(int8)).toEqual(Int8Array.from([-5, 0, 100]));
    const half = roundTrip({ name: 'h', dataType: 10, dims: [1], int32Data: [0x3c00] });
    expect(floatValues(half)).toEqual(Float32Array.from([1]));
    const big = roundTrip({ name: 'i', dataType: 7, dims: [2], int64Data: ['9007199254740993', '-3'] as never });
    expect(tensorValues(big)).toEqual(BigInt64Array.from([9007199254740993n, -3n]));
    const double = roundTrip({ name: 'd', dataType: 11, dims: [1, 1], doubleData: [0.1] });
    expect(floatValues(double)).toEqual(Float32Array.from([0.1]));
    const strings = roundTrip(tensorProto('s', 'BYTES', [2], ['a', 'ü']));
    expect((tensorValues(strings) as Uint8Array[]).map((b) => new TextDecoder().decode(b))).toEqual(['a', 'ü']);
  });

  it('refuses external data, a short buffer, and types OIP cannot name', () => {
    expect(() => tensorValues({ name: 'e', dataType: 1, dims: [1], dataLocation: 1 })).toThrow(/external file/);
    expect(() => tensorValues({ name: 'r', dataType: 1, dims: [3], rawData: new Uint8Array(8) })).toThrow(
      /raw_data has 8 bytes, expected 12/,
    );
    expect(() => tensorValues({ name: 'b', dataType: 16, dims: [1], rawData: new Uint8Array(2) })).toThrow(
      /element type 16 is not supported/,
    );
  });
});

describe('ModelGraph', () => {
  it('indexes producers and consumers, and tells constants from inputs', () => {
    const graph = ModelGraph.parse(mlpModel({ inputs: 3, hidden: [4], outputs: 2 }).bytes);
    expect(graph.opset('')).toBe(13);
    expect(graph.opset('ai.onnx')).toBe(13);
    expect(graph.irVersion).toBe(8);
    expect(graph.constant('dense_0.weight')).toBeDefined();
    expect(graph.constant('input')).toBeUndefined();
    expect(graph.isGraphInput('input')).toBe(true);
    expect(graph.consumers('input').map((n) => n.opType)).toEqual(['Gemm']);
    expect(graph.producer('probabilities')?.opType).toBe('Softmax');
    expect(graph.isGraphOutput('probabilities')).toBe(true);
  });

  it('replaces and inserts nodes, adds initializers under fresh names, drops unused ones, and ONNX Runtime runs it', async () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [2]);
    g.output(g.node('Mul', [x, g.initializer('k', 'FP32', [2], [2, 3])], {}, { name: 'scale' }), 'y', 'FP32', [2]);
    const graph = ModelGraph.parse(g.toModel());
    const mul = graph.nodes[0]!;
    const offset = graph.addInitializer('k', 'FP32', [2], [10, 20]); // 'k' is taken: a fresh name
    expect(offset).not.toBe('k');
    const add = graph.makeNode('Add', [x, offset]);
    graph.insertBefore(mul, [add]);
    graph.setInput(mul, 0, add.output![0]!);
    expect(graph.consumers('x')).toEqual([add]);
    expect(graph.removeUnusedInitializers()).toEqual([]);
    const result = await runOnce(graph.toBytes(), {
      x: { datatype: 'FP32', shape: [2], data: Float32Array.from([1, 1]) },
    });
    expect(Array.from(result.y!.data as Float32Array)).toEqual([22, 63]);

    graph.replaceNode(mul, [graph.makeNode('Identity', [add.output![0]!], ['y'])]);
    expect(graph.removeUnusedInitializers()).toEqual(['k']);
    const again = await runOnce(graph.toBytes(), {
      x: { datatype: 'FP32', shape: [2], data: Float32Array.from([1, 1]) },
    });
    expect(Array.from(again.y!.data as Float32Array)).toEqual([11, 21]);
  });

  it('treats initializers listed as inputs as constants below IR 4 only, and keeps subgraph references', () => {
    const model = ModelProto.decode(mlpModel({ inputs: 2, hidden: [2], outputs: 2 }).bytes);
    model.graph!.input!.push({ name: 'dense_0.weight' });
    expect(
      new ModelGraph(ModelProto.decode(ModelProto.encode(model).finish())).constant('dense_0.weight'),
    ).toBeUndefined();
    model.irVersion = 3;
    expect(
      new ModelGraph(ModelProto.decode(ModelProto.encode(model).finish())).constant('dense_0.weight'),
    ).toBeDefined();

    const body = new GraphBuilder('body');
    body.output(body.node('Identity', [body.input('unused', 'FP32', [1])]), 'out', 'FP32', [1]);
    const sub = body.toGraphProto();
    sub.node![0]!.input = ['outer'];
    const g = new GraphBuilder('main');
    const cond = g.input('cond', 'BOOL', []);
    g.initializer('outer', 'FP32', [1], [5]);
    const [y] = g.nodeOutputs('If', [cond], 1, {});
    g.output(y!, 'y', 'FP32', [1]);
    const graph = ModelGraph.parse(g.toModel());
    graph.nodes[0]!.attribute = [
      { name: 'then_branch', type: 5, g: sub },
      { name: 'else_branch', type: 5, g: sub },
    ];
    expect(graph.usedInSubgraph('outer')).toBe(true);
    expect(graph.removeUnusedInitializers()).toEqual([]);
  });

  it('reads node attributes with defaults', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'FP32', [1, 2]);
    g.output(g.node('Transpose', [x], { perm: [1, 0] }), 'y', 'FP32', [2, 1]);
    const node = ModelGraph.parse(g.toModel()).nodes[0]!;
    expect(intsAttribute(node, 'perm')).toEqual([1, 0]);
    expect(intAttribute(node, 'axis', -1)).toBe(-1);
    expect(stringsAttribute(node, 'missing')).toBeNull();
  });
});
