import { describe, expect, it } from 'vitest';
import { runFakeModel } from '../../src/msw/index.js';
import { float16BitsToNumber, numberToFloat16Bits } from '../../src/protocol/tensor.js';
import { useMock } from './harness.js';

const { call, state } = useMock({ clock: false });

/** The documented formula, written out independently: softmax_j(sin(S + j)), j < k. */
function softmaxOfSin(s: number, k: number): number[] {
  const z = Array.from({ length: k }, (_, j) => Math.sin(s + j));
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

describe('the deterministic fake model', () => {
  it('keras_mlp: per row, softmax over 10 of sin(S_b + j), S_b the row sum, rounded to FP32', async () => {
    const row0 = Array.from({ length: 100 }, (_, i) => i / 100); // sum 49.5
    const row1 = new Array(100).fill(-0.25); // sum -25
    const r = await call('POST', '/v2/models/keras_mlp/infer', {
      json: { id: 'r1', inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 100], data: [row0, row1] }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.model_name).toBe('keras_mlp');
    expect(r.body.model_version).toBe('1');
    expect(r.body.id).toBe('r1');
    const [out] = r.body.outputs;
    expect(out).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [2, 10] });
    const s0 = row0.reduce((a, b) => a + Math.fround(b), 0);
    const expected = [...softmaxOfSin(s0, 10), ...softmaxOfSin(-25, 10)].map(Math.fround);
    expect(out.data).toEqual(expected);
    expect(out.data.slice(0, 10).reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 6);
    // Deterministic: the same request gives the same bits.
    const again = await call('POST', '/v2/models/keras_mlp/infer', {
      json: { inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 100], data: [...row0, ...row1] }] },
    });
    expect(again.body.outputs[0].data).toEqual(out.data);
  });

  it('non-finite inputs count 0 and travel as strings', async () => {
    const data = new Array(100).fill(0);
    data[0] = 'NaN';
    data[1] = 'Infinity';
    data[2] = 3;
    const r = await call('POST', '/v2/models/keras_mlp/infer', {
      json: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 100], data }] },
    });
    expect(r.body.outputs[0].data).toEqual(softmaxOfSin(3, 10).map(Math.fround));
  });

  it('multi_io computes what its real graph does: ids + 1 (exact beyond 2^53), NOT mask, text, true count per row', async () => {
    const big = '9007199254740993'; // 2^53 + 1: not a float64
    const body = `{"inputs":[
      {"name":"ids","datatype":"INT64","shape":[2,3],"data":[[1,2,3],[${big},-1,0]]},
      {"name":"mask","datatype":"BOOL","shape":[2,3],"data":[[true,false,true],[false,false,false]]},
      {"name":"text","datatype":"BYTES","shape":[2],"data":["héllo","x"]}]}`;
    const r = await call('POST', '/v2/models/multi_io/infer', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(200);
    expect(r.raw).toContain('"data":[2,3,4,9007199254740994,0,1]');
    const byName = Object.fromEntries(r.body.outputs.map((o: { name: string }) => [o.name, o]));
    expect(byName.ids_plus_one).toMatchObject({ datatype: 'INT64', shape: [2, 3] });
    expect(byName.mask_not).toEqual({
      name: 'mask_not',
      datatype: 'BOOL',
      shape: [2, 3],
      data: [false, true, false, true, true, true],
    });
    expect(byName.text_out).toEqual({ name: 'text_out', datatype: 'BYTES', shape: [2], data: ['héllo', 'x'] });
    expect(byName.count).toEqual({ name: 'count', datatype: 'INT64', shape: [2], data: [2, 0] });
  });

  it('returns only the requested outputs, in the requested order', async () => {
    const r = await call('POST', '/v2/models/multi_io/infer', {
      json: {
        inputs: [
          { name: 'text', datatype: 'BYTES', shape: [1], data: ['a'] },
          { name: 'ids', datatype: 'INT64', shape: [1, 3], data: [0, 0, 0] },
          { name: 'mask', datatype: 'BOOL', shape: [1, 3], data: [true, true, true] },
        ],
        outputs: [{ name: 'text_out' }, { name: 'ids_plus_one' }],
      },
    });
    expect(r.body.outputs.map((o: { name: string }) => o.name)).toEqual(['text_out', 'ids_plus_one']);
    expect(r.body.outputs[1].data).toEqual([1, 1, 1]);
  });

  it('TF-Serving predict uses the same function (row and columnar formats)', async () => {
    const rows = [new Array(100).fill(0.5), new Array(100).fill(0)];
    const row = await call('POST', '/v1/models/keras_mlp:predict', { json: { instances: rows } });
    expect(row.status).toBe(200);
    expect(row.body.predictions).toEqual([softmaxOfSin(50, 10).map(Math.fround), softmaxOfSin(0, 10).map(Math.fround)]);
    const columnar = await call('POST', '/v1/models/multi_io/versions/1:predict', {
      json: { inputs: { ids: [[1, 1, 1]], mask: [[false, true, false]], text: [{ b64: 'YWJj' }] } },
    });
    expect(columnar.status).toBe(200);
    expect(columnar.body.outputs).toMatchObject({
      ids_plus_one: [[2, 2, 2]],
      mask_not: [[true, false, true]],
      text_out: ['abc'],
      count: [1],
    });
  });

  it('covers every datatype kind with the documented rules (runFakeModel)', () => {
    const outputs = runFakeModel(
      {
        outputs: [
          { name: 'h', datatype: 'FP16', shape: [-1, 2] },
          { name: 'd', datatype: 'FP64', shape: [-1, 3] },
          { name: 'u8', datatype: 'UINT8', shape: [-1, 2] },
          { name: 'b', datatype: 'BOOL', shape: [-1, 2] },
          { name: 's', datatype: 'BYTES', shape: [-1] },
          { name: 'x_next', datatype: 'INT8', shape: [-1, 2] },
        ],
      },
      [{ name: 'x', datatype: 'INT8', shape: [1, 2], data: new Int8Array([127, -3]) }],
    );
    const [h, d, u8, b, s, next] = outputs;
    // S_0 = 127 - 3 = 124
    expect(h?.data).toEqual(new Uint16Array(softmaxOfSin(124, 2).map(numberToFloat16Bits)));
    expect(float16BitsToNumber((h!.data as Uint16Array)[0] ?? 0)).toBeCloseTo(softmaxOfSin(124, 2)[0] ?? 0, 3);
    expect(Array.from(d?.data as Float64Array)).toEqual(softmaxOfSin(124, 3));
    expect(Array.from(u8?.data as Uint8Array)).toEqual([124, 125]);
    expect(Array.from(b?.data as Uint8Array)).toEqual([0, 1]);
    expect(s?.data).toEqual(['124']);
    expect(Array.from(next?.data as Int8Array)).toEqual([-128, -2]); // 127 + 1 wraps like an Int8Array store
  });

  it('a trained classifier answers label = labels[argmax(probabilities)]', async () => {
    state.addModel({
      name: 'iris',
      versions: [
        {
          inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 2] }],
          outputs: [
            { name: 'label', datatype: 'BYTES', shape: [-1] },
            { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
          ],
          labels: ['setosa', 'versicolor', 'virginica'],
        },
      ],
    });
    const r = await call('POST', '/v2/models/iris/infer', {
      json: { inputs: [{ name: 'input', datatype: 'FP32', shape: [3, 2], data: [0, 0, 1, 0.5, 2, 2] }] },
    });
    const [label, probabilities] = r.body.outputs;
    const expected = [0, 1.5, 4].map((sum) => {
      const p = softmaxOfSin(sum, 3);
      return ['setosa', 'versicolor', 'virginica'][p.indexOf(Math.max(...p))];
    });
    expect(label.data).toEqual(expected);
    expect(probabilities.data).toEqual([0, 1.5, 4].flatMap((sum) => softmaxOfSin(sum, 3).map(Math.fround)));
  });
});

