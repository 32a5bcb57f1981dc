import type { components } from '../../generated/openapi.js';

export type DatasetColumn = components['schemas']['DatasetColumn'];
export type DatasetFormat = components['schemas']['Dataset']['format'];

/** A parsed dataset, column by column. Numbers use NaN for missing cells, strings use null. */
export interface Table {
  rows: number;
  columns: TableColumn[];
}

export type TableColumn = NumberColumn | StringColumn;

export interface NumberColumn {
  name: string;
  type: 'number';
  values: Float64Array;
  missing: number;
}

export interface StringColumn {
  name: string;
  type: 'string';
  values: (string | null)[];
  missing: number;
}

/**
 * What the job service needs to check a training spec without re-reading the rows: every present value
 * an integer (numbers), and how many distinct values (counted up to DISTINCT_CAP + 1).
 */
export interface ColumnStats {
  name: string;
  integer: boolean;
  distinct: number;
  /**
   * A string column whose present cells are mostly numbers: probably a numeric column with a few stray cells, which
   * the spec resolution points out (line and value of the first such cell; how many there are; how many numbers).
   */
  notNumeric?: NotNumericCells;
}

/** The cells that made a mostly numeric column a string column. */
export interface NotNumericCells {
  /** Line of the uploaded file the first of them is on (CSV: 1 is the header row). */
  line: number;
  value: string;
  count: number;
  /** Present cells that are numbers. */
  numbers: number;
}

export const DISTINCT_CAP = 1000;

/** A cell as it came: a CSV string, or a JSON scalar; undefined/null/'' are missing. */
export type RawCell = string | number | boolean | null | undefined;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Collects one column's cells, then decides its type: number when every present cell is numeric. */
export class ColumnBuilder {
  private readonly cells: RawCell[] = [];

  constructor(readonly name: string) {}

  push(cell: RawCell): void {
    this.cells.push(cell);
  }

  /** `lines[i]` is the file line row i came from (to say where a stray non-numeric cell is). */
  build(lines: ArrayLike<number>): { column: TableColumn; stats: ColumnStats } {
    const cells = this.cells;
    const numbers = this.buildNumbers(cells);
    if (typeof numbers !== 'number') return numbers;
    const built = this.buildStrings(cells);
    const stray = notNumericFrom(cells, numbers, lines);
    if (stray.numbers > stray.count) built.stats.notNumeric = stray;
    return built;
  }

  /** One pass: the number column, or the index of the first present cell that is not numeric. */
  private buildNumbers(cells: RawCell[]): { column: TableColumn; stats: ColumnStats } | number {
    const values = new Float64Array(cells.length);
    const seen = new Set<number>();
    let missing = 0;
    let integer = true;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (isMissing(cell)) {
        values[i] = Number.NaN;
        missing++;
        continue;
      }
      const v = toNumber(cell);
      if (v === undefined) return i;
      values[i] = v;
      if (integer && !Number.isInteger(v)) integer = false;
      if (seen.size <= DISTINCT_CAP) seen.add(v);
    }
    return {
      column: { name: this.name, type: 'number', values, missing },
      stats: { name: this.name, integer, distinct: seen.size },
    };
  }

  private buildStrings(cells: RawCell[]): { column: TableColumn; stats: ColumnStats } {
    let missing = 0;
    const values: (string | null)[] = new Array(cells.length);
    const seen = new Set<string>();
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      const v = isMissing(cell) ? null : String(cell);
      if (v === null) missing++;
      values[i] = v;
      if (v !== null && seen.size <= DISTINCT_CAP) seen.add(v);
    }
    return {
      column: { name: this.name, type: 'string', values, missing },
      stats: { name: this.name, integer: false, distinct: seen.size },
    };
  }
}

/** Counts the numeric and the other present cells of a column whose cell `first` is the first non-numeric one. */
function notNumericFrom(cells: RawCell[], first: number, lines: ArrayLike<number>): NotNumericCells {
  let numbers = 0;
  let count = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (isMissing(cell)) continue;
    if (i < first || toNumber(cell) !== undefined) numbers++;
    else count++;
  }
  const value = String(cells[first]);
  return {
    line: lines[first] ?? first + 2,
    value: value.length > 40 ? `${value.slice(0, 37)}...` : value,
    count,
    numbers,
  };
}

function isMissing(cell: RawCell): boolean {
  if (cell === undefined || cell === null) return true;
  return typeof cell === 'string' && (cell === '' || (cell.charCodeAt(0) <= 32 && cell.trim() === ''));
}

function toNumber(cell: RawCell): number | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell !== 'string') return undefined;
  // Number() alone accepts '0x10', 'Infinity' and whitespace-only: the pattern keeps to decimal literals.
  const s = cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32 ? cell.trim() : cell;
  if (!NUMBER.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** The wire description of a table's columns. */
export function describeColumns(table: Table): DatasetColumn[] {
  return table.columns.map((c) => ({ name: c.name, type: c.type, missing: c.missing }));
}
