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

  build(): { column: TableColumn; stats: ColumnStats } {
    const cells = this.cells;
    return this.buildNumbers(cells) ?? this.buildStrings(cells);
  }

  /** One pass: the number column, or undefined at the first present cell that is not numeric. */
  private buildNumbers(cells: RawCell[]): { column: TableColumn; stats: ColumnStats } | undefined {
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
      if (v === undefined) return undefined;
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
