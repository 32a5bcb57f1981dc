// The only onnxruntime-node import in the project, and a dynamic one: it is an optional peer of `maas`.
import type * as Ort from 'onnxruntime-node';
import type { RequestTiming } from '../../src/protocol/statistics.js';
import type { Datatype, Tensor, TensorData } from '../../src/protocol/tensor.js';
import { importPeer } from '../peers.js';

type OrtModule = typeof Ort;
type OrtType = Ort.Tensor.Type;

/** A model input or output as OIP describes it: -1 marks a dynamic dimension. */
export interface TensorSpec {
  name: string;
  datatype: Datatype;
  shape: number[];
}

export interface SessionOptions {
  /** 0 lets ONNX Runtime decide. */
  intraOpThreads?: number;
  interOpThreads?: number;
  executionMode?: 'sequential' | 'parallel';
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Session config entries, e.g. `session.intra_op.allow_spinning: "0"`. */
  configEntries?: Record<string, string>;
}

/**
 * Where one request's time went, in nanoseconds (Triton's statistics): filled in by the layers it passes through
 * (the batcher adds queue time and the batch size, the session its compute split).
 */
export type RunTiming = RequestTiming;

export function newRunTiming(): RunTiming {
  return { queueNs: 0, computeInputNs: 0, computeInferNs: 0, computeOutputNs: 0, batchSize: 1, countsExecution: true };
}

/**
 * What a waiting request listens to for its client going away: the part of AbortSignal the engine uses, so HTTP
 * can answer it lazily from the socket (most requests never wait, and an AbortController per request is not free).
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface RunOptions {
  /** Aborted while the request still waits (client gone): it is dropped instead of run. */
  signal?: Cancellation;
  timing?: Partial<RunTiming>;
}

/** One open ONNX Runtime session (or several behind one face: a pool, a batcher) over canonical Tensors. */
export interface OnnxModel {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Runs the session; `outputNames` defaults to every output, in model order. Tensors come back in that order. */
  run(inputs: readonly Tensor[], outputNames?: readonly string[], options?: RunOptions): Promise<Tensor[]>;
  close(): Promise<void>;
  /** Where its (small) runs go now, for the metrics; absent on a bare session (the caller's thread). */
  readonly placement?: Placement;
}

/** The thread a version's runs take. */
export type Placement = 'server thread' | 'worker threads';

/** A session could not be opened; `message` is ONNX Runtime's own (or why the model cannot be served). */
export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

/** ONNX Runtime failed while running a session; `message` is its own. */
export class ModelRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRunError';
  }
}

/** OIP datatype → onnxruntime-node tensor type. */
export const oipToOrt: Record<Datatype, OrtType> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};
const ortToOip = new Map<string, Datatype>(Object.entries(oipToOrt).map(([oip, ort]) => [ort, oip as Datatype]));

let ortPromise: Promise<OrtModule> | undefined;

/** Imports onnxruntime-node once; a MissingPeerError says how to install it. */
export function loadOnnxRuntime(): Promise<OrtModule> {
  // ONNX Runtime 1.29+ sends usage telemetry on Linux. A server should not phone home unasked: off unless the
  // operator set the variable (ORT_DISABLE_TELEMETRY=0 turns it back on). Worker threads share the environment.
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  ortPromise ??= importPeer('onnxruntime-node', () => import('onnxruntime-node') as Promise<OrtModule>).catch(
    (err: unknown) => {
      ortPromise = undefined;
      throw err;
    },
  );
  return ortPromise;
}

/** Opens a session on a model file path or on the model's bytes. */
export async function openOnnxModel(source: string | Uint8Array, options: SessionOptions = {}): Promise<OnnxModel> {
  const ort = await loadOnnxRuntime();
  const sessionOptions = ortSessionOptions(options);
  let session: Ort.InferenceSession;
  try {
    session =
      typeof source === 'string'
        ? await ort.InferenceSession.create(source, sessionOptions)
        : await ort.InferenceSession.create(source, sessionOptions);
  } catch (err) {
    throw new ModelLoadError(errorMessage(err));
  }
  try {
    const inputs = session.inputMetadata.map((m) => toSpec(m, 'input'));
    const outputs = session.outputMetadata.map((m) => toSpec(m, 'output'));
    return new OrtModel(ort, session, inputs, outputs);
  } catch (err) {
    await session.release().catch(() => {});
    throw err;
  }
}

function ortSessionOptions(options: SessionOptions): Ort.InferenceSession.SessionOptions {
  const out: Ort.InferenceSession.SessionOptions = {};
  if (options.intraOpThreads) out.intraOpNumThreads = options.intraOpThreads;
  if (options.interOpThreads) out.interOpNumThreads = options.interOpThreads;
  if (options.executionMode) out.executionMode = options.executionMode;
  if (options.graphOptimizationLevel) out.graphOptimizationLevel = options.graphOptimizationLevel;
  if (options.configEntries && Object.keys(options.configEntries).length > 0) {
    out.extra = { ...nestedEntries(options.configEntries) };
  }
  return out;
}

