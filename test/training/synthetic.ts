import { Rng } from '../../server/training/rng.js';

/** Standard normal via Box–Muller on the project's seeded RNG. */
export function normal(rng: Rng): number {
  const u = 1 - rng.float();
  const v = rng.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function randomArray(rng: Rng, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => normal(rng) * scale);
}

/** y = x·w + bias + noise·N(0,1), features with their own offsets and scales so standardization matters. */
export function linearData(seed: number, rows: number, w: number[], bias: number, noise: number) {
  const rng = new Rng(seed);
  const offsets = w.map((_, i) => 3 * i - 2);
  const scales = w.map((_, i) => 0.5 + 2 * i);
  const features = w.map((_, i) => Float64Array.from({ length: rows }, () => offsets[i]! + scales[i]! * normal(rng)));
  const target = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let y = bias + noise * normal(rng);
    for (let i = 0; i < w.length; i++) y += w[i]! * features[i]![r]!;
    target[r] = y;
  }
  return { features, target };
}

/** Gaussian blobs around well separated centers; labels are the given class names. */
export function blobs(seed: number, perClass: number, centers: number[][], labels: (string | number)[], spread = 0.5) {
  const rng = new Rng(seed);
  const d = centers[0]!.length;
  const features = Array.from({ length: d }, () => new Float64Array(perClass * centers.length));
  const target: (string | number)[] = [];
  let r = 0;
  for (let c = 0; c < centers.length; c++) {
    for (let i = 0; i < perClass; i++, r++) {
      for (let j = 0; j < d; j++) features[j]![r] = centers[c]![j]! + spread * normal(rng);
      target.push(labels[c]!);
    }
  }
  return { features, target };
}

/** Row-major rows from columns, for predict(). */
export function rowsOf(columns: ArrayLike<number>[]): number[][] {
  const n = columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, r) => columns.map((c) => c[r]!));
}
