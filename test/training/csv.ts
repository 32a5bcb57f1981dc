import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A numeric CSV for tests: header row, then comma-separated numbers (no quoting needed for these files). */
export interface NumericCsv {
  header: string[];
  /** One Float64Array per column. */
  columns: Float64Array[];
  rows: number;
}

export function readNumericCsv(path: string): NumericCsv {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const rows = lines.length - 1;
  const columns = header.map(() => new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(',');
    if (cells.length !== header.length)
      throw new Error(`${path}:${r + 2}: ${cells.length} cells, expected ${header.length}`);
    for (let c = 0; c < cells.length; c++) columns[c]![r] = cells[c] === '' ? Number.NaN : Number(cells[c]);
  }
  return { header, columns, rows };
}

/** The digits split, committed with the tests (see its README.md for where it comes from). */
export const DIGITS_DIR = fileURLToPath(new URL('../data/digits/', import.meta.url));

/** digits train/test as features (f0..f63) + label columns. */
export function loadDigits(): {
  train: { features: Float64Array[]; target: Float64Array };
  test: { features: Float64Array[]; target: Float64Array };
} {
  const split = (csv: NumericCsv) => {
    const label = csv.header.indexOf('label');
    return { features: csv.columns.filter((_, i) => i !== label), target: csv.columns[label]! };
  };
  return {
    train: split(readNumericCsv(`${DIGITS_DIR}train.csv`)),
    test: split(readNumericCsv(`${DIGITS_DIR}test.csv`)),
  };
}
