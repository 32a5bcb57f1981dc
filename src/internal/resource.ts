import type { RequestOptions } from '../options.js';
import { PagePromise } from '../pagination.js';
import type { QueryValue, RequestCore } from './request-core.js';

/** Base of the resource namespaces (`client.models`, …): they only describe requests; the core sends them. */
export abstract class APIResource {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  protected get core(): RequestCore {
    return this.#core;
  }

  /** A cursor-paginated `GET` list: the first page from `params.after`, the next ones from each page's cursor. */
  protected paginate<T>(
    path: string,
    params: { after?: string | undefined } & Record<string, QueryValue>,
    options: RequestOptions | undefined,
  ): PagePromise<T> {
    return new PagePromise<T>((after) =>
      this.#core
        .json<{ data: T[]; has_more: boolean; next_cursor: string | null }>({
          method: 'GET',
          path,
          query: { ...params, after: after ?? params.after },
          options,
        })
        .withResponse(),
    );
  }
}
