import {
  allocateTensorData,
  type Datatype,
  elementCount,
  float16BitsToNumber,
  numberToFloat16Bits,
  type Tensor,
  type TensorData,
} from '../protocol/tensor.js';
import type { TensorMetadata } from './types.js';

/** What the fake model needs to know about a version. */
export interface FakeModelSpec {
  outputs: readonly TensorMetadata[];
  /** Class labels of a trained classifier (see `label` below). */
  labels?: ReadonlyArray<string | number>;
}

type Kind = 'float' | 'int' | 'bool' | 'bytes';

function kindOf(datatype: Datatype): Kind {
  if (datatype === 'FP16' || datatype === 'FP32' || datatype === 'FP64') return 'float';
  if (datatype === 'BOOL') return 'bool';
  if (datatype === 'BYTES') return 'bytes';
  return 'int';
}

/** num(x) of the documentation: the number an element contributes to its sample's sum. */
function elementValue(t: Tensor, i: number): number {
  switch (t.datatype) {
    case 'BYTES':
      return new TextEncoder().encode((t.data as string[])[i] ?? '').length;
    case 'FP16': {
      const v = float16BitsToNumber((t.data as Uint16Array)[i] ?? 0);
      return Number.isFinite(v) ? v : 0;
    }
    case 'FP32':
    case 'FP64': {
      const v = (t.data as Float32Array)[i] ?? 0;
      return Number.isFinite(v) ? v : 0;
    }
    case 'INT64':
    case 'UINT64':
      return Number((t.data as BigInt64Array)[i] ?? 0n);
    default:
      return (t.data as Int32Array)[i] ?? 0;
  }
}

/** S_b: the sum of num(x) over row b (dimension 0) of every input; a rank-0 input counts in every row. */
export function sampleSums(inputs: readonly Tensor[], batch: number): number[] {
  const sums = new Array<number>(batch).fill(0);
  for (const t of inputs) {
    const count = t.data.length;
    if (t.shape.length === 0) {
      for (let b = 0; b < batch; b++) sums[b] = (sums[b] ?? 0) + elementValue(t, 0);
      continue;
    }
    const rows = t.shape[0] ?? 0;
    const per = rows === 0 ? 0 : count / rows;
    for (let b = 0; b < Math.min(batch, rows); b++) {
      let s = 0;
      for (let i = b * per; i < (b + 1) * per; i++) s += elementValue(t, i);
      sums[b] = (sums[b] ?? 0) + s;
    }
  }
  return sums;
}

function matchingInput(output: TensorMetadata, inputs: readonly Tensor[]): Tensor | undefined {
  const kind = kindOf(output.datatype);
  if (kind === 'float') return undefined;
  return inputs
    .filter((i) => kindOf(i.datatype) === kind && (output.name === i.name || output.name.startsWith(`${i.name}_`)))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

/** Stores a JS number or bigint into element i of `out` as a typed-array store would (wrapping integers). */
function store(out: TensorData, datatype: Datatype, i: number, value: number | bigint | string): void {
  switch (datatype) {
    case 'INT64':
      (out as BigInt64Array)[i] = BigInt.asIntN(
        64,
        typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value))),
      );
      return;
    case 'UINT64':
      (out as BigUint64Array)[i] = BigInt.asUintN(
        64,
        typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value))),
      );
      return;
    case 'FP16':
      (out as Uint16Array)[i] = numberToFloat16Bits(Number(value));
      return;
    case 'BOOL':
      (out as Uint8Array)[i] = value ? 1 : 0;
      return;
    case 'BYTES':
      (out as string[])[i] = String(value);
      return;
    default:
      (out as Int32Array)[i] = Number(value);
  }
}

function resolveShape(shape: readonly number[], batch: number): number[] {
  return shape.map((d, i) => (d >= 0 ? d : i === 0 ? batch : 1));
}

function softmaxRows(sums: readonly number[], perSample: number): number[][] {
  return sums.map((s) => {
    const z = Array.from({ length: perSample }, (_, j) => Math.sin(s + j));
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / total);
  });
}

