import type { FeatureColumn, StringFeatureColumn } from './types.js';

/**
 * Categorical (string) features become one-hot columns before anything else sees them: the network, the
 * standardization and the optimizer only ever see numbers. The categories are the sorted distinct strings of the
 * training rows (by code unit, as class labels are), so the same data always gives the same column order; a string
 * not among them (at validation or inference) encodes as all zeros. The ONNX export writes the same encoding into the
 * graph, so callers send the strings themselves.
 */

/** A string column (a plain array holding strings); typed arrays and all-number arrays are numeric. */
export function isStringColumn(column: FeatureColumn): column is StringFeatureColumn {
  if (ArrayBuffer.isView(column)) return false;
  const values = column as ArrayLike<unknown>;
  for (let i = 0; i < values.length; i++) if (typeof values[i] === 'string') return true;
  return false;
}

/** Missing cells: non-finite numbers; null, undefined or '' strings. */
export function isMissingCell(column: FeatureColumn, row: number): boolean {
  const v = (column as ArrayLike<unknown>)[row];
  return typeof v === 'number' ? !Number.isFinite(v) : v === null || v === undefined || v === '';
}

/** Per feature: its categories (sorted distinct strings at `rows`) for a string column, null for a numeric one. */
export function fitCategories(columns: readonly FeatureColumn[], rows: Int32Array): (string[] | null)[] {
  return columns.map((column) => {
    if (!isStringColumn(column)) return null;
    const seen = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      const v = column[rows[i]!];
      if (typeof v === 'string' && v !== '') seen.add(v);
    }
    return [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  });
}

/** Number of network inputs the features make: 1 per numeric feature, one per category for a string one. */
export function encodedWidth(categories: readonly (readonly string[] | null)[]): number {
  return categories.reduce((n, c) => n + (c ? c.length : 1), 0);
}

/**
 * The features as numeric columns: numeric ones as they are, each string one as one 0/1 column per category
 * (a missing cell gives NaN in every column of its feature, so the row counts as incomplete; an unknown string 0s).
 */
export function encodeFeatures(
  columns: readonly FeatureColumn[],
  categories: readonly (readonly string[] | null)[],
): ArrayLike<number>[] {
  const out: ArrayLike<number>[] = [];
  columns.forEach((column, f) => {
    const cats = categories[f];
    if (!cats) {
      out.push(column as ArrayLike<number>);
      return;
    }
    const n = column.length;
    const index = new Map(cats.map((c, k) => [c, k]));
    const hot = cats.map(() => new Float64Array(n));
    for (let r = 0; r < n; r++) {
      const v = column[r];
      if (typeof v !== 'string' || v === '') {
        for (const h of hot) h[r] = Number.NaN;
        continue;
      }
      const k = index.get(v);
      if (k !== undefined) hot[k]![r] = 1;
    }
    out.push(...hot);
  });
  return out;
}

/** One raw row (features in order; strings for string features) as the network's numeric inputs. */
export function encodeRow(
  row: ArrayLike<number | string>,
  categories: readonly (readonly string[] | null)[],
  out: Float64Array,
  offset: number,
): void {
  let c = offset;
  categories.forEach((cats, f) => {
    const v = row[f];
    if (!cats) {
      out[c++] = typeof v === 'number' ? v : Number(v);
      return;
    }
    const k = cats.indexOf(String(v));
    for (let j = 0; j < cats.length; j++) out[c++] = j === k ? 1 : 0;
  });
}
