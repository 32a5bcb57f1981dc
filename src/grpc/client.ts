// MaasGrpcClient: `models.infer()` over inference.GRPCInferenceService/ModelInfer — the MaasClient signature, result,
// errors, retries and abort, with the tensors as raw protobuf bytes instead of HTTP bodies.

import type { ResponseInfo } from '../api-promise.js';
import { APIPromise } from '../api-promise.js';
import { type APIError, InvalidResponseError, type MaasError } from '../errors.js';
import { type InferParams, InferResult } from '../infer.js';
import { explainDatatypeMismatch, prepareInferInputs } from '../internal/infer-codec.js';
import {
  abortableSleep,
  backoffDelay,
  DEFAULT_BACKOFF,
  isRetryableStatus,
  retryAfterDelay,
} from '../internal/retry.js';
import type { BackoffPolicy, Logger, RequestOptions } from '../options.js';
import { ProtocolError } from '../protocol/errors.js';
import { decodeWireInferResponse, encodeInferMessage, wireTensors } from '../protocol/grpc/infer-messages.js';
import { REQUEST_ID_KEY } from '../protocol/grpc/status-codes.js';
import type { InferResponse } from '../types.js';
import { type ChannelConfig, InferenceChannel, type UnaryFailure } from './channel.js';
import { errorFromGrpc } from './errors.js';

/**
 * Options of `new MaasGrpcClient()`. Every field is optional.
 *
 * @example
 * ```ts
 * import { MaasGrpcClient } from 'maas/grpc';
 *
 * const client = new MaasGrpcClient({ address: 'models.internal:8001', apiKey: process.env.MAAS_API_KEY });
 * ```
 */
export interface GrpcClientOptions {
  /** `host:port` of the gRPC endpoint. Default: `MAAS_GRPC_ADDRESS`, else `127.0.0.1:8001` (`maas serve`'s). */
  address?: string | undefined;
  /** Sent as `authorization: Bearer …` metadata. Default: `MAAS_API_KEY`; `null` sends none. */
  apiKey?: string | null | undefined;
  /** Milliseconds per attempt, as the call's gRPC deadline (default 60 000). */
  timeout?: number | undefined;
  /** Retries after a failed attempt (connection errors, UNAVAILABLE, RESOURCE_EXHAUSTED by rate, …). Default 2. */
  maxRetries?: number | undefined;
  /** Retry backoff tuning (base 500 ms, cap 8 s, the server's `retry-after` honoured up to 60 s). */
  backoff?: Partial<BackoffPolicy> | undefined;
  /** Receives info lines on retries. Never the API key. */
  logger?: Logger | undefined;
  /** TLS or other channel credentials (`@grpc/grpc-js` `credentials.createSsl()`); default plaintext. */
  credentials?: ChannelConfig['credentials'];
  /** grpc-js channel options (keepalive, …); message size limits are off unless set here. */
  channelOptions?: ChannelConfig['channelOptions'];
}

/**
 * Models over gRPC: `infer()` as on `MaasClient.models`.
 *
 * @example
 * ```ts
 * const result = await client.models.infer('iris', { inputs: { x: { data: new Float32Array(4), shape: [1, 4] } } });
 * ```
 */
export interface GrpcModels {
  /**
   * Runs inference (ModelInfer). Same parameters and result as `MaasClient.models.infer()`; tensors travel as raw
   * contents both ways unless `binary: false` (typed `contents`). `outputs` asks for some outputs only.
   *
   * @example
   * ```ts
   * const result = await client.models.infer('mnist', { inputs: { image: { data: pixels, shape: [1, 784] } } });
   * const probabilities = result.output('probabilities').data as Float32Array;
   * ```
   */
  infer(model: string, params: InferParams, options?: RequestOptions): APIPromise<InferResult>;
}

/**
 * The MaaS SDK's gRPC transport for inference (Node only; `maas/grpc`). It speaks KServe v2 / Triton's
 * `inference.GRPCInferenceService`, so it also drives Triton or any server of that service. Everything that is not
 * inference stays on `MaasClient` (REST).
 *
 * @example
 * ```ts
 * import { MaasGrpcClient } from 'maas/grpc';
 *
 * const client = new MaasGrpcClient({ address: '127.0.0.1:8001' });
 * const result = await client.models.infer('iris', { inputs: { x: { data: new Float32Array([5.1, 3.5, 1.4, 0.2]), shape: [1, 4] } } });
 * console.log(result.output('probabilities').data);
 * client.close();
 * ```
 */
export class MaasGrpcClient {
  /** `host:port` this client calls. */
  readonly address: string;
  /** Inference. */
  readonly models: GrpcModels;
  readonly #channel: InferenceChannel;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #timeout: number;
  readonly #maxRetries: number;
  readonly #backoff: BackoffPolicy;
  readonly #logger: Logger | undefined;

