import { APIPromise } from '../api-promise.js';
import { APIResource } from '../internal/resource.js';
import type { RequestOptions } from '../options.js';
import type { ServerMetadata } from '../types.js';

const anyStatus = () => true;
const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * Server health and metadata (Open Inference Protocol v2).
 *
 * @example
 * ```ts
 * if (await client.server.ready()) console.log(await client.server.metadata());
 * ```
 */
export class ServerResource extends APIResource {
  /**
   * Whether the server process is up, decided by the HTTP status alone (2xx), so it works against Triton, KServe and
   * MLServer too. Connection failures still throw `APIConnectionError`.
   *
   * @example
   * ```ts
   * const live = await client.server.live(); // true
   * ```
   */
  live(options?: RequestOptions): APIPromise<boolean> {
    return this.#health('/v2/health/live', options);
  }

  /**
   * Whether the server accepts inference (2xx), decided by the HTTP status alone. A 503 is `false`, not retried.
   *
   * @example
   * ```ts
   * while (!(await client.server.ready())) await new Promise((r) => setTimeout(r, 500));
   * ```
   */
  ready(options?: RequestOptions): APIPromise<boolean> {
    return this.#health('/v2/health/ready', options);
  }

  /**
   * Server name, version and protocol extensions (`GET /v2`).
   *
   * @example
   * ```ts
   * const { name, version, extensions } = await client.server.metadata();
   * ```
   */
  metadata(options?: RequestOptions): APIPromise<ServerMetadata> {
    return this.core.json<ServerMetadata>({ method: 'GET', path: '/v2', options });
  }

  /**
   * The server's Prometheus metrics (`GET /metrics`), as exposition text (format 0.0.4). Needs the API key, unless
   * the server serves them on their own `--metrics-port` (then point a client's `baseUrl` there).
   *
   * @example
   * ```ts
   * const text = await client.server.metrics();
   * const ok = /^maas_inference_request_success_total\{model="iris",version="1"\} (\d+)$/m.exec(text)?.[1];
   * ```
   */
  metrics(options?: RequestOptions): APIPromise<string> {
    return this.core.text({ method: 'GET', path: '/metrics', accept: 'text/plain; version=0.0.4, */*;q=0.1', options });
  }

  #health(path: string, options: RequestOptions | undefined): APIPromise<boolean> {
    const call = this.core.text({ method: 'GET', path, options, acceptStatus: anyStatus });
    return new APIPromise(call.withResponse().then(({ response }) => ({ data: isSuccess(response.status), response })));
  }
}
