// Magnitude pruning: the smallest |w| become exactly zero, either over all weights at once (global: one threshold,
// so layers with many small weights lose more) or the same fraction of every weight tensor (layer).

export interface PrunableTensor {
  name: string;
  /** Modified in place: pruned entries become 0. */
  values: Float32Array;
}

/** Zeros round(sparsity · n) entries by magnitude; returns each tensor's keep mask (1 kept, 0 pruned). */
export function pruneByMagnitude(
  tensors: readonly PrunableTensor[],
  sparsity: number,
  scope: 'global' | 'layer',
): Map<string, Uint8Array> {
  const masks = new Map<string, Uint8Array>();
  if (scope === 'layer') {
    for (const t of tensors) masks.set(t.name, pruneSmallest([t.values], sparsity)[0]!);
    return masks;
  }
  const all = pruneSmallest(
    tensors.map((t) => t.values),
    sparsity,
  );
  for (const [i, t] of tensors.entries()) masks.set(t.name, all[i]!);
  return masks;
}

/** One selection over several arrays: the k = round(sparsity · total) smallest magnitudes (ties in order) go. */
function pruneSmallest(arrays: readonly Float32Array[], sparsity: number): Uint8Array[] {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const k = Math.round(sparsity * total);
  const masks = arrays.map((a) => new Uint8Array(a.length).fill(1));
  if (k === 0) return masks;
  const magnitudes = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) magnitudes[offset + i] = Math.abs(a[i]!);
    offset += a.length;
  }
  const threshold = magnitudes.sort()[k - 1]!;
  let below = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (Math.abs(a[i]!) < threshold) below++;
  // Everything under the threshold goes, then entries equal to it in order until k are gone.
  let ties = k - below;
  arrays.forEach((a, t) => {
    const mask = masks[t]!;
    for (let i = 0; i < a.length; i++) {
      const m = Math.abs(a[i]!);
      if (m < threshold || (m === threshold && ties-- > 0)) {
        a[i] = 0;
        mask[i] = 0;
      }
    }
  });
  return masks;
}