  constructor(options: GrpcClientOptions = {}) {
    const env = typeof process === 'undefined' ? {} : process.env;
    this.address = options.address ?? env.MAAS_GRPC_ADDRESS ?? '127.0.0.1:8001';
    const apiKey = options.apiKey === null ? undefined : (options.apiKey ?? env.MAAS_API_KEY);
    this.#headers = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
    this.#timeout = options.timeout ?? 60_000;
    this.#maxRetries = Math.max(0, options.maxRetries ?? 2);
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#logger = options.logger;
    this.#channel = new InferenceChannel({
      address: this.address,
      credentials: options.credentials,
      channelOptions: options.channelOptions,
    });
    this.models = { infer: (model, params, callOptions) => this.#infer(model, params, callOptions) };
  }

  /**
   * Closes the channel; calls in flight finish.
   *
   * @example
   * ```ts
   * client.close();
   * ```
   */
  close(): void {
    this.#channel.close();
  }

  #infer(model: string, params: InferParams, options: RequestOptions | undefined): APIPromise<InferResult> {
    let request: Uint8Array;
    let defaulted: ReturnType<typeof prepareInferInputs>['defaulted'];
    try {
      const prepared = prepareInferInputs(params);
      defaulted = prepared.defaulted;
      request = encodeInferMessage('request', {
        modelName: model,
        modelVersion: params.version === undefined ? undefined : String(params.version),
        id: params.id,
        parameters: params.parameters,
        tensors: prepared.tensors.map((t) => t.tensor),
        outputs: prepared.outputs,
        raw: params.binary !== false,
      });
    } catch (err) {
      // Bad inputs reject the call (before any I/O), as on MaasClient.
      return new APIPromise(Promise.reject(err));
    }
    const headers = params.routingKey ? { ...this.#headers, 'x-routing-key': params.routingKey } : this.#headers;
    const call = this.#call('ModelInfer', request, headers, options).then(
      ({ bytes, response }) => ({ data: decodeResult(bytes, response), response }),
      (err: unknown) => {
        throw explainDatatypeMismatch(err, defaulted);
      },
    );
    return new APIPromise(call);
  }

  /** One RPC with the client's retries: connection failures and retryable statuses, backoff or `retry-after`. */
  async #call(
    method: string,
    request: Uint8Array,
    headers: Readonly<Record<string, string>>,
    options: RequestOptions | undefined,
  ): Promise<{ bytes: Uint8Array; response: ResponseInfo }> {
    const signal = options?.signal;
    const timeout = options?.timeout ?? this.#timeout;
    const maxRetries = Math.max(0, options?.maxRetries ?? this.#maxRetries);
    const callHeaders = options?.headers ? withExtraHeaders(headers, options.headers) : headers;
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw errorFromGrpc(abortFailure, true, this.address);
      let error: MaasError;
      try {
        const reply = await this.#channel.unary(method, request, callHeaders, timeout, signal);
        const metadata = reply.metadata;
        return {
          bytes: reply.bytes,
          response: {
            status: 200,
            get headers() {
              return new Headers(metadata);
            },
            requestId: metadata[REQUEST_ID_KEY],
          },
        };
      } catch (err) {
        error = errorFromGrpc(err as UnaryFailure, signal?.aborted === true, this.address);
      }
      const status = (error as APIError).status;
      const retryable =
        status === undefined
          ? error.name === 'APIConnectionError' || error.name === 'APITimeoutError'
          : isRetryableStatus(status);
      if (!retryable || retry >= maxRetries) throw error;
      const answered = status === undefined ? undefined : (error as APIError).headers;
      const delay = (answered && retryAfterDelay(answered, this.#backoff)) ?? backoffDelay(retry, this.#backoff);
      this.#logger?.info?.(
        `maas: gRPC ${method} at ${this.address} failed (${error.message}); retry ${retry + 1}/${maxRetries} in ${delay} ms`,
      );
      try {
        await abortableSleep(delay, signal);
      } catch {
        throw errorFromGrpc(abortFailure, true, this.address);
      }
    }
  }
}

const abortFailure: UnaryFailure = { code: 1, details: 'aborted', metadata: {}, connection: false };

function withExtraHeaders(
  base: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string | null | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const name in extra) {
    const value = extra[name];
    if (value === null) delete out[name.toLowerCase()];
    else if (value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
}

/** A ModelInferResponse as the InferResult MaasClient returns (its `raw` is the OIP JSON header it would have had). */
function decodeResult(bytes: Uint8Array, response: ResponseInfo): InferResult {
  try {
    const wire = decodeWireInferResponse(bytes);
    const outputs = wireTensors(wire.outputs, wire.rawOutputContents, 'outputs');
    const raw: InferResponse = {
      model_name: wire.modelName,
      ...(wire.modelVersion ? { model_version: wire.modelVersion } : {}),
      ...(wire.id ? { id: wire.id } : {}),
      outputs: outputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] })),
    } as InferResponse;
    return new InferResult(raw, outputs, response);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    throw new InvalidResponseError(
      `Inference response could not be decoded: ${err.message}`,
      response.status,
      '',
      response.requestId,
      { cause: err },
    );
  }
}
