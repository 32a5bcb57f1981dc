// Triton's binary tensor extension: a JSON header of `Inference-Header-Content-Length` bytes, then the raw
// little-endian data of every header tensor that has `parameters.binary_data_size`, in header order.
// https://github.com/triton-inference-server/server/blob/main/docs/protocol/extension_binary_data.md

import { ProtocolError } from './errors.js';
import { decodeJsonTensor, decodeTensorHeader } from './json-tensor.js';
import { parseJsonLossless, stringifyJson } from './json-text.js';
import {
  checkElementLimit,
  checkTensor,
  type Datatype,
  type DecodeOptions,
  datatypeByteSize,
  describeValue,
  elementCount,
  formatShape,
  type Tensor,
  type TensorData,
  typedArrayConstructorOf,
  utf8ByteLength,
} from './tensor.js';
import { tryDecodeUtf8, utf8Encoder } from './utf8.js';

/** Header name, lower-cased as Node and fetch Headers report it. */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';
export const BINARY_CONTENT_TYPE = 'application/octet-stream';

export type TensorSection = 'inputs' | 'outputs';

/** Typed-array views are only a valid reading of the little-endian wire on a little-endian host. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The tensor's wire bytes. Fixed-size types are a view of the data's own memory on little-endian hosts
 * (no copy); BYTES is a 4-byte little-endian length then the UTF-8 bytes, per element.
 */
export function tensorToBytes(t: Tensor): Uint8Array {
  checkTensor(t);
  if (t.datatype === 'BYTES') return encodeBytesElements(t.data as string[]);
  const d = t.data as Exclude<TensorData, string[]>;
  const view = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  return HOST_IS_LITTLE_ENDIAN ? view : swapCopy(view, datatypeByteSize(t.datatype)!);
}

function encodeBytesElements(strings: readonly string[]): Uint8Array {
  let total = 0;
  const lengths = new Array<number>(strings.length);
  for (let i = 0; i < strings.length; i++) {
    const n = utf8ByteLength(strings[i]!);
    lengths[i] = n;
    total += 4 + n;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let off = 0;
  for (let i = 0; i < strings.length; i++) {
    const n = lengths[i]!;
    view.setUint32(off, n, true);
    utf8Encoder.encodeInto(strings[i]!, out.subarray(off + 4, off + 4 + n));
    off += 4 + n;
  }
  return out;
}

/**
 * Reads a tensor from its wire bytes. When `bytes` is suitably aligned the data is a view of the same
 * memory (zero-copy); otherwise it is copied into a fresh buffer first, never read through unaligned views.
 * `field` names the size in errors, e.g. `inputs[0].parameters.binary_data_size`.
 */
export function bytesToTensor(
  name: string,
  datatype: Datatype,
  shape: number[],
  bytes: Uint8Array,
  field: string,
  options?: DecodeOptions,
): Tensor {
  const count = elementCount(shape);
  checkElementLimit(count, field, options);
  if (datatype === 'BYTES')
    return { name, datatype, shape, data: decodeBytesElements(name, shape, count, bytes, field) };
  const size = datatypeByteSize(datatype)!;
  const expected = count * size;
  if (bytes.length !== expected) {
    throw new ProtocolError(
      'input_shape_mismatch',
      field,
      `tensor "${name}" of ${datatype} shape ${formatShape(shape)} needs ${expected} bytes (${count} × ${size}), got ${bytes.length}`,
    );
  }
  if (datatype === 'BOOL') {
    // Any non-zero byte is true on the wire; canonical BOOL data is 0/1.
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = bytes[i] !== 0 ? 1 : 0;
    return { name, datatype, shape, data: out };
  }
  let src = bytes;
  if (!HOST_IS_LITTLE_ENDIAN) src = swapCopy(bytes, size);
  else if (bytes.byteOffset % size !== 0) src = copyBytes(bytes);
  const arrayType = typedArrayConstructorOf(datatype)!;
  return { name, datatype, shape, data: new arrayType(src.buffer as ArrayBuffer, src.byteOffset, count) as TensorData };
}

function decodeBytesElements(name: string, shape: number[], count: number, bytes: Uint8Array, field: string): string[] {
  const out: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  const what = `tensor "${name}" of BYTES shape ${formatShape(shape)}`;
  let off = 0;
  while (off < end) {
    const k = out.length;
    if (k === count) {
      throw new ProtocolError(
        'input_shape_mismatch',
        field,
        `${what} needs ${count} elements, but ${end - off} bytes remain after element ${count - 1}`,
      );
    }
    if (end - off < 4) {
      throw new ProtocolError(
        'invalid_input',
        field,
        `${what}: element ${k} needs a 4-byte length prefix at byte ${off}, only ${end - off} bytes remain`,
      );
    }
    const n = view.getUint32(off, true);
    off += 4;
    if (n > end - off) {
      throw new ProtocolError(
        'invalid_input',
        field,
        `${what}: element ${k} declares ${n} bytes at byte ${off - 4}, only ${end - off} bytes remain`,
      );
    }
    const s = tryDecodeUtf8(bytes.subarray(off, off + n));
    if (s === undefined) {
      throw new ProtocolError('invalid_input', field, `${what}: element ${k} is not valid UTF-8`);
    }
    out.push(s);
    off += n;
  }
  if (out.length !== count) {
    throw new ProtocolError(
      'input_shape_mismatch',
      field,
      `${what} needs ${count} elements, got ${out.length} in ${end} bytes`,
    );
  }
  return out;
}

function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

function swapCopy(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]!;
  }
  return out;
}

