import { createHash } from 'node:crypto';
import { InvalidParameterError } from '../errors.js';

/** sha256 over the parts that make two requests "the same" (e.g. method + path + query, then the body bytes). */
export function requestFingerprint(parts: ReadonlyArray<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
    hash.update('\u0000');
  }
  return hash.digest('hex');
}

/** The `Idempotency-Key` header, validated (1–255 printable characters), or undefined when absent. */
export function idempotencyKeyFrom(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || key.length < 1 || key.length > 255 || !/^[\x20-\x7e]+$/.test(key)) {
    throw new InvalidParameterError('Idempotency-Key header', '1 to 255 printable ASCII characters', key);
  }
  return key;
}
