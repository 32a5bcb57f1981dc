import { describe, expect, it } from 'vitest';
import { needsLosslessReparse, ProtocolError, parseJsonLossless, stringifyJson } from '../../src/protocol/index.js';
import { quoteNonFiniteTokens } from '../../src/protocol/json-text.js';

describe('parseJsonLossless', () => {
  it('keeps integers beyond 2^53 exact as bigint and safe ones as numbers', () => {
    const v = parseJsonLossless(
      '{"a":[9223372036854775807,-9223372036854775808,18446744073709551615,12,9007199254740991]}',
    );
    expect(v).toEqual({
      a: [9223372036854775807n, -9223372036854775808n, 18446744073709551615n, 12, 9007199254740991],
    });
  });

  it('treats 2^53 + 1 as unsafe (JSON.parse would give 2^53)', () => {
    expect(parseJsonLossless('[9007199254740993]')).toEqual([9007199254740993n]);
  });

  it('uses only JSON.parse for float data, even with long fractions', () => {
    const text = JSON.stringify({ data: [0.10000000149011612, -0.30000001192092896, 1e300, 1.2345678901234568e26] });
    const v = parseJsonLossless(text) as { data: number[] };
    expect(v.data[0]).toBe(0.10000000149011612);
    expect(v.data[2]).toBe(1e300);
    expect(needsLosslessReparse(text, JSON.parse(text))).toBe(false);
    // A 16+ digit literal inside a string alone does not trigger it either: no parsed number is unsafe.
    const ids = '{"id":"12345678901234567890","data":[1,2]}';
    expect(needsLosslessReparse(ids, JSON.parse(ids))).toBe(false);
    const big = '{"data":[1,12345678901234567890]}';
    expect(needsLosslessReparse(big, JSON.parse(big))).toBe(true);
  });

  it('leaves non-integer literals as numbers on the lossless path', () => {
    expect(parseJsonLossless('[12345678901234567890, 1.5, 2e400]')).toEqual([
      12345678901234567890n,
      1.5,
      Number.POSITIVE_INFINITY,
    ]);
  });

  it('keeps the last duplicate key on both paths, as JSON.parse does', () => {
    expect(parseJsonLossless('{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(parseJsonLossless('{"a":1,"a":99999999999999999999}')).toEqual({ a: 99999999999999999999n });
  });

  it.each([
    ['{"a":}', "expected valid JSON, got: Object value expected after ':' at position 5"],
    [
      '[1,2',
      "expected valid JSON, got: Array item or end of array ']' expected but reached end of input at position 4",
    ],
    ['', 'expected valid JSON, got: JSON value expected but reached end of input at position 0'],
    // A bare NaN is read (below); a NaN glued to other letters is still no JSON value.
    ['{"a":NaNx}', "expected valid JSON, got: Object value expected after ':' at position 5"],
  ])('reports invalid JSON %j with its position', (text, message) => {
    try {
      parseJsonLossless(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
      expect((e as ProtocolError).code).toBe('invalid_json');
      expect((e as ProtocolError).message).toBe(message);
    }
  });

  it('prefixes the field when one is given', () => {
    expect(() => parseJsonLossless('{', 'header')).toThrow(/^header: expected valid JSON, got: /);
  });
});

describe('stringifyJson', () => {
  it('matches JSON.stringify on plain values', () => {
    const value = {
      a: [1, 'x', true, null],
      b: { c: 'd"e', u: undefined, f: () => 1 },
      e: [],
      n: -1.5e-7,
      date: new Date(0),
    };
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
  });

  it('writes bigint as bare integer literals', () => {
    expect(stringifyJson({ v: [1n, -9223372036854775808n, 2] })).toBe('{"v":[1,-9223372036854775808,2]}');
  });

  it('writes non-finite numbers as strings and keeps -0', () => {
    expect(stringifyJson([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0])).toBe(
      '["NaN","Infinity","-Infinity",-0,0]',
    );
    expect(stringifyJson(Number.NaN)).toBe('"NaN"');
  });

  it('writes undefined array entries as null like JSON.stringify', () => {
    expect(stringifyJson([1, undefined, 2])).toBe('[1,null,2]');
    expect(stringifyJson(undefined)).toBe('null');
  });

  it('produces text that parseJsonLossless reads back exactly', () => {
    const value = { outputs: [{ name: 'y', data: [18446744073709551615n, 3, 'NaN'] }] };
    expect(parseJsonLossless(stringifyJson(value))).toEqual(value);
  });
});

describe('bare NaN and Infinity tokens (what tritonclient and TF Serving write)', () => {
  it('reads them as the strings the tensor decoders take, and leaves strings that merely contain them alone', () => {
    expect(parseJsonLossless('{"data":[1, NaN, -Infinity,Infinity], "s": "NaN Infinity", "t": "a\\"NaN"}')).toEqual({
      data: [1, 'NaN', '-Infinity', 'Infinity'],
      s: 'NaN Infinity',
      t: 'a"NaN',
    });
    expect(parseJsonLossless('[NaN, 12345678901234567890]')).toEqual(['NaN', 12345678901234567890n]);
  });

  it('still reports JSON that is broken for another reason, with its position', () => {
    expect(() => parseJsonLossless('{"a": NaNa}')).toThrow(/expected valid JSON/);
    expect(() => parseJsonLossless('{"a": [1,}')).toThrow(/expected valid JSON/);
    expect(quoteNonFiniteTokens('{"a": 1}')).toBeUndefined();
  });
});