export interface EncodeBinaryOptions {
  /** Header array the tensors belong to; default `inputs` when the header has it, else `outputs`. */
  section?: TensorSection;
}

/**
 * Builds a binary-extension body. Each tensor replaces (by name) its entry in `header[section]`, or is appended:
 * the entry gets the tensor's shape and datatype, `parameters.binary_data_size`, and no `data`. Entries for
 * other tensors stay as they are (JSON data). Binary sections follow the header's entry order.
 */
export function encodeBinaryBody(
  header: object,
  tensors: readonly Tensor[],
  options?: EncodeBinaryOptions,
): { body: Uint8Array; headerLength: number } {
  const h = header as Record<string, unknown>;
  const section = options?.section ?? (Array.isArray(h.inputs) ? 'inputs' : 'outputs');
  const pending = new Map<string, Tensor>();
  for (const t of tensors) {
    if (pending.has(t.name)) throw new ProtocolError('invalid_input', section, `tensor "${t.name}" is given twice`);
    pending.set(t.name, t);
  }
  const existing = h[section];
  const entries: unknown[] = [];
  const buffers: Uint8Array[] = [];
  const asBinaryEntry = (t: Tensor, base: Record<string, unknown>): Record<string, unknown> => {
    const bytes = tensorToBytes(t);
    buffers.push(bytes);
    const { data: _omitted, ...rest } = base;
    const parameters = { ...(rest.parameters as Record<string, unknown> | undefined), binary_data_size: bytes.length };
    return { ...rest, name: t.name, datatype: t.datatype, shape: t.shape, parameters };
  };
  if (Array.isArray(existing)) {
    for (const entry of existing) {
      const name = (entry as { name?: unknown } | null)?.name;
      const t = typeof name === 'string' ? pending.get(name) : undefined;
      if (t === undefined) entries.push(entry);
      else {
        pending.delete(t.name);
        entries.push(asBinaryEntry(t, entry as Record<string, unknown>));
      }
    }
  }
  for (const t of pending.values()) entries.push(asBinaryEntry(t, {}));
  const headerBytes = utf8Encoder.encode(stringifyJson({ ...h, [section]: entries }));
  let total = headerBytes.length;
  for (const b of buffers) total += b.length;
  const body = new Uint8Array(total);
  body.set(headerBytes, 0);
  let off = headerBytes.length;
  for (const b of buffers) {
    body.set(b, off);
    off += b.length;
  }
  return { body, headerLength: headerBytes.length };
}

/**
 * Reads the `Inference-Header-Content-Length` header value; undefined when absent (the whole body is JSON).
 */
export function parseHeaderLength(value: string | readonly string[] | number | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = typeof value === 'object' ? value[0] : value;
  if (raw === undefined) return undefined;
  const n = typeof raw === 'number' ? raw : /^\s*\d{1,15}\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ProtocolError(
      'invalid_input',
      INFERENCE_HEADER_CONTENT_LENGTH,
      `expected a non-negative integer, got ${describeValue(raw)}`,
    );
  }
  return n;
}

