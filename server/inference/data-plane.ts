import type { components } from '../../src/generated/openapi.js';
import { checkInputs, checkOutputNames } from '../../src/protocol/input-signature.js';
import type { InferResult } from '../../src/protocol/oip-request.js';
import { type ModelStats, Statistics } from '../../src/protocol/statistics.js';
import type { Tensor } from '../../src/protocol/tensor.js';
import { decodePredictRequest, encodePredictResponse, type PredictResponse } from '../../src/protocol/tf-serving.js';
import { asServerError, BadRequestError, ServiceUnavailableError } from '../errors.js';
import { type ModelConfig, tritonDataType } from './model-config.js';
import { type Cancellation, ModelRunError, newRunTiming, type RunTiming, type TensorSpec } from './onnx-model.js';
import { type ModelRegistry, platform } from './registry.js';
import type { Router } from './routing.js';
import type { ShadowMirror } from './shadow.js';

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
  /** Labels, pinned default, traffic split and shadow; without it, unversioned requests get the highest READY. */
  router?: Router;
  /** Mirrors requests to a shadow version off the response path. */
  shadow?: ShadowMirror;
  /** Inference requests in progress at once; more are refused with 503 overloaded. 0 = no limit. */
  maxInflight?: number;
  /** Told of every inference that reached a model version, as it ends (metrics). Must not throw. */
  onInference?: (record: InferenceRecord) => void;
}

/** One inference that reached a model version: what `onInference` is told, next to the version's statistics. */
export interface InferenceRecord {
  model: string;
  version: number;
  /** End-to-end time in the data plane, queue and compute included. */
  durationNs: number;
  /** Where the time went; set when the model ran (success). */
  timing: RunTiming | undefined;
  /** Why it failed; undefined on success. */
  error: unknown;
}

export interface InferOptions {
  /** The client went away: a request still waiting is dropped. */
  signal?: Cancellation;
  /** A version label (`stable`, `canary`) instead of a version number. */
  label?: string;
  /** Sticky routing: requests with the same key go to the same version of a traffic split. */
  routingKey?: string;
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
  private readonly router: Router | undefined;
  private readonly shadow: ShadowMirror | undefined;
  private readonly onInference: ((record: InferenceRecord) => void) | undefined;

  constructor(options: DataPlaneOptions) {
    this.registry = options.registry;
    this.readyCheck = options.isReady;
    this.statistics = options.statistics ?? new Statistics();
    this.maxInflight = options.maxInflight ?? 0;
    this.router = options.router;
    this.shadow = options.shadow;
    this.onInference = options.onInference;
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
  modelMetadata(name: string, version?: number, label?: string): ModelMetadataResponse {
    const lease = this.registry.acquire(name, this.fixed(name, version, label));
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
  modelReady(name: string, version?: number, label?: string): ModelReadyResponse {
    const lease = this.registry.acquire(name, this.fixed(name, version, label));
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
  ): Promise<{ response: PredictResponse; version: string }> {
    const target = this.select(name, version, options);
    const lease = this.registry.acquire(name, target.version);
    let decoded: ReturnType<typeof decodePredictRequest>;
    try {
      decoded = decodePredictRequest(body, lease.model.inputs);
      target.version = lease.version;
    } finally {
      lease.release();
    }
    const result = await this.run(name, target, decoded.tensors, undefined, options);
    return { response: encodePredictResponse(decoded.format, result.outputs), version: result.modelVersion };
  }

  /**
   * Runs the version (default: highest READY). Inputs are checked against the model (by name, datatype and shape);
   * `outputNames` picks outputs (all when absent). The version stays loaded until the run ends. A request that got
   * here runs even while the server shuts down: refusing new requests is the HTTP layer's job.
   */
  infer(
    name: string,
    version: number | undefined,
    inputs: readonly Tensor[],
    outputNames?: readonly string[],
    options: InferOptions = {},
  ): Promise<InferResult> {
    return this.run(name, this.select(name, version, options), inputs, outputNames, options);
  }

  /** Which version runs: the one named (number or label), else routing's choice (a split, a pin), else the highest READY. */
  private select(name: string, version: number | undefined, options: InferOptions): Target {
    if (options.label !== undefined) return { version: this.labelled(name, options.label), routed: false };
    if (version !== undefined || !this.router) return { version, routed: false };
    return { version: this.router.choose(name, options.routingKey), routed: true };
  }

  /** A version for reads (metadata, readiness, config): the one named, or the pinned default. */
  private fixed(name: string, version: number | undefined, label: string | undefined): number | undefined {
    if (label !== undefined) return this.labelled(name, label);
    return version ?? this.router?.routing(name).defaultVersion ?? undefined;
  }

  private labelled(name: string, label: string): number {
    if (!this.router)
      throw new BadRequestError('invalid_parameter', `version: expected a positive integer version, got '${label}'`);
    this.registry.requireModel(name);
    return this.router.label(name, label);
  }

  private async run(
    name: string,
    target: Target,
    inputs: readonly Tensor[],
    outputNames: readonly string[] | undefined,
    options: InferOptions,
  ): Promise<InferResult> {
    const version = target.version;
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
    stats.inflight++;
    // Past the input checks, a failure is the version's (it counts against a canary), not the client's.
    let checked = false;
    try {
      const model = lease.model;
      // The shared signature rules (src/protocol/input-signature.ts): the msw mock rejects with the same bodies.
      const ordered = asServerError(() => checkInputs(name, model.inputs, inputs));
      // Mirrored requests get their own copy of the inputs: the primary's may move to a worker thread.
      const shadowVersion = target.routed && this.shadow ? this.router?.shadowFor(name) : undefined;
      const mirror =
        shadowVersion !== undefined && shadowVersion !== lease.version
          ? this.shadow!.prepare(shadowVersion, ordered, outputNames)
          : undefined;
      const outputs =
        outputNames === undefined ? undefined : asServerError(() => checkOutputNames(name, model.outputs, outputNames));
      const timing = newRunTiming();
      checked = true;
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
      const elapsed = Number(process.hrtime.bigint() - started);
      stats.succeeded(elapsed, rowsOf(ordered), timing);
      this.onInference?.({ model: name, version: lease.version, durationNs: elapsed, timing, error: undefined });
      if (target.routed) this.router?.observe(name, lease.version, true, elapsed / 1e6);
      if (mirror) this.shadow?.mirror(name, mirror, results, elapsed / 1e6, this.inflight);
      return { modelName: name, modelVersion: String(lease.version), outputs: results };
    } catch (err) {
      const elapsed = Number(process.hrtime.bigint() - started);
      stats.failed(elapsed);
      this.onInference?.({ model: name, version: lease.version, durationNs: elapsed, timing: undefined, error: err });
      if (target.routed && checked) this.router?.observe(name, lease.version, false, elapsed / 1e6);
      throw err;
    } finally {
      this.inflight--;
      stats.inflight--;
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
  modelConfig(name: string, version?: number, label?: string): ModelConfig {
    const config = this.registry.requireConfig(name);
    const lease = this.registry.acquire(name, this.fixed(name, version, label));
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

interface Target {
  version: number | undefined;
  /** Chosen by routing (not named by the request): counts for the rollback guard and may be mirrored. */
  routed: boolean;
}

/** Rows of a request: the first dimension of its first input (1 for a scalar or an input-less model). */
function rowsOf(inputs: readonly Tensor[]): number {
  return inputs[0]?.shape[0] ?? 1;
}

function copySpec(spec: TensorSpec): components['schemas']['TensorMetadata'] {
  return { name: spec.name, datatype: spec.datatype, shape: [...spec.shape] };
}
