import type { components } from '../../src/generated/openapi.js';
import { checkInputs, checkOutputNames } from '../../src/protocol/input-signature.js';
import type { InferResult } from '../../src/protocol/oip-request.js';
import type { Tensor } from '../../src/protocol/tensor.js';
import { decodePredictRequest, encodePredictResponse, type PredictResponse } from '../../src/protocol/tf-serving.js';
import { asServerError, BadRequestError, ServiceUnavailableError } from '../errors.js';
import { type ModelConfig, tritonDataType } from './model-config.js';
import { ModelRunError, newRunTiming, type TensorSpec } from './onnx-model.js';
import { type ModelRegistry, platform } from './registry.js';
import { type ModelStats, Statistics } from './statistics.js';

type ServerMetadataResponse = components['schemas']['ServerMetadataResponse'];
type ModelMetadataResponse = components['schemas']['ModelMetadataResponse'];
type ModelReadyResponse = components['schemas']['ModelReadyResponse'];

/** The protocol extensions the HTTP layer implements, advertised by `GET /v2`. */
export const serverExtensions = [
  'binary_tensor_data',
  'model_repository',
  'model_configuration',
  'statistics',
  'tf_serving_predict',
];

export type { InferResult };

export interface DataPlaneOptions {
  registry: ModelRegistry;
  serverName?: string;
  serverVersion: string;
  /** False while starting or shutting down. */
  isReady: () => boolean;
  statistics?: Statistics;
  /** Inference requests in progress at once; more are refused with 503 overloaded. 0 = no limit. */
  maxInflight?: number;
}

export interface InferOptions {
  /** The client went away: a request still waiting is dropped. */
  signal?: AbortSignal;
}

/**
 * Inference, metadata and readiness over canonical Tensors — protocol-agnostic: the OIP and TF-Serving routes both
 * come here. Every check on what a request sends (names, datatypes, shapes) happens here, with messages that name
 * the input, what the model expects and what came.
 */
export class DataPlane {
  private readonly registry: ModelRegistry;
  private readonly metadata: ServerMetadataResponse;
  private readonly readyCheck: () => boolean;
  readonly statistics: Statistics;
  private readonly maxInflight: number;
  private inflight = 0;

  constructor(options: DataPlaneOptions) {
    this.registry = options.registry;
    this.readyCheck = options.isReady;
    this.statistics = options.statistics ?? new Statistics();
    this.maxInflight = options.maxInflight ?? 0;
    this.metadata = {
      name: options.serverName ?? 'maas',
      version: options.serverVersion,
      extensions: serverExtensions,
    };
  }

  serverMetadata(): ServerMetadataResponse {
    return this.metadata;
  }

  isLive(): boolean {
    return true;
  }

  isReady(): boolean {
    return this.readyCheck();
  }

  /** Metadata of the given version, or of the default (highest READY) one. */
  modelMetadata(name: string, version?: number): ModelMetadataResponse {
    const lease = this.registry.acquire(name, version);
    try {
      const ready = this.registry.requireModel(name).versions.filter((v) => v.state === 'READY');
      return {
        name,
        versions: ready.map((v) => String(v.version)),
        platform,
        inputs: lease.model.inputs.map(copySpec),
        outputs: lease.model.outputs.map(copySpec),
      };
    } finally {
      lease.release();
    }
  }

  /** `{name, version, ready: true}`, or ModelNotReadyError (503) / not found (404). */
  modelReady(name: string, version?: number): ModelReadyResponse {
    const lease = this.registry.acquire(name, version);
    lease.release();
    return { name, version: String(lease.version), ready: true };
  }

  /**
   * TensorFlow Serving's `:predict`: decodes the row (`instances`) or columnar (`inputs`) body against the inputs of
   * the version that will run it (row decoding needs them), runs it, and answers in the request's format.
   */
  async predict(
    name: string,
    version: number | undefined,
    body: unknown,
    options: InferOptions = {},
  ): Promise<PredictResponse> {
    const lease = this.registry.acquire(name, version);
    let chosen: number;
    let decoded: ReturnType<typeof decodePredictRequest>;
    try {
      chosen = lease.version;
      decoded = decodePredictRequest(body, lease.model.inputs);
    } finally {
      lease.release();
    }
    const result = await this.infer(name, chosen, decoded.tensors, undefined, options);
    return encodePredictResponse(decoded.format, result.outputs);
  }