export interface DecodeBinaryOptions extends DecodeOptions {
  /** Header array holding the tensors; default `inputs` when the header has it, else `outputs`. */
  section?: TensorSection;
}

export interface DecodedBinaryBody {
  /** The parsed JSON header, as sent (binary entries keep their `parameters.binary_data_size`). */
  header: Record<string, unknown>;
  section: TensorSection;
  /** One tensor per entry of `header[section]`, in order, from binary data or from JSON `data`. */
  tensors: Tensor[];
}

/**
 * Decodes a binary-extension body (or, with `headerLength` undefined, a plain JSON body given as bytes or as text).
 * Checks the header length against the body, that the binary sizes add up to exactly the bytes after the
 * header, and each tensor's size against its shape and datatype.
 */
export function decodeBinaryBody(
  body: Uint8Array | string,
  headerLength: number | undefined,
  options?: DecodeBinaryOptions,
): DecodedBinaryBody {
  if (typeof body === 'string' && headerLength !== undefined) {
    throw new ProtocolError('invalid_input', INFERENCE_HEADER_CONTENT_LENGTH, 'expected a binary body, got text');
  }
  const total = typeof body === 'string' ? 0 : body.length;
  const hl = headerLength ?? total;
  if (!Number.isSafeInteger(hl) || hl < 0 || hl > total) {
    throw new ProtocolError(
      'invalid_input',
      INFERENCE_HEADER_CONTENT_LENGTH,
      `expected an integer between 0 and ${total} (the body size), got ${hl}`,
    );
  }
  const text = typeof body === 'string' ? body : tryDecodeUtf8(body.subarray(0, hl));
  if (text === undefined) throw new ProtocolError('invalid_json', 'header', 'expected UTF-8 JSON, got invalid UTF-8');
  const parsed = parseJsonLossless(text, 'header');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError('invalid_input', 'header', `expected a JSON object, got ${describeValue(parsed)}`);
  }
  const header = parsed as Record<string, unknown>;
  const section = options?.section ?? (Array.isArray(header.inputs) ? 'inputs' : 'outputs');
  const entries = header[section];
  if (!Array.isArray(entries)) {
    throw new ProtocolError('invalid_input', section, `expected an array of tensors, got ${describeValue(entries)}`);
  }

  const sizes = entries.map((entry, i) => binaryDataSize(entry, `${section}[${i}]`));
  let needed = 0;
  for (const s of sizes) needed += s ?? 0;
  const available = total - hl;
  if (needed !== available) {
    throw new ProtocolError(
      'invalid_input',
      'body',
      `expected ${needed} bytes of binary tensor data after the ${hl}-byte JSON header (the sum of binary_data_size), got ${available}`,
    );
  }

  const tensors: Tensor[] = [];
  let off = hl;
  for (let i = 0; i < entries.length; i++) {
    const field = `${section}[${i}]`;
    const size = sizes[i];
    if (size === undefined) {
      tensors.push(decodeJsonTensor(entries[i], field, options));
      continue;
    }
    const { name, datatype, shape } = decodeTensorHeader(entries[i], field);
    const data = (entries[i] as { data?: unknown }).data;
    if (data !== undefined) {
      throw new ProtocolError(
        'invalid_input',
        `${field}.data`,
        `expected no data when parameters.binary_data_size is set, got ${describeValue(data)}`,
      );
    }
    const slice = (body as Uint8Array).subarray(off, off + size);
    tensors.push(bytesToTensor(name, datatype, shape, slice, `${field}.parameters.binary_data_size`, options));
    off += size;
  }
  return { header, section, tensors };
}

function binaryDataSize(entry: unknown, field: string): number | undefined {
  const parameters = (entry as { parameters?: unknown } | null)?.parameters;
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  const size = (parameters as { binary_data_size?: unknown }).binary_data_size;
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ProtocolError(
      'invalid_input',
      `${field}.parameters.binary_data_size`,
      `expected a non-negative integer, got ${describeValue(size)}`,
    );
  }
  return size;
}
