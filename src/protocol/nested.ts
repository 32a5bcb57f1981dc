// Nested JSON arrays ↔ flat row-major data. Walks only the outer levels and hands the innermost rows to the
// caller, so elements are touched once (Array.prototype.flat is ~40x slower than JSON.parse on 150k floats).

import { ProtocolError } from './errors.js';
import { describeValue, formatShape } from './tensor.js';

/** `[1][2]` — the index path of flat element `flat` in a row-major tensor of `shape`. */
export function indexPath(flat: number, shape: readonly number[]): string {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const dim = shape[d]!;
    idx[d] = dim === 0 ? 0 : flat % dim;
    flat = dim === 0 ? 0 : Math.floor(flat / dim);
  }
  return idx.map((i) => `[${i}]`).join('');
}

/**
 * Visits the innermost arrays of `data`, checking that every level (all but the last) is an array whose
 * length matches `shape`. `visit(row, offset)` gets each innermost array and its flat offset; it checks the
 * row's own elements. `shapeLabel` says where the expected shape comes from, for messages.
 */
export function forEachRow(
  data: readonly unknown[],
  shape: readonly number[],
  field: string,
  visit: (row: readonly unknown[], offset: number) => void,
  shapeLabel = `shape ${formatShape(shape)}`,
): void {
  const rank = shape.length;
  const last = shape[rank - 1] ?? 1;
  let offset = 0;
  const path: number[] = [];
  const where = () => field + path.map((i) => `[${i}]`).join('');
  const walk = (arr: readonly unknown[], depth: number): void => {
    const dim = shape[depth]!;
    if (arr.length !== dim) {
      throw new ProtocolError(
        'input_shape_mismatch',
        where(),
        `expected ${dim} values (dimension ${depth} of ${shapeLabel}), got ${arr.length}`,
      );
    }
    if (depth === rank - 1) {
      visit(arr, offset);
      offset += last;
      return;
    }
    for (let i = 0; i < arr.length; i++) {
      const child = arr[i];
      path.push(i);
      if (!Array.isArray(child)) {
        throw new ProtocolError(
          'input_shape_mismatch',
          where(),
          `expected an array of ${shape[depth + 1]} values (dimension ${depth + 1} of ${shapeLabel}), got ${describeValue(child)}`,
        );
      }
      walk(child, depth + 1);
      path.pop();
    }
  };
  walk(data, 0);
}

/** The shape a nested value implies, following first elements (a non-array is a scalar, shape []). */
export function inferShape(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/** Rebuilds nested arrays of `shape` from flat row-major values (a scalar for shape []). */
export function nestFlat<T>(flat: readonly T[], shape: readonly number[], start = 0): unknown {
  const rank = shape.length;
  if (rank === 0) return flat[start];
  const build = (depth: number, offset: number, stride: number): unknown[] => {
    const dim = shape[depth]!;
    if (depth === rank - 1) return flat.slice(offset, offset + dim);
    const inner = stride / (dim || 1);
    const out = new Array<unknown>(dim);
    for (let i = 0; i < dim; i++) out[i] = build(depth + 1, offset + i * inner, inner);
    return out;
  };
  let size = 1;
  for (const d of shape) size *= d;
  return build(0, start, size);
}
