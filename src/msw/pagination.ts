import type { ListEnvelope } from './types.js';

/** One page of `items` (already past the cursor, in list order); `next_cursor` is the last item's cursor. */
export function page<T, W>(
  items: readonly T[],
  limit: number,
  cursorOf: (item: T) => string,
  toWire: (item: T) => W,
): ListEnvelope & { data: W[] } {
  const slice = items.slice(0, limit);
  const hasMore = items.length > limit;
  const last = slice[slice.length - 1];
  return {
    object: 'list',
    data: slice.map(toWire),
    has_more: hasMore,
    next_cursor: hasMore && last !== undefined ? cursorOf(last) : null,
  };
}
