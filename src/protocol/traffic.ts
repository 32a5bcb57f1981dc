// How a traffic split picks a version, shared by the server and the msw mock so a routing key lands on the same
// version on both.

/** A routing key mapped to [0, 1): FNV-1a, so the same key gets the same version while the weights stand. */
export function hashUnit(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/**
 * The entry a point in [0, 1) falls on when the entries (weight > 0) are laid end to end by weight, or undefined
 * when none has weight.
 */
export function pickByWeight<T extends { weight: number }>(entries: readonly T[], unit: number): T | undefined {
  const live = entries.filter((e) => e.weight > 0);
  const total = live.reduce((n, e) => n + e.weight, 0);
  if (total <= 0) return undefined;
  let point = unit * total;
  for (const e of live) {
    point -= e.weight;
    if (point < 0) return e;
  }
  return live[live.length - 1];
}
