// How a shadow version's outputs compare with the primary's, shared by the server and the msw mock.
import { float16BitsToNumber, type Tensor } from './tensor.js';

export interface OutputComparison {
  /** Rows of [rows, classes] outputs whose argmax (top class) agreed, and rows compared. */
  agreeing: number;
  rows: number;
  /** Largest absolute difference over every numeric output both have; null when none could be compared. */
  maxAbsDiff: number | null;
}

/** Compares outputs by name: numeric ones element by element (FP16 as its value), [rows, classes] ones by argmax too. */
export function compareOutputs(primary: readonly Tensor[], shadow: readonly Tensor[]): OutputComparison {
  const out: OutputComparison = { agreeing: 0, rows: 0, maxAbsDiff: null };
  for (const p of primary) {
    const s = shadow.find((t) => t.name === p.name);
    if (
      !s ||
      s.datatype !== p.datatype ||
      Array.isArray(p.data) ||
      Array.isArray(s.data) ||
      p.data.length !== s.data.length
    ) {
      continue;
    }
    const value =
      p.datatype === 'FP16'
        ? (v: number | bigint) => float16BitsToNumber(Number(v))
        : (v: number | bigint) => Number(v);
    const a = p.data as unknown as ArrayLike<number | bigint>;
    const b = s.data as unknown as ArrayLike<number | bigint>;
    let max = out.maxAbsDiff ?? 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(value(a[i]!) - value(b[i]!)));
    out.maxAbsDiff = max;
    const [rows, classes] = p.shape;
    if (p.shape.length === 2 && rows !== undefined && classes !== undefined && classes > 1) {
      for (let r = 0; r < rows; r++) {
        if (argmax(a, r * classes, classes, value) === argmax(b, r * classes, classes, value)) out.agreeing++;
        out.rows++;
      }
    }
  }
  return out;
}

function argmax(
  values: ArrayLike<number | bigint>,
  start: number,
  count: number,
  value: (v: number | bigint) => number,
): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (value(values[start + i]!) > value(values[start + best]!)) best = i;
  return best;
}
