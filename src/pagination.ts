// Cursor pagination over the contract's list envelope `{ object, data, has_more, next_cursor }`.
import type { ResponseInfo, WithResponse } from './api-promise.js';

interface Envelope<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Fetches the page that starts after `cursor` (the first page when undefined). */
export type PageFetcher<T> = (cursor: string | undefined) => Promise<WithResponse<Envelope<T>>>;

/**
 * One page of a list. Iterating a page yields its items and then every item of the pages after it.
 *
 * @example
 * ```ts
 * let page = await client.datasets.list({ limit: 10 });
 * console.log(page.data.length, page.hasMore);
 * while (page.hasNextPage()) page = await page.nextPage();
 * ```
 */
export class Page<T> implements AsyncIterable<T> {
  /** The items of this page. */
  readonly data: T[];
  /** Whether more items follow this page. */
  readonly hasMore: boolean;
  /** The cursor to pass as `after` for the next page (null on the last page). */
  readonly nextCursor: string | null;
  /** Status, headers and request id of the response that carried this page. */
  readonly response: ResponseInfo;
  readonly #fetch: PageFetcher<T>;

  constructor(fetch: PageFetcher<T>, result: WithResponse<Envelope<T>>) {
    this.#fetch = fetch;
    this.data = result.data.data;
    this.hasMore = result.data.has_more;
    this.nextCursor = result.data.next_cursor;
    this.response = result.response;
  }

  /**
   * Whether `nextPage()` has a page to fetch.
   *
   * @example
   * ```ts
   * if (page.hasNextPage()) page = await page.nextPage();
   * ```
   */
  hasNextPage(): boolean {
    return this.hasMore && this.nextCursor !== null;
  }

  /**
   * Fetches the following page (with the same filters and limit). Throws when there is none.
   *
   * @example
   * ```ts
   * const second = await (await client.models.list({ limit: 1 })).nextPage();
   * ```
   */
  async nextPage(): Promise<Page<T>> {
    if (!this.hasNextPage() || this.nextCursor === null) throw new RangeError('This is the last page');
    return new Page(this.#fetch, await this.#fetch(this.nextCursor));
  }

  /**
   * This page and every page after it.
   *
   * @example
   * ```ts
   * for await (const page of (await client.trainingJobs.list()).pages()) console.log(page.data.length);
   * ```
   */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.nextPage();
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }
}

/**
 * What `list()` returns: iterate it for every item across all pages, await it (or call `page()`) for the first
 * page. The first request is sent when you first await, iterate or call `page()`.
 *
 * @example
 * ```ts
 * for await (const model of client.models.list()) console.log(model.name);
 * const first = await client.models.list({ limit: 5 }).page();
 * ```
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  readonly #fetch: PageFetcher<T>;
  #first: Promise<Page<T>> | undefined;

  constructor(fetch: PageFetcher<T>) {
    this.#fetch = fetch;
  }

  /**
   * The first page (fetched once, then shared with `await` and iteration).
   *
   * @example
   * ```ts
   * const page = await client.datasets.list({ limit: 20 }).page();
   * ```
   */
  page(): Promise<Page<T>> {
    this.#first ??= this.#fetch(undefined).then((result) => new Page(this.#fetch, result));
    return this.#first;
  }

  // biome-ignore lint/suspicious/noThenProperty: awaiting a list gives its first page, as in openai-node.
  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((value: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.page().then(onfulfilled, onrejected);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    yield* await this.page();
  }
}
