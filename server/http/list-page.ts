import type { Page, PageQuery } from '../store/records.js';

/** Our list body: `{ object: "list", data, has_more, next_cursor }`, the cursor being the last item's id. */
export interface ListBody<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * The one encoder of list pages for models, datasets, jobs and job events. `next_cursor` is null on the last page,
 * except with `cursorOnLastPage` (a job's event log, which grows: the client polls again from where it stopped).
 */
export function listBody<T>(
  page: Page<T>,
  cursorOf: (item: T) => string,
  options: { cursorOnLastPage?: boolean } = {},
): ListBody<T> {
  const last = page.items[page.items.length - 1];
  const cursor = last !== undefined && (page.hasMore || options.cursorOnLastPage) ? cursorOf(last) : null;
  return { object: 'list', data: page.items, has_more: page.hasMore, next_cursor: cursor };
}

/** One page of an in-memory list sorted by `keyOf`: items after the `after` key, at most `limit`. */
export function pageOfSorted<T>(items: readonly T[], query: PageQuery, keyOf: (item: T) => string): Page<T> {
  const { after } = query;
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  return { items: rest.slice(0, query.limit), hasMore: rest.length > query.limit };
}