  /**
   * Runs the version (default: highest READY). Inputs are checked against the model (by name, datatype and shape);
   * `outputNames` picks outputs (all when absent). The version stays loaded until the run ends. A request that got
   * here runs even while the server shuts down: refusing new requests is the HTTP layer's job.
   */
  async infer(
    name: string,
    version: number | undefined,
    inputs: readonly Tensor[],
    outputNames?: readonly string[],
    options: InferOptions = {},
  ): Promise<InferResult> {
    if (this.maxInflight > 0 && this.inflight >= this.maxInflight) {
      throw new ServiceUnavailableError(
        'overloaded',
        `The server has ${this.inflight} inference requests in progress, its limit (--max-inflight); retry shortly`,
        1,
      );
    }
    const lease = this.registry.acquire(name, version);
    const stats = this.statistics.version(name, lease.version);
    const started = process.hrtime.bigint();
    this.inflight++;
    try {
      const model = lease.model;
      // The shared signature rules (src/protocol/input-signature.ts): the msw mock rejects with the same bodies.
      const ordered = asServerError(() => checkInputs(name, model.inputs, inputs));
      const outputs =
        outputNames === undefined ? undefined : asServerError(() => checkOutputNames(name, model.outputs, outputNames));
      const timing = newRunTiming();
      let results: Tensor[];
      try {
        results = await model.run(ordered, outputs, options.signal ? { signal: options.signal, timing } : { timing });
      } catch (err) {
        if (err instanceof ModelRunError) {
          throw new BadRequestError(
            'invalid_input',
            `Model '${name}' version ${lease.version} could not run on these inputs: ${err.message}`,
          );
        }
        throw err;
      }
      stats.succeeded(Number(process.hrtime.bigint() - started), rowsOf(ordered), timing);
      return { modelName: name, modelVersion: String(lease.version), outputs: results };
    } catch (err) {
      stats.failed(Number(process.hrtime.bigint() - started));
      throw err;
    } finally {
      this.inflight--;
      lease.release();
    }
  }

  /** Inference requests in progress. */
  get inflightCount(): number {
    return this.inflight;
  }

  /**
   * The model's effective configuration (Triton's `GET /v2/models/{model}/config`): config.json with every default
   * filled in, and `input`/`output` completed from the loaded version (the given one, or the default) as Triton's
   * auto-complete does.
   */
  modelConfig(name: string, version?: number): ModelConfig {
    const config = this.registry.requireConfig(name);
    const lease = this.registry.acquire(name, version);
    try {
      const batched = config.max_batch_size > 0;
      const complete = (specs: readonly TensorSpec[], declared: ModelConfig['input']) =>
        specs.map(
          (spec) =>
            declared.find((d) => d.name === spec.name) ?? {
              name: spec.name,
              data_type: tritonDataType(spec.datatype),
              dims: batched ? spec.shape.slice(1) : [...spec.shape],
            },
        );
      return {
        ...structuredClone(config),
        input: complete(lease.model.inputs, config.input),
        output: complete(lease.model.outputs, config.output),
      };
    } finally {
      lease.release();
    }
  }

  /**
   * Triton's statistics: every version of the model (every model when `name` is absent) that is loaded or has
   * served requests. An unknown model or version is a 404.
   */
  modelStats(name?: string, version?: number): { model_stats: ModelStats[] } {
    const names =
      name === undefined ? this.registry.listModels().map((m) => m.name) : [this.registry.requireModel(name).name];
    if (name !== undefined && version !== undefined) this.registry.requireVersion(name, version);
    const out: ModelStats[] = [];
    for (const model of names) {
      const known = new Set(this.statistics.versionsOf(model).map((s) => s.version));
      for (const v of this.registry.getModel(model)?.versions ?? []) if (v.state === 'READY') known.add(v.version);
      for (const v of [...known].sort((a, b) => a - b)) {
        if (version === undefined || v === version) out.push(this.statistics.version(model, v).snapshot());
      }
    }
    return { model_stats: out };
  }
}

/** Rows of a request: the first dimension of its first input (1 for a scalar or an input-less model). */
function rowsOf(inputs: readonly Tensor[]): number {
  return inputs[0]?.shape[0] ?? 1;
}

function copySpec(spec: TensorSpec): components['schemas']['TensorMetadata'] {
  return { name: spec.name, datatype: spec.datatype, shape: [...spec.shape] };
}
