import { APIPromise } from '../api-promise.js';
import { path } from '../internal/request-core.js';
import { APIResource } from '../internal/resource.js';
import type { RequestOptions } from '../options.js';
import type {
  RepositoryActionResponse,
  RepositoryIndexEntry,
  RepositoryIndexRequest,
  RepositoryModelRequest,
} from '../types.js';

const json = (value: unknown) => ({ contentType: 'application/json', data: JSON.stringify(value ?? {}) });

/**
 * The model repository extension (Triton / MLServer): list, load and unload models.
 *
 * @example
 * ```ts
 * const entries = await client.repository.index({ ready: true });
 * ```
 */
export class RepositoryResource extends APIResource {
  /**
   * Every model version in the repository with its state (`READY`, `UNAVAILABLE` with a reason, …).
   *
   * @example
   * ```ts
   * for (const { name, version, state, reason } of await client.repository.index()) console.log(name, version, state, reason);
   * ```
   */
  index(params?: RepositoryIndexRequest, options?: RequestOptions): APIPromise<RepositoryIndexEntry[]> {
    return this.core.json<RepositoryIndexEntry[]>({
      method: 'POST',
      path: '/v2/repository/index',
      body: json(params),
      options,
    });
  }

  /**
   * (Re)loads a model's versions from the repository.
   *
   * @example
   * ```ts
   * const { loaded_versions } = await client.repository.load('mnist');
   * ```
   */
  load(model: string, params?: RepositoryModelRequest, options?: RequestOptions): APIPromise<RepositoryActionResponse> {
    return this.#action(model, 'load', params, options);
  }

  /**
   * Unloads every version of a model; requests already running finish first.
   *
   * @example
   * ```ts
   * await client.repository.unload('mnist');
   * ```
   */
  unload(
    model: string,
    params?: RepositoryModelRequest,
    options?: RequestOptions,
  ): APIPromise<RepositoryActionResponse> {
    return this.#action(model, 'unload', params, options);
  }

  #action(
    model: string,
    action: 'load' | 'unload',
    params: RepositoryModelRequest | undefined,
    options: RequestOptions | undefined,
  ): APIPromise<RepositoryActionResponse> {
    const call = this.core.json<RepositoryActionResponse | undefined>({
      method: 'POST',
      path: path`/v2/repository/models/${model}/${action}`,
      body: json(params),
      options,
    });
    // Triton answers with an empty 200; give callers the same shape either way.
    return new APIPromise(
      call.withResponse().then(({ data, response }) => ({ data: data ?? { name: model }, response })),
    );
  }
}
