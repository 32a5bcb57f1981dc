import { APIPromise } from '../api-promise.js';
import type { InferParams, InferResult } from '../infer.js';
import { decodeInferResponse, encodeInferRequest, explainDatatypeMismatch } from '../internal/infer-codec.js';
import { path, type RequestCore } from '../internal/request-core.js';
import { APIResource } from '../internal/resource.js';
import type { RequestOptions } from '../options.js';
import type { PagePromise } from '../pagination.js';
import { INFERENCE_HEADER_CONTENT_LENGTH } from '../protocol/binary-tensor.js';
import { stringifyJson } from '../protocol/json-text.js';
import type {
  ColumnarPredictResponse,
  Model,
  ModelConfig,
  ModelEventList,
  ModelEventListParams,
  ModelListParams,
  ModelMetadata,
  ModelStatisticsResponse,
  ModelUpdateRequest,
  ModelVersion,
  ModelVersionDeleted,
  RowPredictResponse,
  ShadowReport,
} from '../types.js';

/**
 * ONNX model bytes for `models.upload()`.
 *
 * @example
 * ```ts
 * const bytes: ModelBytes = await readFile('model.onnx');
 * ```
 */
export type ModelBytes = Uint8Array | ArrayBuffer | Blob;

/**
 * Selects a model version; the model's default (highest ready) version when omitted.
 *
 * @example
 * ```ts
 * await client.models.metadata('mnist', { version: 2 });
 * ```
 */
export interface VersionParams {
  version?: string | number | undefined;
}

/**
 * Options of `models.upload()`.
 *
 * @example
 * ```ts
 * await client.models.upload('iris', bytes, { description: 'logistic regression on iris' });
 * ```
 */
export interface ModelUploadParams {
  /** Sets the model's description. */
  description?: string | undefined;
}

/**
 * Options of `models.infer()`/`predict()` routing: which version answers when none is named.
 *
 * @example
 * ```ts
 * await client.models.predict('iris', { instances: [[5.1, 3.5, 1.4, 0.2]], routingKey: 'user-42' });
 * ```
 */
export interface RoutingParams {
  /** Keeps this caller on one version of a traffic split (sent as `X-Routing-Key`). */
  routingKey?: string | undefined;
}

interface PredictCommon extends RoutingParams {
  /** A version number, or a label set by `models.update()` (`'stable'`). */
  version?: string | number | undefined;
  /** A version label (`'canary'`): TF Serving's `/v1/models/{model}/labels/{label}:predict`. */
  label?: string | undefined;
  /** TF-Serving signature name (accepted and ignored by ONNX models). */
  signatureName?: string | undefined;
}

/** Row format: one entry per instance (a value, or an object keyed by input name). @example `{ instances: [[5.1, 3.5, 1.4, 0.2]] }` */
export interface RowPredictParams extends PredictCommon {
  instances: readonly unknown[];
  inputs?: undefined;
}

/** Columnar format: one batch per input (a value, or an object keyed by input name). @example `{ inputs: { x: [[1, 2]] } }` */
export interface ColumnarPredictParams extends PredictCommon {
  inputs: unknown;
  instances?: undefined;
}

/**
 * Models, their versions, and inference (OIP v2 and TF-Serving predict).
 *
 * @example
 * ```ts
 * const result = await client.models.infer('iris', { inputs: { x: { data: new Float32Array([5.1, 3.5, 1.4, 0.2]), shape: [1, 4] } } });
 * ```
 */
export class ModelsResource extends APIResource {
  readonly #binaryThreshold: number;

  constructor(core: RequestCore, binaryThreshold: number) {
    super(core);
    this.#binaryThreshold = binaryThreshold;
  }

  /**
   * Every model with its versions, by name: iterate for all of them, or await for the first page.
   *
   * @example
   * ```ts
   * for await (const model of client.models.list()) console.log(model.name, model.default_version);
   * const page = await client.models.list({ limit: 10 });
   * ```
   */
  list(params: ModelListParams = {}, options?: RequestOptions): PagePromise<Model> {
    return this.paginate<Model>('/v1/models', params, options);
  }

  /**
   * One model with all its versions and their states.
   *
   * @example
   * ```ts
   * const model = await client.models.retrieve('mnist');
   * ```
   */
  retrieve(model: string, options?: RequestOptions): APIPromise<Model> {
    return this.core.json<Model>({ method: 'GET', path: path`/v1/models/${model}`, options });
  }

  /**
   * Uploads ONNX bytes as the model's next version; the server loads it before answering (invalid ONNX is a
   * 422 `model_invalid`). One Idempotency-Key per call, reused on retries.
   *
   * @example
   * ```ts
   * const version = await client.models.upload('iris', await readFile('iris.onnx'), { description: 'iris MLP' });
   * console.log(version.version, version.inputs);
   * ```
   */
  upload(
    model: string,
    bytes: ModelBytes,
    params: ModelUploadParams = {},
    options?: RequestOptions,
  ): APIPromise<ModelVersion> {
    const call = toBytes(bytes).then((data) =>
      this.core
        .json<ModelVersion>({
          method: 'POST',
          path: path`/v1/models/${model}/versions`,
          query: { description: params.description },
          body: { contentType: 'application/octet-stream', data },
          idempotent: true,
          options,
        })
        .withResponse(),
    );
    return new APIPromise(call);
  }

