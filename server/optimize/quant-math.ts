// Scale and zero-point arithmetic for int8 weights. Symmetric int8 (zero point 0) for MatMulInteger and
// DequantizeLinear; asymmetric uint8 for ConvInteger, which ONNX Runtime's CPU kernels only run fast as u8u8.

export interface QuantizedInt8 {
  values: Int8Array;
  /** One scale (per-tensor) or one per channel along the channel axis. */
  scales: Float32Array;
}

export interface QuantizedUint8 {
  values: Uint8Array;
  scale: number;
  zeroPoint: number;
}

/** Elements before and after `axis`: element i belongs to channel floor(i / inner) % dims[axis]. */
function channelLayout(dims: readonly number[], axis: number): { channels: number; inner: number } {
  let inner = 1;
  for (let d = axis + 1; d < dims.length; d++) inner *= dims[d]!;
  return { channels: dims[axis]!, inner };
}

/**
 * w ≈ q · scale with q in [−(2^(bits−1) − 1), 2^(bits−1) − 1] and scale = max|w| / qmax per tensor, or per channel
 * along `axis` when `axis` is not null. An all-zero tensor or channel gets scale 1 (every q is 0).
 */
export function quantizeSymmetric(
  w: Float32Array,
  dims: readonly number[],
  axis: number | null,
  bits: 7 | 8,
): QuantizedInt8 {
  const qmax = 2 ** (bits - 1) - 1;
  const { channels, inner } = axis === null ? { channels: 1, inner: w.length } : channelLayout(dims, axis);
  const channelOf = (i: number) => (axis === null ? 0 : Math.floor(i / inner) % channels);
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = channelOf(i);
    const a = Math.abs(w[i]!);
    if (a > maxAbs[c]!) maxAbs[c] = a;
  }
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
  const values = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const q = Math.round(w[i]! / scales[channelOf(i)]!);
    values[i] = Math.min(qmax, Math.max(-qmax, q));
  }
  return { values, scales };
}

/** w ≈ (q − zeroPoint) · scale with q in [0, 255], over the range [min(w, 0), max(w, 0)] (so 0 is exact). */
export function quantizeAsymmetricUint8(w: Float32Array): QuantizedUint8 {
  let min = 0;
  let max = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i]! < min) min = w[i]!;
    if (w[i]! > max) max = w[i]!;
  }
  const scale = Math.fround(max > min ? (max - min) / 255 : 1);
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-min / scale)));
  const values = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) values[i] = Math.min(255, Math.max(0, Math.round(w[i]! / scale) + zeroPoint));
  return { values, scale, zeroPoint };
}

/** [rows, cols] row-major → [cols, rows]. */
export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}
