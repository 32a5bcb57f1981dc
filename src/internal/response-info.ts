// ResponseInfo as the request core builds it: headers made into a WHATWG Headers only when someone reads them.
import type { ResponseInfo } from '../api-promise.js';

/** Where core keeps a cheap one-header lookup on the ResponseInfo it builds (non-enumerable, so not shown). */
const HEADER_LOOKUP = Symbol('maas.headerLookup');

/** The response metadata of one call; `headers` is built only when someone reads it. */
export function responseInfo(
  status: number,
  response: { readonly headers: Headers; header(name: string): string | null },
): ResponseInfo {
  const info: ResponseInfo = {
    status,
    get headers() {
      return response.headers;
    },
    requestId: response.header('x-request-id') ?? undefined,
  };
  Object.defineProperty(info, HEADER_LOOKUP, { value: response.header });
  return info;
}

/** One header of a response, without building its `Headers` when core made the ResponseInfo. */
export function responseHeader(info: ResponseInfo, name: string): string | null {
  const lookup = (info as { [HEADER_LOOKUP]?: (name: string) => string | null })[HEADER_LOOKUP];
  return lookup ? lookup(name) : info.headers.get(name);
}
