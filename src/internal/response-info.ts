// ResponseInfo as the request core builds it: the WHATWG Headers are made only when someone reads them.
import type { ResponseInfo } from '../api-promise.js';

/** The response metadata of one call; `headers` is built only when someone reads it. */
export function responseInfo(
  status: number,
  response: { readonly headers: Headers; header(name: string): string | null },
): ResponseInfo {
  return {
    status,
    get headers() {
      return response.headers;
    },
    requestId: response.header('x-request-id') ?? undefined,
  };
}
