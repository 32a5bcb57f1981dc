import { invalidOption } from './errors.js';
import { quantizeDynamic } from './quantize-dynamic.js';
import { quantizeFp16 } from './quantize-fp16.js';
import { quantizeWeightOnly } from './quantize-weight-only.js';
import { finishRewrite, parseParent, type RewriteResult } from './rewrite.js';

/** `{ type: "quantize", precision, mode, per_channel? }`, as an optimisation job's body will carry it. */
export interface QuantizeSpec {
  type?: 'quantize';
  precision: 'fp16' | 'int8';
  /** int8 only (required there): integer arithmetic (`dynamic`) or int8 storage only (`weight_only`). */
  mode?: 'dynamic' | 'weight_only';
  /** int8: one scale per output channel instead of per tensor; default false. */
  per_channel?: boolean;
  /**
   * int8 dynamic: 7-bit weights, which u8s8 integer kernels without VNNI cannot saturate on; default: true with
   * per_channel, false without (see quantize-dynamic.ts).
   */
  reduce_range?: boolean;
}

export interface ResolvedQuantizeSpec {
  precision: 'fp16' | 'int8';
  mode: 'dynamic' | 'weight_only';
  per_channel: boolean;
  reduce_range: boolean;
}

/** The spec with defaults filled in; optimize_spec_invalid naming the field otherwise. */
export function resolveQuantizeSpec(spec: QuantizeSpec): ResolvedQuantizeSpec {
  if (spec.type !== undefined && spec.type !== 'quantize') invalidOption('type', '"quantize"', spec.type);
  const { precision } = spec;
  if (precision !== 'fp16' && precision !== 'int8') invalidOption('precision', '"fp16" or "int8"', precision);
  const mode = spec.mode ?? (precision === 'fp16' ? 'weight_only' : undefined);
  if (mode !== 'dynamic' && mode !== 'weight_only') invalidOption('mode', '"dynamic" or "weight_only"', spec.mode);
  if (precision === 'fp16' && mode !== 'weight_only') {
    invalidOption('mode', 'nothing or "weight_only" with precision fp16 (FP16 weights, FP32 arithmetic)', mode);
  }
  const perChannel = spec.per_channel ?? false;
  if (typeof perChannel !== 'boolean') invalidOption('per_channel', 'a boolean', perChannel);
  if (precision === 'fp16' && perChannel) invalidOption('per_channel', 'false with precision fp16', perChannel);
  const reduceRange = spec.reduce_range ?? perChannel;
  if (typeof reduceRange !== 'boolean') invalidOption('reduce_range', 'a boolean', reduceRange);
  return { precision, mode, per_channel: perChannel, reduce_range: reduceRange };
}

/**
 * Quantises any ONNX model's MatMul/Gemm/Conv weights: fp16 storage, int8 dynamic (integer arithmetic) or int8
 * weight-only. Pure: bytes in, bytes out, with the session options the result needs and a report.
 *
 * @example
 * const { bytes, sessionConfig, report } = quantize(parent, { precision: 'int8', mode: 'dynamic' });
 * const model = await openOnnxModel(bytes, { configEntries: sessionConfig });
 */
export function quantize(parent: Uint8Array, spec: QuantizeSpec): RewriteResult {
  const s = resolveQuantizeSpec(spec);
  const graph = parseParent(parent);
  const outcome =
    s.precision === 'fp16'
      ? quantizeFp16(graph)
      : s.mode === 'dynamic'
        ? quantizeDynamic(graph, { perChannel: s.per_channel, bits: s.reduce_range ? 7 : 8 })
        : quantizeWeightOnly(graph, { perChannel: s.per_channel });
  return finishRewrite('quantize', parent, graph, outcome);
}
