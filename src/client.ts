import type { APIPromise } from './api-promise.js';
import { MaasError } from './errors.js';
import { type CoreConfig, DEFAULTS, RequestCore } from './internal/request-core.js';
import { DEFAULT_BACKOFF } from './internal/retry.js';
import { createTransport, type Transport } from './internal/transport.js';
import type { ClientOptions, RequestOptions } from './options.js';
import { DatasetsResource } from './resources/datasets.js';
import { ModelsResource } from './resources/models.js';
import { OptimizationJobsResource } from './resources/optimization-jobs.js';
import { RepositoryResource } from './resources/repository.js';
import { ServerResource } from './resources/server.js';
import { TrainingJobsResource } from './resources/training-jobs.js';

const SHARED_TRANSPORT = Symbol('maas.sharedTransport');
type InternalOptions = ClientOptions & { [SHARED_TRANSPORT]?: Transport };

/**
 * The MaaS client: models and inference, datasets, training and optimisation jobs, and server health, over one keep-alive
 * connection pool with retries, timeouts and typed errors.
 *
 * @example
 * ```ts
 * import { MaasClient } from 'maas';
 *
 * const client = new MaasClient({ baseUrl: 'http://127.0.0.1:8000' });
 * for await (const model of client.models.list()) console.log(model.name);
 * const result = await client.models.infer('iris', { inputs: { x: { data: new Float32Array([5.1, 3.5, 1.4, 0.2]), shape: [1, 4] } } });
 * console.log(result.outputs[0]?.data);
 * ```
 */
export class MaasClient {
  /** The resolved base URL (no trailing slash). */
  readonly baseUrl: string;
  /** Milliseconds per attempt. */
  readonly timeout: number;
  /** Retries after a failed attempt. */
  readonly maxRetries: number;
  /** Health and metadata (`/v2`, `/v2/health/*`). */
  readonly server: ServerResource;
  /** Models, versions, metadata, readiness, `infer` and `predict`. */
  readonly models: ModelsResource;
  /** Repository extension: index, load, unload. */
  readonly repository: RepositoryResource;
  /** Uploaded training data. */
  readonly datasets: DatasetsResource;
  /** Training jobs and their event streams. */
  readonly trainingJobs: TrainingJobsResource;
  /** Optimisation jobs (quantise, prune, distil) and their event streams. */
  readonly optimizationJobs: OptimizationJobsResource;

  readonly #options: ClientOptions;
  readonly #core: RequestCore;

  constructor(options: ClientOptions = {}) {
    const baseUrl = options.baseUrl ?? readEnv('MAAS_BASE_URL') ?? DEFAULTS.baseUrl;
    const apiKey = options.apiKey === null ? undefined : (options.apiKey ?? readEnv('MAAS_API_KEY'));
    const timeout = options.timeout ?? DEFAULTS.timeout;
    const maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
    if (!Number.isFinite(maxRetries) || maxRetries < 0)
      throw new MaasError(`maxRetries: expected >= 0, got ${maxRetries}`);
    if (Number.isNaN(timeout) || timeout < 0) throw new MaasError(`timeout: expected >= 0 ms, got ${timeout}`);
    this.#options = options;
    this.baseUrl = normalizeBaseUrl(baseUrl);
    this.timeout = timeout;
    this.maxRetries = maxRetries;

    const config: CoreConfig = {
      baseUrl: this.baseUrl,
      timeout,
      maxRetries,
      defaultHeaders: options.defaultHeaders ?? {},
      logger: options.logger,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      sleep: options.sleep ?? DEFAULTS.sleep,
    };
    const transport =
      (options as InternalOptions)[SHARED_TRANSPORT] ??
      createTransport({ fetch: options.fetch, dispatcher: options.dispatcher });
    this.#core = new RequestCore(config, transport, apiKey);
    this.server = new ServerResource(this.#core);
    this.models = new ModelsResource(this.#core, options.binaryThreshold ?? 4096);
    this.repository = new RepositoryResource(this.#core);
    this.datasets = new DatasetsResource(this.#core);
    this.trainingJobs = new TrainingJobsResource(this.#core);
    this.optimizationJobs = new OptimizationJobsResource(this.#core);
  }

  /**
   * A new client with some options changed. It shares this client's connection pool unless `fetch` or
   * `dispatcher` changes.
   *
   * @example
   * ```ts
   * const patient = client.withOptions({ timeout: 300_000, maxRetries: 5 });
   * ```
   */
  withOptions(overrides: ClientOptions): MaasClient {
    const options: InternalOptions = { ...this.#options, ...overrides };
    if (!('fetch' in overrides) && !('dispatcher' in overrides)) options[SHARED_TRANSPORT] = this.#core.transport;
    return new MaasClient(options);
  }

  /**
   * The server's OpenAPI document (`GET /openapi.yaml`), as text.
   *
   * @example
   * ```ts
   * const yamlText = await client.spec();
   * ```
   */
  spec(options?: RequestOptions): APIPromise<string> {
    return this.#core.text({
      method: 'GET',
      path: '/openapi.yaml',
      accept: 'application/yaml, text/yaml;q=0.9, */*;q=0.1',
      options,
    });
  }

  /**
   * Closes the keep-alive connections of the Node transport (an injected dispatcher is left open). Clients made by
   * `withOptions()` share them.
   *
   * @example
   * ```ts
   * await client.close();
   * ```
   */
  close(): Promise<void> {
    return this.#core.transport.close();
  }
}

function readEnv(name: string): string | undefined {
  if (typeof process === 'undefined') return undefined;
  const value = process.env?.[name]?.trim();
  return value ? value : undefined;
}

function normalizeBaseUrl(url: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new MaasError(`baseUrl: expected an absolute http(s) URL, got ${JSON.stringify(url)}`);
  }
  return url.replace(/\/+$/, '');
}
