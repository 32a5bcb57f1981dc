import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/protocol/datasets/csv.js';
import { MAX_ISSUES, type ParseResult, parseDataset } from '../../src/protocol/datasets/parse.js';

const enc = (s: string) => new TextEncoder().encode(s);
const csv = (s: string) => parseDataset(enc(s), 'csv');
const jsonl = (s: string) => parseDataset(enc(s), 'jsonl');

function ok(r: ParseResult) {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.issues)}`);
  return r;
}
function bad(r: ParseResult) {
  if (r.ok) throw new Error('expected a rejection');
  return r;
}

describe('parseCsv (RFC 4180)', () => {
  it('handles quotes, doubled quotes, embedded commas and newlines, CRLF and a BOM', () => {
    const text = '\ufeffa,b\r\n"x, y","he said ""hi"""\r\n"multi\nline",2\n\nlast,"3"';
    const out = [...parseCsv(text)];
    expect(out).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      { kind: 'record', line: 2, fields: ['x, y', 'he said "hi"'] },
      { kind: 'record', line: 3, fields: ['multi\nline', '2'] },
      { kind: 'record', line: 6, fields: ['last', '3'] },
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect([...parseCsv('a,,\n')]).toEqual([{ kind: 'record', line: 1, fields: ['a', '', ''] }]);
  });

  it('reports a bare quote, text after a closing quote and an unterminated quote', () => {
    const out = [...parseCsv('a,b\nx"y,1\n"p"q,2\n"open,3\n')];
    expect(out).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      expect.objectContaining({ kind: 'error', line: 2, field: 0, message: expect.stringContaining('unquoted field') }),
      expect.objectContaining({ kind: 'error', line: 3, field: 0, message: expect.stringContaining("'q'") }),
      {
        kind: 'error',
        line: 4,
        field: 0,
        message: 'unterminated quoted field (the quote opens on line 4)',
      },
    ]);
  });
});

describe('parseDataset csv', () => {
  it('types columns and counts missing cells', () => {
    const r = ok(csv('x,label,z\n1.5,a,\n-2e3,b,7\n ,c,8\n'));
    expect(r.table.rows).toBe(3);
    const [x, label, z] = r.table.columns;
    expect(x).toMatchObject({ name: 'x', type: 'number', missing: 1 });
    expect(Array.from(x!.values as Float64Array)).toEqual([1.5, -2000, Number.NaN]);
    expect(label).toMatchObject({ name: 'label', type: 'string', missing: 0, values: ['a', 'b', 'c'] });
    expect(z).toMatchObject({ type: 'number', missing: 1 });
    expect(r.stats).toEqual([
      { name: 'x', integer: false, distinct: 2 },
      { name: 'label', integer: false, distinct: 3 },
      { name: 'z', integer: true, distinct: 2 },
    ]);
  });

  it('treats a column with any non-numeric cell as a string column', () => {
    const r = ok(csv('a,b\n1,2\n2,NA\n'));
    expect(r.table.columns[1]).toMatchObject({ type: 'string', values: ['2', 'NA'] });
    // Half numbers is not "mostly numbers": nothing to point out.
    expect(r.stats[1]).toEqual({ name: 'b', integer: false, distinct: 2 });
  });

  it('remembers where stray text made a mostly numeric column a string column (line, value, counts)', () => {
    const r = ok(csv('a,b,c\n1,x,p\n2,y,q\n,z,r\n"abc",w,3\n5,v,s\n7,u,t\n'));
    expect(r.table.columns.map((c) => c.type)).toEqual(['string', 'string', 'string']);
    expect(r.stats[0]).toEqual({
      name: 'a',
      integer: false,
      distinct: 5,
      notNumeric: { line: 5, value: 'abc', count: 1, numbers: 4 },
    });
    expect(r.stats[1]!.notNumeric).toBeUndefined(); // a real string column
    expect(r.stats[2]!.notNumeric).toBeUndefined(); // mostly text, one number
    const j = ok(jsonl('{"n": 1}\n\n{"n": 2}\n{"n": "two"}\n{"n": 3}\n'));
    expect(j.stats[0]!.notNumeric).toEqual({ line: 4, value: 'two', count: 1, numbers: 3 });
  });

  it('rejects rows with the wrong field count, with line, column and message', () => {
    const r = bad(csv('a,b,c\n1,2,3\n1,2\n1,2,3,4\n'));
    expect(r.summary).toBe('Dataset has 2 invalid rows');
    expect(r.issues).toEqual([
      { line: 3, column: 'c', message: 'expected 3 fields, got 2' },
      { line: 4, message: 'expected 3 fields, got 4' },
    ]);
  });

  it('lists at most the first 100 problems but counts them all', () => {
    const body = `a,b\n${'1\n'.repeat(150)}`;
    const r = bad(csv(body));
    expect(r.invalidRows).toBe(150);
    expect(r.issues).toHaveLength(MAX_ISSUES);
    expect(r.issues[99]).toEqual({ line: 101, column: 'b', message: 'expected 2 fields, got 1' });
    expect(r.summary).toBe('Dataset has 150 invalid rows (the first 100 are listed)');
  });

  it('rejects an empty file, a header without rows, and bad header names', () => {
    expect(bad(csv('')).issues).toEqual([
      { line: 1, message: 'the file is empty; expected a header row naming the columns' },
    ]);
    expect(bad(csv('a,b\n')).summary).toBe(
      'Dataset is invalid: the file has a header row but no data rows; a dataset needs at least one row',
    );
    expect(bad(csv('a,,a\n1,2,3\n')).issues).toEqual([
      { line: 1, message: 'column 2 has an empty name' },
      { line: 1, column: 'a', message: "duplicate column name 'a'" },
    ]);
  });

  it('rejects bytes that are not UTF-8', () => {
    const r = bad(parseDataset(new Uint8Array([0x61, 0x0a, 0xff, 0x0a]), 'csv'));
    expect(r.issues).toEqual([{ message: 'the CSV file is not valid UTF-8' }]);
  });
});

describe('parseDataset jsonl', () => {
  it('reads objects, treats absent keys and null as missing', () => {
    const r = ok(jsonl('{"x": 1, "y": "a"}\n\n{"x": 2.5}\r\n{"x": null, "y": "b"}\n'));
    expect(r.table.rows).toBe(3);
    expect(r.table.columns[0]).toMatchObject({ name: 'x', type: 'number', missing: 1 });
    expect(r.table.columns[1]).toMatchObject({ name: 'y', type: 'string', missing: 1, values: ['a', null, 'b'] });
  });

  it('rejects unparsable JSON, non-objects, unknown columns and nested values with the line number', () => {
    const r = bad(jsonl('{"x": 1}\n{"x": \n[1]\n{"x": 1, "z": 2}\n{"x": {"a": 1}}\n"s"\n'));
    expect(r.issues).toEqual([
      { line: 2, message: 'invalid JSON: Unexpected end of JSON input' },
      { line: 3, message: 'expected a JSON object, got an array' },
      { line: 4, column: 'z', message: "unexpected column 'z'; the first line defines the columns (x)" },
      { line: 5, column: 'x', message: 'expected a number, string, boolean or null, got an object' },
      { line: 6, message: 'expected a JSON object, got a string' },
    ]);
    expect(r.summary).toBe('Dataset has 5 invalid rows');
  });
});