function computeOutput(
  spec: FakeModelSpec,
  output: TensorMetadata,
  inputs: readonly Tensor[],
  batch: number,
  sums: number[],
): Tensor {
  const { name, datatype } = output;
  const match = matchingInput(output, inputs);
  if (match) {
    const out = allocateTensorData(datatype, match.data.length);
    for (let i = 0; i < match.data.length; i++) {
      if (datatype === 'BYTES') (out as string[])[i] = (match.data as string[])[i] ?? '';
      else if (datatype === 'BOOL') (out as Uint8Array)[i] = (match.data as Uint8Array)[i] ? 0 : 1;
      else {
        const x = (match.data as BigInt64Array | Int32Array)[i] ?? 0;
        store(out, datatype, i, typeof x === 'bigint' ? x + 1n : x + 1);
      }
    }
    return { name, datatype, shape: [...match.shape], data: out };
  }
  const shape = resolveShape(output.shape, batch);
  const count = elementCount(shape);
  const rows = shape.length === 0 ? 1 : batch;
  const perSample = rows === 0 ? 0 : count / rows;
  const out = allocateTensorData(datatype, count);
  if (name === 'label' && spec.labels && spec.labels.length > 0) {
    const probabilities = softmaxRows(sums, spec.labels.length);
    for (let b = 0; b < rows; b++) {
      const p = probabilities[b] ?? [];
      const label = spec.labels[p.indexOf(Math.max(...p))] ?? spec.labels[0]!;
      for (let j = 0; j < perSample; j++) store(out, datatype, b * perSample + j, label);
    }
    return { name, datatype, shape, data: out };
  }
  const kind = kindOf(datatype);
  const probabilities = kind === 'float' ? softmaxRows(sums.slice(0, rows), perSample) : [];
  for (let b = 0; b < rows; b++) {
    const s = sums[b] ?? 0;
    for (let j = 0; j < perSample; j++) {
      const i = b * perSample + j;
      if (kind === 'float') {
        const v = probabilities[b]?.[j] ?? 0;
        if (datatype === 'FP16') (out as Uint16Array)[i] = numberToFloat16Bits(v);
        else (out as Float32Array)[i] = v;
      } else if (kind === 'int') store(out, datatype, i, Math.trunc(s) + j);
      else if (kind === 'bool') (out as Uint8Array)[i] = (((Math.trunc(s) + j) % 2) + 2) % 2;
      else (out as string[])[i] = String(s);
    }
  }
  return { name, datatype, shape, data: out };
}

/**
 * The mock's model: a documented, deterministic function of the inputs (checked against the signature first).
 *
 * - B (batch) = dimension 0 of the first input (1 when it is a scalar or there is no input).
 * - S_b = Σ num(x) over row b (the b-th slice along dimension 0) of every input, where num(x) is the value for
 *   numbers (bigint → Number; NaN/±Infinity count 0), 1/0 for BOOL, and the UTF-8 byte length for BYTES.
 * - An output's shape is its declared shape with -1 at position 0 → B and any other -1 → 1.
 * - Integer, BOOL and BYTES outputs *matched* to an input — same kind of datatype and the output's name equals the
 *   input's or starts with `<input>_` (e.g. `ids_plus_one` ← `ids`; longest input name wins) — take that input's
 *   shape and are element-wise: integers x + 1 (wrapping like a typed-array store), BOOL ¬x, BYTES x unchanged.
 * - FP16/FP32/FP64 outputs: per row b, softmax over j = 0..K−1 of sin(S_b + j), K = elements per row (so each row
 *   sums to 1), computed in float64 and then stored in the output's datatype.
 * - Unmatched integer outputs: element (b, j) = trunc(S_b) + j. Unmatched BOOL: (trunc(S_b) + j) is odd.
 *   Unmatched BYTES: String(S_b) (JavaScript number formatting) for every element of row b.
 * - `label` of a trained classifier (a version with class labels): labels[argmax_j softmax_j(sin(S_b + j))] over
 *   C = number of labels, i.e. the class the `probabilities` output ranks first.
 */
export function runFakeModel(
  spec: FakeModelSpec,
  inputs: readonly Tensor[],
  outputNames?: readonly string[],
): Tensor[] {
  const first = inputs[0];
  const batch = first && first.shape.length > 0 ? (first.shape[0] ?? 1) : 1;
  const sums = sampleSums(inputs, batch);
  const wanted = outputNames ?? spec.outputs.map((o) => o.name);
  return wanted.map((name) => {
    const output = spec.outputs.find((o) => o.name === name);
    if (!output) throw new Error(`runFakeModel: no output '${name}'`);
    return computeOutput(spec, output, inputs, batch, sums);
  });
}
