import type { TargetColumn } from './types.js';

/**
 * Class labels → indices 0..k−1 in sorted order (numbers numerically, strings by code unit), so the same data gives
 * the same output order every time; the label list travels with the model for export.
 */
export class LabelEncoder {
  private readonly index = new Map<number | string, number>();

  constructor(readonly labels: number[] | string[]) {
    for (let i = 0; i < labels.length; i++) this.index.set(labels[i]!, i);
  }

  get size(): number {
    return this.labels.length;
  }

  /** The label's index, or −1 when missing or not a known class. */
  encode(value: unknown): number {
    const key = this.numeric ? value : typeof value === 'number' ? String(value) : value;
    if (isMissingTarget(key)) return -1;
    return this.index.get(key as number | string) ?? -1;
  }

  private get numeric(): boolean {
    return typeof this.labels[0] === 'number';
  }

  /** Labels seen at the given rows; numbers if every present value there is a number, else strings. */
  static fromTarget(target: TargetColumn, rows: Int32Array): LabelEncoder {
    const seen = new Set<number | string>();
    let allNumbers = true;
    for (let i = 0; i < rows.length; i++) {
      const v = target[rows[i]!];
      if (isMissingTarget(v)) continue;
      if (typeof v !== 'number') allNumbers = false;
      seen.add(v as number | string);
    }
    if (allNumbers) return new LabelEncoder([...(seen as Set<number>)].sort((a, b) => a - b));
    const strings = [...new Set([...seen].map(String))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new LabelEncoder(strings);
  }
}

/** Missing target cells: NaN, ±Infinity, null, undefined, ''. */
export function isMissingTarget(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  return v === null || v === undefined || v === '';
}
