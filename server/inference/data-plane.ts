import type { components } from '../../src/generated/openapi.js';
import { checkInputs, checkOutputNames } from '../../src/protocol/input-signature.js';
import type { InferResult } from '../../src/protocol/oip-request.js';
import type { Tensor } from '../../src/protocol/tensor.js';
import { asServerError, BadRequestError } from '../errors.js';
import { ModelRunError, type TensorSpec } from './onnx-model.js';
import { type ModelRegistry, platform } from './registry.js';

type ServerMetadataResponse = components['schemas']['ServerMetadataResponse'];
type ModelMetadataResponse = components['schemas']['ModelMetadataResponse'];
type ModelReadyResponse = components['schemas']['ModelReadyResponse'];

/** The protocol extensions the HTTP layer implements, advertised by `GET /v2`. */
export const serverExtensions = ['binary_tensor_data', 'model_repository', 'tf_serving_predict'];

export type { InferResult };

export interface DataPlaneOptions {
  registry: ModelRegistry;
  serverName?: string;
  serverVersion: string;
  /** False while starting or shutting down. */
  isReady: () => boolean;
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

  constructor(options: DataPlaneOptions) {
    this.registry = options.registry;
    this.readyCheck = options.isReady;
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
   * The inputs a READY version takes, and which version that is (for codecs that need the inputs to decode, like
   * TF-Serving's row format; pass the version on to `infer` so the same one runs).
   */
  inputSpecs(name: string, version?: number): { version: number; inputs: readonly TensorSpec[] } {
    const lease = this.registry.acquire(name, version);
    lease.release();
    return { version: lease.version, inputs: lease.model.inputs };
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
  ): Promise<InferResult> {
    const lease = this.registry.acquire(name, version);
    try {
      const model = lease.model;
      // The shared signature rules (src/protocol/input-signature.ts): the msw mock rejects with the same bodies.
      const ordered = asServerError(() => checkInputs(name, model.inputs, inputs));
      const outputs =
        outputNames === undefined ? undefined : asServerError(() => checkOutputNames(name, model.outputs, outputNames));
      let results: Tensor[];
      try {
        results = await model.run(ordered, outputs);
      } catch (err) {
        if (err instanceof ModelRunError) {
          throw new BadRequestError(
            'invalid_input',
            `Model '${name}' version ${lease.version} could not run on these inputs: ${err.message}`,
          );
        }
        throw err;
      }
      return { modelName: name, modelVersion: String(lease.version), outputs: results };
    } finally {
      lease.release();
    }
  }
}

function copySpec(spec: TensorSpec): components['schemas']['TensorMetadata'] {
  return { name: spec.name, datatype: spec.datatype, shape: [...spec.shape] };
}