  /**
   * One version of a model.
   *
   * @example
   * ```ts
   * const v = await client.models.retrieveVersion('mnist', 1);
   * console.log(v.state, v.reason);
   * ```
   */
  retrieveVersion(model: string, version: string | number, options?: RequestOptions): APIPromise<ModelVersion> {
    return this.core.json<ModelVersion>({
      method: 'GET',
      path: path`/v1/models/${model}/versions/${version}`,
      options,
    });
  }

  /**
   * Unloads a version and removes it from the repository.
   *
   * @example
   * ```ts
   * await client.models.deleteVersion('mnist', 2);
   * ```
   */
  deleteVersion(model: string, version: string | number, options?: RequestOptions): APIPromise<ModelVersionDeleted> {
    return this.core.json<ModelVersionDeleted>({
      method: 'DELETE',
      path: path`/v1/models/${model}/versions/${version}`,
      options,
    });
  }

  /**
   * OIP model metadata: platform, versions, input and output tensors.
   *
   * @example
   * ```ts
   * const { inputs, outputs } = await client.models.metadata('mnist');
   * ```
   */
  metadata(model: string, params: VersionParams = {}, options?: RequestOptions): APIPromise<ModelMetadata> {
    return this.core.json<ModelMetadata>({ method: 'GET', path: v2Path(model, params.version, ''), options });
  }

  /**
   * Whether the model (or version) can serve: 2xx → true, 503 → false (not retried); a 404 still throws.
   *
   * @example
   * ```ts
   * if (await client.models.ready('mnist')) await client.models.infer('mnist', { inputs });
   * ```
   */
  ready(model: string, params: VersionParams = {}, options?: RequestOptions): APIPromise<boolean> {
    const call = this.core.text({
      method: 'GET',
      path: v2Path(model, params.version, '/ready'),
      options,
      acceptStatus: (status) => status === 503,
    });
    return new APIPromise(call.withResponse().then(({ response }) => ({ data: response.status < 300, response })));
  }

