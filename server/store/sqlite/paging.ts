import type { Statement } from 'better-sqlite3';
import type { Page } from '../records.js';

/** The seq below which the next page starts; an unknown cursor gives an empty page (callers check isCursor). */
export function cursorSeq(seqOf: Statement, after: string | undefined): number {
  if (after === undefined) return Number.MAX_SAFE_INTEGER;
  const row = seqOf.get(after) as { seq: number } | undefined;
  return row?.seq ?? 0;
}

/** `rows` holds up to limit + 1 items: the extra one only says there is more. */
export function pageOf<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}
