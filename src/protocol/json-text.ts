// JSON text in and out with exact 64-bit integers and non-finite floats, keeping native JSON as the fast path.

import { isInteger, parse as parseLossless } from 'lossless-json';
import { ProtocolError } from './errors.js';

const TWO_POW_53 = 2 ** 53;
// An integer literal of 16+ digits where a JSON value can start (after [ , : whitespace or a minus sign).
// Tested on the raw text first: a regex scan is far cheaper than walking the parsed value, which then only runs
// for the rare body that holds such a literal.
const LONG_INTEGER_LITERAL = /[[,:\s-]\d{16}/;

/**
 * Parses JSON; integers that do not fit a float64 exactly come back as bigint, every other number as a
 * number. Plain `JSON.parse` is the fast path: the lossless re-parse only runs when the result holds a
 * number of magnitude >= 2^53 and the text holds a 16+ digit integer literal.
 * Throws ProtocolError('invalid_json') with the position on malformed text.
 */
export function parseJsonLossless(text: string, field = ''): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // tritonclient and TF Serving write non-finite floats as bare NaN / Infinity / -Infinity tokens, which are not
    // JSON: read them as the strings the tensor decoders take for them ("NaN", …), then parse again.
    const quoted = quoteNonFiniteTokens(text);
    if (quoted === undefined) throw invalidJson(text, e, field);
    return parseJsonLossless(quoted, field);
  }
  return needsLosslessReparse(text, value) ? parseLossless(text, null, losslessOptions) : value;
}

const NON_FINITE = /NaN|-?Infinity/;

/**
 * The text with every bare NaN, Infinity and -Infinity token (outside strings) quoted, or undefined when it has none
 * (the JSON is broken for another reason).
 */
export function quoteNonFiniteTokens(text: string): string | undefined {
  if (!NON_FINITE.test(text)) return undefined;
  let out = '';
  let changed = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      // Copy a string literal whole, escapes included.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const token = /^(-?Infinity|NaN)(?![A-Za-z0-9_])/.exec(text.slice(i, i + 9));
    const before = out.trimEnd().at(-1);
    if (token && (before === undefined || before === '[' || before === ',' || before === ':')) {
      out += `"${token[1]}"`;
      i += token[1]!.length;
      changed = true;
      continue;
    }
    out += c;
    i++;
  }
  return changed ? out : undefined;
}

/** Whether `JSON.parse(text)` (given as `parsed`) may have rounded an integer literal. */
export function needsLosslessReparse(text: string, parsed: unknown): boolean {
  return LONG_INTEGER_LITERAL.test(text) && hasUnsafeNumber(parsed);
}

const losslessOptions = {
  parseNumber: (s: string): number | bigint => {
    if (!isInteger(s)) return Number(s);
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : BigInt(s);
  },
  // JSON.parse keeps the last duplicate; lossless-json would throw. Stay consistent with the fast path.
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};

function hasUnsafeNumber(v: unknown): boolean {
  if (typeof v === 'number') return v >= TWO_POW_53 || v <= -TWO_POW_53;
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (typeof e === 'number') {
        if (e >= TWO_POW_53 || e <= -TWO_POW_53) return true;
      } else if (typeof e === 'object' && e !== null && hasUnsafeNumber(e)) return true;
    }
    return false;
  }
  for (const k in v) if (hasUnsafeNumber((v as Record<string, unknown>)[k])) return true;
  return false;
}

function invalidJson(text: string, nativeError: unknown, field: string): ProtocolError {
  // Node 20's JSON.parse messages do not always carry a position; lossless-json's always do.
  let reason = nativeError instanceof Error ? nativeError.message : String(nativeError);
  try {
    parseLossless(text, null, losslessOptions);
  } catch (e) {
    if (e instanceof Error) reason = e.message;
  }
  return new ProtocolError('invalid_json', field, `expected valid JSON, got: ${reason}`);
}

/**
 * JSON.stringify that writes bigint as bare integer literals, NaN/±Infinity as "NaN"/"Infinity"/"-Infinity"
 * and keeps the sign of -0. A value native JSON.stringify writes exactly (plain objects and arrays of finite numbers,
 * strings, booleans, null) goes through it in one call after one scan; anything else takes the lossless writer.
 */
export function stringifyJson(value: unknown): string {
  if (isNativeJson(value)) return JSON.stringify(value);
  return write(value) ?? 'null';
}

/**
 * Whether native JSON.stringify writes `v` exactly as `stringifyJson` does: plain objects and arrays of finite numbers
 * (not -0), strings, booleans and null. A body built from such parts can skip the scan and call JSON.stringify.
 */
export function isNativeJson(v: unknown): boolean {
  switch (typeof v) {
    case 'number':
      return v - v === 0 && (v !== 0 || 1 / v > 0);
    case 'string':
    case 'boolean':
      return true;
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const e = v[i];
          if (typeof e === 'number') {
            if (e - e !== 0 || (e === 0 && 1 / e < 0)) return false;
          } else if (typeof e !== 'string' && typeof e !== 'boolean' && !isNativeJson(e)) return false;
        }
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false; // Date, typed arrays, class instances: toJSON & co
      for (const k in v) {
        const e = (v as Record<string, unknown>)[k];
        // An undefined member is left out by both writers.
        if (e !== undefined && !isNativeJson(e)) return false;
      }
      return true;
    }
    default:
      // undefined at the top (native returns no string at all), bigint, functions, symbols.
      return false;
  }
}

function write(v: unknown): string | undefined {
  switch (typeof v) {
    case 'number':
      if (v - v === 0) return v === 0 && 1 / v < 0 ? '-0' : String(v);
      return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) return writeArray(v);
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return write(toJSON.call(v));
      return writeObject(v as Record<string, unknown>);
    }
    default:
      return undefined;
  }
}

function writeArray(a: readonly unknown[]): string {
  if (isPlainScalarArray(a)) return JSON.stringify(a);
  let s = '[';
  for (let i = 0; i < a.length; i++) {
    if (i > 0) s += ',';
    s += write(a[i]) ?? 'null';
  }
  return `${s}]`;
}

function writeObject(o: Record<string, unknown>): string {
  let s = '{';
  let first = true;
  for (const k of Object.keys(o)) {
    const part = write(o[k]);
    if (part === undefined) continue;
    if (!first) s += ',';
    s += `${JSON.stringify(k)}:${part}`;
    first = false;
  }
  return `${s}}`;
}

function isPlainScalarArray(a: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const e = a[i];
    if (typeof e === 'number') {
      // Non-finite needs a string, and native JSON writes -0 as 0.
      if (e - e !== 0 || (e === 0 && 1 / e < 0)) return false;
    } else if (typeof e !== 'string' && typeof e !== 'boolean' && e !== null) return false;
  }
  return true;
}
