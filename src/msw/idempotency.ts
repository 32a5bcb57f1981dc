import { json } from './context.js';
import { conflict } from './errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Entry {
  fingerprint: string;
  at: number;
  status: number;
  body: unknown;
}

/**
 * `Idempotency-Key` on creates, as the server does it: per operation, the same key and request within 24 h replay
 * the first successful response (with `idempotent-replayed: true`); the same key with another request is a 409
 * idempotency_conflict. Failures are not stored, so a retry after an error runs again.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  clear(): void {
    this.entries.clear();
  }

  run(
    scope: string,
    key: string | undefined,
    parts: ReadonlyArray<string | Uint8Array>,
    execute: () => { status: number; body: unknown },
  ): Response {
    if (key === undefined) {
      const result = execute();
      return json(result.body, result.status);
    }
    const storeKey = `${scope}\u0000${key}`;
    const print = fingerprint(parts);
    const now = Date.now();
    const previous = this.entries.get(storeKey);
    if (previous && now - previous.at <= DAY_MS) {
      if (previous.fingerprint !== print) {
        throw conflict(
          'idempotency_conflict',
          `Idempotency-Key '${key}' was already used with a different request; use a new key for a new request`,
        );
      }
      return json(previous.body, previous.status, { 'idempotent-replayed': 'true' });
    }
    const result = execute();
    if (result.status >= 200 && result.status < 300) {
      this.entries.set(storeKey, {
        fingerprint: print,
        at: now,
        status: result.status,
        body: structuredClone(result.body),
      });
    }
    return json(result.body, result.status);
  }
}

/** FNV-1a (two lanes) over the parts that make two requests "the same": enough to tell them apart in a mock. */
export function fingerprint(parts: ReadonlyArray<string | Uint8Array>): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let length = 0;
  const mix = (byte: number) => {
    h1 = Math.imul(h1 ^ byte, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ byte, 0x5bd1e995) >>> 0;
    length++;
  };
  for (const part of parts) {
    const bytes = typeof part === 'string' ? new TextEncoder().encode(part) : part;
    for (const byte of bytes) mix(byte);
    mix(0);
  }
  return `${length}:${h1.toString(16)}:${h2.toString(16)}`;
}