// The file's one mock: a second setupServer here would intercept the same fetches and read each body again.
describe('a seed with its own infer function', () => {
  it('answers with what the function returns, and a throw is a run failure (400 invalid_input)', async () => {
    state.addModel({
      name: 'doubler',
      versions: [
        {
          inputs: [{ name: 'x', datatype: 'FP64', shape: [-1] }],
          outputs: [{ name: 'y', datatype: 'FP64', shape: [-1] }],
          infer: ([x]) => {
            const data = x!.data as Float64Array;
            if (data.some((v) => v < 0)) throw new Error('negative input');
            return [{ name: 'y', datatype: 'FP64', shape: [...x!.shape], data: data.map((v) => v * 2) }];
          },
        },
      ],
    });
    const ok = await call('POST', '/v2/models/doubler/infer', {
      json: { inputs: [{ name: 'x', datatype: 'FP64', shape: [2], data: [1.5, 4] }] },
    });
    expect(ok.body.outputs).toEqual([{ name: 'y', datatype: 'FP64', shape: [2], data: [3, 8] }]);
    const bad = await call('POST', '/v2/models/doubler/infer', {
      json: { inputs: [{ name: 'x', datatype: 'FP64', shape: [1], data: [-1] }] },
    });
    expect(bad.body).toMatchObject({
      status: 400,
      code: 'invalid_input',
      error: "Model 'doubler' version 1 could not run on these inputs: negative input",
    });
  });
});
