import type { ErrorDetail } from '../contract-error.js';
import { parseCsv } from './csv.js';
import { ColumnBuilder, type ColumnStats, type DatasetFormat, type RawCell, type Table } from './table.js';

/** At most this many problems are listed in a rejected upload's details. */
export const MAX_ISSUES = 100;

export type ParseResult =
  | { ok: true; table: Table; stats: ColumnStats[] }
  | { ok: false; issues: ErrorDetail[]; invalidRows: number; summary: string };

/** Parses and validates an upload; either a complete table or the problems (first MAX_ISSUES), never half of one. */
export function parseDataset(bytes: Uint8Array, format: DatasetFormat): ParseResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail([{ message: `the ${format === 'csv' ? 'CSV' : 'JSONL'} file is not valid UTF-8` }], 0);
  }
  return format === 'csv' ? parseCsvTable(text) : parseJsonlTable(text);
}

class Issues {
  readonly list: ErrorDetail[] = [];
  rows = 0;
  add(detail: ErrorDetail): void {
    this.rows++;
    if (this.list.length < MAX_ISSUES) this.list.push(detail);
  }
}

function parseCsvTable(text: string): ParseResult {
  const issues = new Issues();
  let builders: ColumnBuilder[] | undefined;
  let header: string[] = [];
  let rows = 0;
  const lines: number[] = [];
  for (const rec of parseCsv(text)) {
    if (!builders) {
      if (rec.kind === 'error') return fail([{ line: rec.line, message: `header row: ${rec.message}` }], 0);
      header = rec.fields.map((f) => f.trim());
      const headerIssues = checkHeader(header);
      if (headerIssues.length > 0) return fail(headerIssues, 0);
      builders = header.map((name) => new ColumnBuilder(name));
      continue;
    }
    if (rec.kind === 'error') {
      issues.add({ line: rec.line, ...(header[rec.field] ? { column: header[rec.field] } : {}), message: rec.message });
      continue;
    }
    if (rec.fields.length !== header.length) {
      const got = rec.fields.length;
      const column = got < header.length ? header[got] : undefined;
      issues.add({
        line: rec.line,
        ...(column ? { column } : {}),
        message: `expected ${header.length} fields, got ${got}`,
      });
      continue;
    }
    if (issues.rows > 0) continue; // the upload is rejected anyway: only look for more problems
    for (let i = 0; i < builders.length; i++) builders[i]!.push(rec.fields[i]);
    lines.push(rec.line);
    rows++;
  }
  if (!builders) return fail([{ line: 1, message: 'the file is empty; expected a header row naming the columns' }], 0);
  return finish(builders, rows, lines, issues, 'a header row but no data rows');
}

function checkHeader(header: string[]): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') out.push({ line: 1, message: `column ${i + 1} has an empty name` });
    else if (seen.has(name)) out.push({ line: 1, column: name, message: `duplicate column name '${name}'` });
    seen.add(name);
  });
  return out;
}

function parseJsonlTable(text: string): ParseResult {
  const issues = new Issues();
  let builders: Map<string, ColumnBuilder> | undefined;
  let rows = 0;
  const rowLines: number[] = [];
  const lines = text.split(/\r?\n/);
  if (lines[0]?.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      issues.add({ line, message: `invalid JSON: ${(err as Error).message}` });
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.add({ line, message: `expected a JSON object, got ${jsonKind(value)}` });
      continue;
    }
    const record = value as Record<string, unknown>;
    if (!builders) builders = new Map(Object.keys(record).map((k) => [k, new ColumnBuilder(k)]));
    const problem = checkJsonRecord(record, builders);
    if (problem) {
      issues.add({ line, ...problem });
      continue;
    }
    if (issues.rows > 0) continue;
    for (const [key, builder] of builders) builder.push(record[key] as RawCell);
    rowLines.push(line);
    rows++;
  }
  if (!builders) return fail([{ message: 'the file is empty; expected one JSON object per line' }], 0);
  if (builders.size === 0) return fail([{ line: 1, message: 'the first object has no fields' }], 0);
  return finish([...builders.values()], rows, rowLines, issues, 'no rows');
}

/** Line 1's keys are the columns: a later line may leave one out (missing), not add one. */
function checkJsonRecord(
  record: Record<string, unknown>,
  builders: Map<string, ColumnBuilder>,
): { column?: string; message: string } | undefined {
  for (const [key, v] of Object.entries(record)) {
    if (!builders.has(key)) {
      const known = [...builders.keys()].join(', ');
      return { column: key, message: `unexpected column '${key}'; the first line defines the columns (${known})` };
    }
    if (v !== null && typeof v === 'object') {
      return { column: key, message: `expected a number, string, boolean or null, got ${jsonKind(v)}` };
    }
  }
  return undefined;
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function finish(
  builders: ColumnBuilder[],
  rows: number,
  lines: number[],
  issues: Issues,
  emptyWhat: string,
): ParseResult {
  if (issues.rows > 0) return fail(issues.list, issues.rows);
  if (rows === 0) return fail([{ message: `the file has ${emptyWhat}; a dataset needs at least one row` }], 0);
  const built = builders.map((b) => b.build(lines));
  return { ok: true, table: { rows, columns: built.map((b) => b.column) }, stats: built.map((b) => b.stats) };
}

function fail(issues: ErrorDetail[], invalidRows: number): ParseResult {
  const summary =
    invalidRows > 0
      ? `Dataset has ${invalidRows} invalid row${invalidRows === 1 ? '' : 's'}${invalidRows > MAX_ISSUES ? ` (the first ${MAX_ISSUES} are listed)` : ''}`
      : `Dataset is invalid: ${issues[0]?.message ?? 'unknown problem'}`;
  return { ok: false, issues, invalidRows, summary };
}
