import { describe, expect, it } from 'vitest';
import {
  FormError,
  initialShape,
  outputView,
  parseShape,
  parseValues,
  predictions,
  tokenize,
  valuesJson,
} from '../../server/console/src/lib/tensor-form.js';

const fp32 = { name: 'input', datatype: 'FP32' as const, shape: [-1, 4] };

describe('playground form', () => {
  it('starts dynamic dimensions at 1 and checks a typed shape against the declared one', () => {
    expect(initialShape([-1, 4])).toEqual([1, 4]);
    expect(parseShape(fp32, '[2, 4]')).toEqual([2, 4]);
    expect(() => parseShape(fp32, '2, 5')).toThrow('input: shape: dimension 1 is fixed at 4 by the model, got 5');
    expect(() => parseShape(fp32, '4')).toThrow('the model declares 2 dimensions [-1, 4], got 1');
    expect(() => parseShape(fp32, '1, a')).toThrow('expected whole numbers such as "1, 4", got "1, a"');
  });

  it('reads numbers, booleans, exact 64-bit integers and strings, naming the element that does not fit', () => {
    expect(parseValues(fp32, [1, 4], tokenize('FP32', '[[1, 2.5], [-3e2 NaN]]'))).toEqual([1, 2.5, -300, Number.NaN]);
    const int64 = { name: 'ids', datatype: 'INT64' as const, shape: [2] };
    expect(parseValues(int64, [2], ['9007199254740993', '-1'])).toEqual([9007199254740993n, -1n]);
    const uint8 = { name: 'px', datatype: 'UINT8' as const, shape: [1] };
    expect(() => parseValues(uint8, [1], ['256'])).toThrow("px: element 0: 256 is outside UINT8's range 0 … 255");
    expect(() => parseValues(uint8, [1], ['1.5'])).toThrow('expected an integer (UINT8), got "1.5"');
    const bool = { name: 'mask', datatype: 'BOOL' as const, shape: [3] };
    expect(parseValues(bool, [3], ['true', '0', 'FALSE'])).toEqual([true, false, false]);
    expect(() => parseValues(bool, [3], ['yes', '1', '0'])).toThrow(
      'mask: element 0: expected true or false, got "yes"',
    );
    const bytes = { name: 'text', datatype: 'BYTES' as const, shape: [-1] };
    expect(parseValues(bytes, [2], tokenize('BYTES', 'a b\nc, d\n'))).toEqual(['a b', 'c, d']);
    expect(() => parseValues(fp32, [1, 4], ['1', '2'])).toThrow(FormError);
    expect(() => parseValues(fp32, [1, 4], ['1', '2'])).toThrow('input: shape [1, 4] takes 4 values, got 2');
  });

  it('shows outputs exactly and says what the model predicts', () => {
    const probabilities = outputView({
      name: 'probabilities',
      datatype: 'FP32',
      shape: [2, 3],
      data: new Float32Array([0.1, 0.7, 0.2, 0.6, 0.3, 0.1]),
    });
    expect(probabilities.values[1]).toBe(Math.fround(0.7));
    expect(predictions([probabilities])).toEqual({
      kind: 'class',
      rows: [`class 1 (p = ${Math.fround(0.7).toPrecision(4)})`, `class 0 (p = ${Math.fround(0.6).toPrecision(4)})`],
    });
    const label = outputView({ name: 'label', datatype: 'BYTES', shape: [2], data: ['setosa', 'virginica'] });
    expect(predictions([probabilities, label])).toEqual({ kind: 'label', rows: ['setosa', 'virginica'] });
    expect(
      predictions([outputView({ name: 'value', datatype: 'FP32', shape: [1, 1], data: new Float32Array([2]) })]),
    ).toBeNull();
    const ids = outputView({ name: 'ids', datatype: 'INT64', shape: [2], data: new BigInt64Array([2n ** 60n, -1n]) });
    expect(valuesJson(ids.values)).toBe(`[${2n ** 60n},-1]`);
    expect(valuesJson([Number.NaN, true, 'x'])).toBe('["NaN",true,"x"]');
  });
});