  /**
   * Runs inference (OIP v2). Inputs are typed arrays (datatype from their class), string/boolean/number arrays, or
   * raw OIP tensors; data must match the shape (checked before sending). Plain numbers are sent as FP32: for another
   * datatype pass its typed array or `datatype` (a server's `datatype_mismatch` error then says which to pass). Above `binaryThreshold` bytes of tensor
   * data (default 4 KiB) the binary tensor extension is used both ways; `binary: true|false` forces it.
   *
   * @example
   * ```ts
   * const result = await client.models.infer('mnist', {
   *   inputs: { image: { data: new Float32Array(784), shape: [1, 784] } },
   * });
   * const probabilities = result.output('probabilities').data as Float32Array;
   * ```
   */
  infer(model: string, params: InferParams, options?: RequestOptions): APIPromise<InferResult> {
    let encoded: ReturnType<typeof encodeInferRequest>;
    try {
      encoded = encodeInferRequest(params, this.#binaryThreshold);
    } catch (err) {
      // Bad inputs reject the call (before any I/O) rather than throwing from it.
      return new APIPromise(Promise.reject(err));
    }
    const call = this.core
      .raw({
        method: 'POST',
        path: v2Path(model, params.version, '/infer'),
        body: { contentType: encoded.contentType, data: encoded.body },
        headers: encoded.headers,
        accept: 'application/json, application/octet-stream',
        options: withRoutingKey(options, params.routingKey),
        // A JSON response is read as text at once; a binary one (it has this header) as bytes.
        bytesWhenHeader: INFERENCE_HEADER_CONTENT_LENGTH,
      })
      .then(
        ({ body, header, response }) => ({
          data: decodeInferResponse(body, header(INFERENCE_HEADER_CONTENT_LENGTH), response),
          response,
        }),
        (err: unknown) => {
          throw explainDatatypeMismatch(err, encoded.defaulted);
        },
      );
    return new APIPromise(call);
  }

  /**
   * TF-Serving REST predict: row format (`instances` → `{ predictions }`) or columnar (`inputs` → `{ outputs }`).
   * Typed arrays are sent as plain arrays.
   *
   * @example
   * ```ts
   * const { predictions } = await client.models.predict('iris', { instances: [[5.1, 3.5, 1.4, 0.2]] });
   * const { outputs } = await client.models.predict('iris', { inputs: { x: [[5.1, 3.5, 1.4, 0.2]] } });
   * ```
   */
  predict(model: string, params: RowPredictParams, options?: RequestOptions): APIPromise<RowPredictResponse>;
  predict(model: string, params: ColumnarPredictParams, options?: RequestOptions): APIPromise<ColumnarPredictResponse>;
  predict(
    model: string,
    params: RowPredictParams | ColumnarPredictParams,
    options?: RequestOptions,
  ): APIPromise<RowPredictResponse | ColumnarPredictResponse> {
    const body: Record<string, unknown> = {};
    if (params.signatureName !== undefined) body.signature_name = params.signatureName;
    if (params.instances !== undefined) body.instances = plain(params.instances);
    else body.inputs = plain(params.inputs);
    const { version, label } = params;
    return this.core.json({
      method: 'POST',
      path:
        label !== undefined
          ? path`/v1/models/${model}/labels/${label}:predict`
          : version === undefined
            ? path`/v1/models/${model}:predict`
            : path`/v1/models/${model}/versions/${version}:predict`,
      body: { contentType: 'application/json', data: stringifyJson(body) },
      options: withRoutingKey(options, params.routingKey),
    });
  }

  /**
   * The model's effective configuration (Triton's model-configuration extension): `config.json` with every default
   * filled in, inputs and outputs completed from the loaded version.
   *
   * @example
   * ```ts
   * const config = await client.models.config('keras_mlp');
   * console.log(config.max_batch_size, config.dynamic_batching, config.instance_group);
   * ```
   */
  config(model: string, params: VersionParams = {}, options?: RequestOptions): APIPromise<ModelConfig> {
    return this.core.json<ModelConfig>({ method: 'GET', path: v2Path(model, params.version, '/config'), options });
  }

  /**
   * Serving statistics (Triton's statistics extension): per version, requests, executions, and where the time went.
   * Without a model, every model's.
   *
   * @example
   * ```ts
   * const { model_stats } = await client.models.stats('keras_mlp');
   * const [s] = model_stats;
   * console.log(s?.inference_count, s?.execution_count, s?.inference_stats.queue.ns);
   * ```
   */
  stats(
    model?: string,
    params: { version?: string | number | undefined } = {},
    options?: RequestOptions,
  ): APIPromise<ModelStatisticsResponse> {
    const target =
      model === undefined
        ? '/v2/models/stats'
        : params.version === undefined
          ? path`/v2/models/${model}/stats`
          : path`/v2/models/${model}/versions/${params.version}/stats`;
    return this.core.json<ModelStatisticsResponse>({ method: 'GET', path: target, options });
  }

  /**
   * Routes the model's traffic: pin the default version, name versions with labels, split unversioned requests by
   * weight (optionally guarded by a rollback), or mirror a fraction to a shadow version. Fields left out stay.
   *
   * @example
   * ```ts
   * await client.models.update('iris', { labels: { stable: '3', canary: '4' } });
   * await client.models.update('iris', {
   *   traffic: [{ version: '3', weight: 90 }, { version: '4', weight: 10 }],
   *   rollback: { max_error_rate: 0.05, min_requests: 200 },
   *   reason: 'canary for the int8 candidate',
   * });
   * await client.models.update('iris', { default_version: '4', traffic: null, reason: 'promote v4' });
   * ```
   */
  update(model: string, body: ModelUpdateRequest, options?: RequestOptions): APIPromise<Model> {
    return this.core.json<Model>({
      method: 'PATCH',
      path: path`/v1/models/${model}`,
      body: { contentType: 'application/json', data: JSON.stringify(body) },
      options,
    });
  }

  /**
   * The model's routing changes (default, labels, traffic, shadow, automatic rollbacks), oldest first, one page.
   *
   * @example
   * ```ts
   * const { data } = await client.models.events('iris');
   * for (const e of data) console.log(e.created_at, e.kind, e.reason);
   * ```
   */
  events(model: string, params: ModelEventListParams = {}, options?: RequestOptions): APIPromise<ModelEventList> {
    return this.core.json<ModelEventList>({
      method: 'GET',
      path: path`/v1/models/${model}/events`,
      query: params,
      options,
    });
  }

  /**
   * How the shadow version compares with the primary: requests mirrored and dropped, argmax agreement, the largest
   * output difference, and both latencies.
   *
   * @example
   * ```ts
   * const report = await client.models.shadow('iris');
   * console.log(report.mirrored, report.argmax_agreement, report.latency_ms.shadow_p99);
   * ```
   */
  shadow(model: string, options?: RequestOptions): APIPromise<ShadowReport> {
    return this.core.json<ShadowReport>({ method: 'GET', path: path`/v1/models/${model}/shadow`, options });
  }
}

/** Adds `X-Routing-Key` to a call's headers when a routing key is given. */
function withRoutingKey(
  options: RequestOptions | undefined,
  routingKey: string | undefined,
): RequestOptions | undefined {
  if (routingKey === undefined) return options;
  return { ...options, headers: { ...options?.headers, 'x-routing-key': routingKey } };
}

function v2Path(model: string, version: string | number | undefined, suffix: string): string {
  const base = version === undefined ? path`/v2/models/${model}` : path`/v2/models/${model}/versions/${version}`;
  return base + suffix;
}

async function toBytes(bytes: ModelBytes): Promise<Uint8Array> {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  return new Uint8Array(await bytes.arrayBuffer());
}

// JSON has no typed arrays: turn them (at any depth) into plain arrays; stringifyJson handles bigint and NaN.
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>);
  }
  if (Array.isArray(value)) return value.some(needsConversion) ? value.map(plain) : value;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

function needsConversion(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
