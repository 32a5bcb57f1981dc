// The playground's form, as data: a model's declared inputs (datatype, shape with -1 for dynamic dimensions) become
// fields, what the user typed becomes SDK infer inputs (checked here with messages naming the input), and outputs
// become rows to show. Pure: no DOM, so it is tested in Node.
import type { Datatype, InferInput, Tensor, TensorMetadata } from '../../../../src/index.js';
import { tensorDataToJsonValues } from '../../../../src/protocol/json-values.js';

/** Inputs with at most this many elements get one box per element; larger ones a text area. */
export const MAX_CELLS = 16;

export type Scalar = number | bigint | boolean | string;

/** A problem with what was typed, naming the input. */
export class FormError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`${input}: ${message}`);
  }
}

/** The shape the form starts with: every dynamic dimension (-1) as 1 (one row). */
export function initialShape(declared: readonly number[]): number[] {
  return declared.map((d) => (d < 0 ? 1 : d));
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Parses "1, 4" or "[1,4]" and checks it against the declared shape (same rank; fixed dimensions kept). */
export function parseShape(input: TensorMetadata, text: string): number[] {
  const parts = text
    .replace(/[[\]]/g, ' ')
    .split(/[\s,×x]+/)
    .filter(Boolean);
  const shape = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) {
    throw new FormError(input.name, `shape: expected whole numbers such as "1, 4", got "${text}"`);
  }
  if (shape.length !== input.shape.length) {
    throw new FormError(
      input.name,
      `shape: the model declares ${input.shape.length} dimensions [${input.shape.join(', ')}], got ${shape.length}`,
    );
  }
  input.shape.forEach((declared, i) => {
    if (declared >= 0 && shape[i] !== declared) {
      throw new FormError(input.name, `shape: dimension ${i} is fixed at ${declared} by the model, got ${shape[i]}`);
    }
  });
  return shape;
}

/** Splits a text area into element texts: one line per element for BYTES, else numbers separated by spaces, commas or brackets (a pasted JSON array works). */
export function tokenize(datatype: Datatype, text: string): string[] {
  if (datatype === 'BYTES') return text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  return text.split(/[\s,[\]]+/).filter(Boolean);
}

const INT_RANGES: Partial<Record<Datatype, [bigint, bigint]>> = {
  INT8: [-128n, 127n],
  INT16: [-32768n, 32767n],
  INT32: [-2147483648n, 2147483647n],
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
  UINT8: [0n, 255n],
  UINT16: [0n, 65535n],
  UINT32: [0n, 4294967295n],
  UINT64: [0n, 2n ** 64n - 1n],
};

function parseElement(input: TensorMetadata, text: string, index: number): Scalar {
  const t = text.trim();
  const where = `element ${index}`;
  const { datatype } = input;
  if (datatype === 'BYTES') return text;
  if (datatype === 'BOOL') {
    if (/^(true|1)$/i.test(t)) return true;
    if (/^(false|0)$/i.test(t)) return false;
    throw new FormError(input.name, `${where}: expected true or false, got "${text}"`);
  }
  const range = INT_RANGES[datatype];
  if (range) {
    if (!/^[+-]?\d+$/.test(t))
      throw new FormError(input.name, `${where}: expected an integer (${datatype}), got "${text}"`);
    const value = BigInt(t);
    if (value < range[0] || value > range[1]) {
      throw new FormError(input.name, `${where}: ${t} is outside ${datatype}'s range ${range[0]} … ${range[1]}`);
    }
    // 64-bit integers stay exact as bigints; the others are plain numbers.
    return datatype === 'INT64' || datatype === 'UINT64' ? value : Number(value);
  }
  if (/^[+-]?(nan|inf|infinity)$/i.test(t))
    return t.toLowerCase().includes('nan') ? Number.NaN : t.startsWith('-') ? -Infinity : Infinity;
  const value = t === '' ? Number.NaN : Number(t);
  if (Number.isNaN(value)) throw new FormError(input.name, `${where}: expected a number (${datatype}), got "${text}"`);
  return value;
}

/** The element texts as values of the input's datatype, exactly `shape`'s element count of them. */
export function parseValues(input: TensorMetadata, shape: readonly number[], texts: readonly string[]): Scalar[] {
  const count = elementCount(shape);
  if (texts.length !== count) {
    const unit = input.datatype === 'BYTES' ? 'lines' : 'values';
    throw new FormError(
      input.name,
      `shape [${shape.join(', ')}] takes ${count} ${unit}, got ${texts.length}${input.datatype === 'BYTES' ? ' (one string per line)' : ''}`,
    );
  }
  return texts.map((t, i) => parseElement(input, t, i));
}

/** An SDK infer input: the datatype and shape said explicitly, so numbers go out as the model's type. */
export function toInferInput(input: TensorMetadata, shape: number[], values: Scalar[]): InferInput {
  return { datatype: input.datatype, shape, data: values as InferInput['data'] };
}

/** An output as the page shows it: JSON-ready values (BOOL as booleans, FP16 decoded, 64-bit integers exact). */
export interface OutputView {
  name: string;
  datatype: Datatype;
  shape: number[];
  values: (number | bigint | string | boolean)[];
}

export function outputView(tensor: Tensor): OutputView {
  return {
    name: tensor.name,
    datatype: tensor.datatype,
    shape: tensor.shape,
    values: tensorDataToJsonValues(tensor.datatype, tensor.data),
  };
}

/**
 * What the model predicts per row, where it says: its `label` output; else, for a `probabilities` output, the index
 * of the most probable class. Null for a model with neither.
 */
export function predictions(outputs: readonly OutputView[]): { kind: 'label' | 'class'; rows: string[] } | null {
  const label = outputs.find((o) => o.name === 'label');
  if (label) return { kind: 'label', rows: label.values.map(String) };
  const probabilities = outputs.find((o) => o.name === 'probabilities' && o.shape.length === 2);
  if (!probabilities) return null;
  const [rows = 0, classes = 0] = probabilities.shape;
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (Number(probabilities.values[r * classes + c]) > Number(probabilities.values[r * classes + best])) best = c;
    }
    out.push(`class ${best} (p = ${Number(probabilities.values[r * classes + best]).toPrecision(4)})`);
  }
  return { kind: 'class', rows: out };
}

/** JSON text of values, 64-bit integers as exact digits (for copying, and for tests that compare numbers). */
export function valuesJson(values: readonly (number | bigint | string | boolean)[]): string {
  return `[${values.map((v) => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' && !Number.isFinite(v) ? JSON.stringify(String(v)) : JSON.stringify(v))).join(',')}]`;
}
