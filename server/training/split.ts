import type { Rng } from './rng.js';

/**
 * Holds out about `fraction` of the rows of every class for validation, chosen at random (seeded). Per class
 * the count is round(fraction · n_c), but a class always keeps at least one training row. Both results are in
 * ascending row order.
 */
export function stratifiedSplit(
  rows: Int32Array,
  classes: Int32Array,
  classCount: number,
  fraction: number,
  rng: Rng,
): { train: Int32Array; validation: Int32Array } {
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < rows.length; i++) byClass[classes[i]!]!.push(rows[i]!);
  const train: number[] = [];
  const validation: number[] = [];
  for (const members of byClass) {
    rng.shuffle(members);
    const held = Math.min(Math.round(fraction * members.length), Math.max(0, members.length - 1));
    for (let i = 0; i < members.length; i++) (i < held ? validation : train).push(members[i]!);
  }
  return { train: sorted(train), validation: sorted(validation) };
}

/** Holds out round(fraction · n) random rows (seeded), keeping at least one training row. */
export function randomSplit(
  rows: Int32Array,
  fraction: number,
  rng: Rng,
): { train: Int32Array; validation: Int32Array } {
  const order = Array.from(rows);
  rng.shuffle(order);
  const held = Math.min(Math.round(fraction * order.length), Math.max(0, order.length - 1));
  return { train: sorted(order.slice(held)), validation: sorted(order.slice(0, held)) };
}

function sorted(values: number[]): Int32Array {
  return Int32Array.from(values).sort();
}