/** `{ "session.intra_op.allow_spinning": "0" }` → `{ session: { intra_op: { allow_spinning: "0" } } }`, as `extra` takes them. */
function nestedEntries(entries: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }
  return root;
}

function toSpec(meta: Ort.InferenceSession.ValueMetadata, kind: 'input' | 'output'): TensorSpec {
  if (!meta.isTensor) {
    throw new ModelLoadError(`${kind} '${meta.name}' is not a tensor (a sequence or map), which OIP cannot carry`);
  }
  const datatype = ortToOip.get(meta.type);
  if (!datatype) {
    throw new ModelLoadError(`${kind} '${meta.name}' has element type ${meta.type}, which OIP cannot carry`);
  }
  // Symbolic or unnamed dimensions come back as strings.
  const shape = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1));
  return { name: meta.name, datatype, shape };
}

class OrtModel implements OnnxModel {
  private readonly allOutputNames: string[];

  constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly inputs: readonly TensorSpec[],
    readonly outputs: readonly TensorSpec[],
  ) {
    this.allOutputNames = outputs.map((o) => o.name);
  }

  async run(
    inputs: readonly Tensor[],
    outputNames: readonly string[] = this.allOutputNames,
    options: RunOptions = {},
  ): Promise<Tensor[]> {
    const t0 = process.hrtime.bigint();
    const feeds: Record<string, Ort.Tensor> = {};
    for (const input of inputs) feeds[input.name] = this.toOrt(input);
    const t1 = process.hrtime.bigint();
    // onnxruntime-node runs the native call in a setImmediate that session.run schedules synchronously; this one is
    // queued just before it, so the infer time below is the run's own, not the turns it waited for (queue time).
    let started = 0n;
    setImmediate(() => {
      started = process.hrtime.bigint();
    });
    let results: Ort.InferenceSession.ReturnType;
    try {
      results = await this.session.run(feeds, outputNames as string[]);
    } catch (err) {
      throw new ModelRunError(errorMessage(err));
    }
    const t2 = process.hrtime.bigint();
    if (started === 0n) started = t1;
    const outputs = outputNames.map((name) => {
      const value = results[name];
      if (!value) throw new ModelRunError(`the session returned no output '${name}'`);
      return fromOrt(name, value as Ort.Tensor);
    });
    const timing = options.timing;
    if (timing) {
      timing.queueNs = (timing.queueNs ?? 0) + Number(started - t1);
      timing.computeInputNs = (timing.computeInputNs ?? 0) + Number(t1 - t0);
      timing.computeInferNs = (timing.computeInferNs ?? 0) + Number(t2 - started);
      timing.computeOutputNs = (timing.computeOutputNs ?? 0) + Number(process.hrtime.bigint() - t2);
    }
    return outputs;
  }

  close(): Promise<void> {
    return this.session.release();
  }

  private toOrt(tensor: Tensor): Ort.Tensor {
    return toOrtTensor(this.ort, tensor.datatype, tensor.data, tensor.shape);
  }
}

const hasFloat16Array = typeof (globalThis as { Float16Array?: unknown }).Float16Array === 'function';

/**
 * An onnxruntime-node tensor over canonical data, without a copy: the canonical typed arrays are what the native
 * binding reads (FP16 as raw Uint16Array bits, BOOL as 0/1 bytes).
 */
export function toOrtTensor(ort: OrtModule, datatype: Datatype, data: unknown, shape: readonly number[]): Ort.Tensor {
  const type = oipToOrt[datatype];
  if (type === 'float16' && hasFloat16Array) {
    // Where the runtime has Float16Array (Node 24), onnxruntime-common turns float16 data into a Float16Array view,
    // whose byte length onnxruntime-node 1.30's binding reads as 0 ("not enough space: expected 4, got 0"). So the
    // bits go in as a uint16 tensor relabelled float16: the binding accepts Uint16Array data for float16.
    const tensor = new ort.Tensor('uint16', data as Uint16Array, shape);
    Object.defineProperty(tensor, 'type', { value: 'float16' });
    return tensor;
  }
  return new ort.Tensor(type as 'float32', data as Float32Array, shape);
}

/** The canonical data of an onnxruntime-node tensor: FP16 as Uint16Array bits even where ORT gives a Float16Array. */
export function fromOrtData(value: Ort.Tensor): TensorData {
  const data = value.data;
  if (value.type === 'string') return [...(data as string[])];
  if (value.type === 'float16' && !(data instanceof Uint16Array)) {
    const view = data as unknown as ArrayBufferView & { length: number };
    return new Uint16Array(view.buffer, view.byteOffset, view.length);
  }
  return data as TensorData;
}

function fromOrt(name: string, value: Ort.Tensor): Tensor {
  const datatype = ortToOip.get(value.type);
  if (!datatype) throw new ModelRunError(`output '${name}' has element type ${value.type}, which OIP cannot carry`);
  return { name, datatype, shape: [...value.dims], data: fromOrtData(value) } as Tensor;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
