/**
 * What every result can tell about the HTTP response it came from.
 *
 * @example
 * ```ts
 * const { response } = await client.models.retrieve('iris').withResponse();
 * console.log(response.status, response.requestId);
 * ```
 */
export interface ResponseInfo {
  /** HTTP status code. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The server's `x-request-id`, for support and log correlation. */
  requestId: string | undefined;
}

/**
 * A result together with the response it came from.
 *
 * @example
 * ```ts
 * const { data, response }: WithResponse<Model> = await client.models.retrieve('iris').withResponse();
 * ```
 */
export interface WithResponse<T> {
  data: T;
  response: ResponseInfo;
}

/**
 * The promise every method returns: await it for the result, or call `withResponse()` for the result plus the
 * status, headers and request id. The request is sent at once.
 *
 * @example
 * ```ts
 * const job = await client.trainingJobs.retrieve('job_123');
 * const { data, response } = await client.trainingJobs.retrieve('job_123').withResponse();
 * console.log(data.status, response.requestId);
 * ```
 */
export class APIPromise<T> implements Promise<T> {
  readonly #inner: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  constructor(inner: Promise<WithResponse<T>>) {
    this.#inner = inner;
  }

  /**
   * The result with its response metadata.
   *
   * @example
   * ```ts
   * const { data, response } = await client.datasets.retrieve('ds_1').withResponse();
   * console.log(data.rows, response.requestId);
   * ```
   */
  withResponse(): Promise<WithResponse<T>> {
    return this.#inner;
  }

  // Derived lazily so that a caller using only withResponse() never leaves an unobserved rejected promise behind.
  #result(): Promise<T> {
    this.#data ??= this.#inner.then((r) => r.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a promise on purpose.
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#result().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#result().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#result().finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return 'APIPromise';
  }
}
