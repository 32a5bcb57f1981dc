// Retry policy: which failures are retried and how long to wait before the next attempt.
import type { BackoffPolicy } from '../options.js';

/** Statuses worth another attempt: timeouts, rate limits and transient server failures. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
};

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^retryIndex)). */
export function backoffDelay(retryIndex: number, policy: BackoffPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(policy.random() * ceiling);
}

/**
 * The server's requested wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date), when it is within
 * [0, maxRetryAfterMs]; undefined otherwise (then the client's own backoff applies).
 */
export function retryAfterDelay(headers: Headers, policy: BackoffPolicy, now: number = Date.now()): number | undefined {
  const ms = parseRetryAfterMs(headers, now);
  if (ms === undefined || ms < 0 || ms > policy.maxRetryAfterMs) return undefined;
  return Math.ceil(ms);
}

function parseRetryAfterMs(headers: Headers, now: number): number | undefined {
  const millis = headers.get('retry-after-ms');
  if (millis !== null && millis.trim() !== '') {
    const n = Number(millis);
    if (Number.isFinite(n)) return n;
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - now;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
