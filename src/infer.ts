// The inference types callers use: inputs (typed arrays, nested arrays, raw OIP tensors), parameters and the decoded
// result. Encoding and decoding live in src/internal/infer-codec.ts.
import type { ResponseInfo } from './api-promise.js';
import { MaasError } from './errors.js';
import type { Datatype, Tensor } from './protocol/tensor.js';
import type { InferRequestOutput, InferResponse, OipParameters as Parameters, TensorParameters } from './types.js';

/**
 * Typed arrays accepted as tensor data.
 *
 * @example
 * ```ts
 * const data: TypedArray = new BigInt64Array([1n, 2n]); // INT64
 * ```
 */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * Nested arrays of numbers, bigints, booleans or strings (row-major, matching the shape).
 *
 * @example
 * ```ts
 * const data: NestedArray = [[1, 2, 3], [4, 5, 6]]; // shape [2, 3], FP32 unless a datatype is given
 * ```
 */
export type NestedArray = readonly (number | bigint | boolean | string | NestedArray)[];

/**
 * One input tensor. `datatype` defaults from the data: the typed array's class (Float32Array → FP32,
 * BigInt64Array → INT64, Uint8Array → UINT8 …), `string[]` → BYTES, `boolean[]` → BOOL, `bigint[]` → INT64 and
 * `number[]` → FP32. Give it explicitly for BOOL/FP16 from a Uint8Array/Uint16Array, or to convert (e.g. FP16 from
 * numbers). `shape` defaults to the nesting of an array, or `[length]`. A raw OIP tensor
 * `{ name, datatype, shape, data }` is accepted as is.
 *
 * @example
 * ```ts
 * const input: InferInput = { data: new Float32Array([1, 2, 3, 4]), shape: [1, 4] };
 * ```
 */
export interface InferInput {
  data: TypedArray | NestedArray;
  shape?: readonly number[] | undefined;
  datatype?: Datatype | undefined;
  parameters?: TensorParameters | undefined;
  name?: string | undefined;
}

/**
 * Parameters of `models.infer()`.
 *
 * @example
 * ```ts
 * await client.models.infer('mnist', { inputs: { image: { data: pixels, shape: [1, 784] } }, outputs: ['probabilities'] });
 * ```
 */
export interface InferParams {
  /** Inputs by name, or a list of named inputs. */
  inputs: Record<string, InferInput> | readonly (InferInput & { name: string })[];
  /** Outputs to return (all when omitted), by name or as OIP output requests. */
  outputs?: readonly (string | InferRequestOutput)[] | undefined;
  /** Model version or label (`'canary'`); default: the model's routing (its split, pin, or highest READY version). */
  version?: string | number | undefined;
  /** Keeps this caller on one version of a traffic split (sent as `X-Routing-Key`). */
  routingKey?: string | undefined;
  /** Force (true) or forbid (false) the binary tensor extension; default: binary above `binaryThreshold` bytes of tensor data. */
  binary?: boolean | undefined;
  /** Request id echoed back in the response. */
  id?: string | undefined;
  /** Request-level OIP parameters. */
  parameters?: Parameters | undefined;
}

/**
 * A decoded inference response.
 *
 * @example
 * ```ts
 * const result = await client.models.infer('mnist', { inputs: { image: { data: pixels, shape: [1, 784] } } });
 * const probs = result.output('probabilities').data as Float32Array;
 * console.log(result.modelVersion, result.requestId);
 * ```
 */
export class InferResult {
  /** The model that answered. */
  readonly modelName: string;
  /** The version that answered. */
  readonly modelVersion: string | undefined;
  /** The request id echoed by the server. */
  readonly id: string | undefined;
  /** Response-level parameters. */
  readonly parameters: Parameters | undefined;
  /** The outputs, decoded into typed arrays (BYTES as strings, BOOL as 0/1 bytes, FP16 as raw bits). */
  readonly outputs: Tensor[];
  /** The response's JSON (for binary outputs, the header: entries carry `binary_data_size` instead of `data`). */
  readonly raw: InferResponse;
  /** Status, headers and request id. */
  readonly response: ResponseInfo;

  constructor(raw: InferResponse, outputs: Tensor[], response: ResponseInfo) {
    this.raw = raw;
    this.modelName = raw.model_name;
    this.modelVersion = raw.model_version;
    this.id = raw.id;
    this.parameters = raw.parameters;
    this.outputs = outputs;
    this.response = response;
  }

  /** The server's `x-request-id`. */
  get requestId(): string | undefined {
    return this.response.requestId;
  }

  /**
   * The output with this name; throws when the response has none.
   *
   * @example
   * ```ts
   * const { data, shape } = result.output('probabilities');
   * ```
   */
  output(name: string): Tensor {
    const found = this.outputs.find((t) => t.name === name);
    if (!found) {
      throw new MaasError(`No output named "${name}"; the response has ${this.outputs.map((t) => t.name).join(', ')}`);
    }
    return found;
  }
}
