// The serving engine as the registry sees it: how a version's sessions are opened (a worker-thread pool, or one
// session on the server's thread), and the hooks that check its configuration against the model, put the batcher in
// front of it, warm it up before READY, and fail its queue when it unloads.
import { formatShape, type Tensor } from '../../src/protocol/tensor.js';
import { BatchingModel } from './batcher.js';
import {
  type ConfigTensor,
  datatypeOfTriton,
  instanceCount,
  type ModelConfig,
  sessionParameters,
  tritonDataType,
  type Warmup,
} from './model-config.js';
import { type OnnxModel, openOnnxModel, type SessionOptions, type TensorSpec } from './onnx-model.js';
import { PlacedModel } from './placement.js';
import { SessionPool } from './pool.js';
import type { ModelOpener, RegistryHooks, VersionContext } from './registry-hooks.js';

/**
 * Where sessions run: worker threads (`instance_group.count` per version), the server's own thread, or `auto`:
 * workers, plus the server's thread for the runs of a single-instance version that measure tiny (placement.ts).
 */
export type SessionThreads = 'auto' | 'workers' | 'main';

export interface EngineOptions {
  sessionThreads: SessionThreads;
  /** `auto`: the longest run, in microseconds, the server's thread takes on (`--inline-run-limit`). */
  inlineRunLimitUs: number;
  /** A worker that died (it is replaced); for the log. */
  onWorkerCrash?: (err: Error, context: { name: string }) => void;
  /** `auto` moved a version's runs; for the log. */
  onPlaced?: (context: { name: string; where: string; why: string }) => void;
}

/** Opens a version's sessions as its configuration asks (session options from `parameters`). */
export function sessionOpener(options: EngineOptions): ModelOpener {
  return async (source, base, { name, config }) => {
    const sessionOptions: SessionOptions = { ...base, ...withoutEmpty(sessionParameters(config)) };
    if (options.sessionThreads === 'main') return openOnnxModel(source, sessionOptions);
    const count = instanceCount(config);
    const pool = await SessionPool.open(source, sessionOptions, {
      count,
      label: `Model '${name}'`,
      onCrash: (err) => options.onWorkerCrash?.(err, { name }),
    });
    // Several instances ask for parallel runs, which the one server thread cannot give.
    if (options.sessionThreads === 'workers' || count > 1) return pool;
    return new PlacedModel(pool, {
      inlineLimitNs: options.inlineRunLimitUs * 1000,
      // One thread: a run under the limit gains nothing from an intra-op pool, whose threads (spinning, by default)
      // would compete with the server thread for the cores. Measured: 31-row keras_mlp runs of 39 µs took 1–2 ms
      // with the default pool while the load generator held the other core.
      openInline: () => openOnnxModel(source, { ...sessionOptions, intraOpThreads: 1, interOpThreads: 1 }),
      onPlaced: (where, why) => options.onPlaced?.({ name, where, why }),
    });
  };
}

/** The registry hooks of the engine: check, batch, warm up; and fail the queue on unload. */
export function engineHooks(options: EngineOptions): RegistryHooks {
  const batchers = new Map<string, BatchingModel>();
  const keyOf = (c: VersionContext) => `${c.name}\u0000${c.version}`;
  return {
    async loaded(model, context) {
      const { config } = context;
      checkAgainstModel(config, model);
      let served: OnnxModel = model;
      if (config.max_batch_size > 0) {
        const batcher = new BatchingModel(model, {
          label: `Model '${context.name}' version ${context.version}`,
          maxBatchSize: config.max_batch_size,
          ...(config.dynamic_batching ? { dynamic: config.dynamic_batching } : {}),
          // Placement (auto) only ever shares a single-instance version with the server's thread: still one run at once.
          concurrency: options.sessionThreads === 'main' ? 1 : instanceCount(config),
        });
        batchers.set(keyOf(context), batcher);
        served = batcher;
      }
      try {
        await warmUp(served, config);
      } catch (err) {
        batchers.delete(keyOf(context));
        throw err;
      }
      return served;
    },
    unloading(context, reason) {
      const batcher = batchers.get(keyOf(context));
      batchers.delete(keyOf(context));
      batcher?.fail(
        reason === 'server shut down' ? 'shutting down' : reason === 'deleted' ? 'being deleted' : 'unloading',
      );
    },
  };
}

/**
 * What the configuration says must hold of the model: a batch dimension on every input and output when
 * max_batch_size > 0, and the declared `input`/`output` tensors present with their type and dims.
 */
function checkAgainstModel(config: ModelConfig, model: OnnxModel): void {
  if (config.max_batch_size > 0) {
    for (const [kind, specs] of [
      ['input', model.inputs],
      ['output', model.outputs],
    ] as const) {
      for (const spec of specs) {
        if (spec.shape[0] !== -1) {
          throw new Error(
            `config.json: max_batch_size ${config.max_batch_size} batches along the first dimension, but ${kind} '${spec.name}' has shape ${formatShape(spec.shape)}; give it a dynamic first dimension or set max_batch_size to 0`,
          );
        }
      }
    }
  }
  checkDeclared(config, config.input, model.inputs, 'input');
  checkDeclared(config, config.output, model.outputs, 'output');
}

function checkDeclared(
  config: ModelConfig,
  declared: ConfigTensor[],
  specs: readonly TensorSpec[],
  kind: string,
): void {
  declared.forEach((tensor, i) => {
    const where = `config.json: ${kind}[${i}]`;
    const spec = specs.find((s) => s.name === tensor.name);
    if (!spec) {
      throw new Error(
        `${where}: the model has no ${kind} '${tensor.name}'; its ${kind}s are ${specs.map((s) => `'${s.name}'`).join(', ')}`,
      );
    }
    if (datatypeOfTriton(tensor.data_type) !== spec.datatype) {
      throw new Error(
        `${where}: '${tensor.name}' is ${tritonDataType(spec.datatype)} in the model, not ${tensor.data_type}`,
      );
    }
    const dims = config.max_batch_size > 0 ? spec.shape.slice(1) : spec.shape;
    const fits =
      dims.length === tensor.dims.length &&
      dims.every((d, j) => d === -1 || tensor.dims[j] === -1 || d === tensor.dims[j]);
    if (!fits) {
      throw new Error(
        `${where}: '${tensor.name}' has dims ${formatShape(dims)} in the model${config.max_batch_size > 0 ? ' (without the batch dimension)' : ''}, not ${formatShape(tensor.dims)}`,
      );
    }
  });
}

/** Runs each model_warmup sample `count` times; a failure names the sample and keeps the version from READY. */
async function warmUp(model: OnnxModel, config: ModelConfig): Promise<void> {
  for (const sample of config.model_warmup) {
    const inputs = warmupInputs(sample, config.max_batch_size > 0);
    for (let i = 0; i < sample.count; i++) {
      try {
        await model.run(inputs.map((t) => ({ ...t, data: copyData(t.data) }) as Tensor));
      } catch (err) {
        throw new Error(`warmup '${sample.name}' failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

function warmupInputs(sample: Warmup, batched: boolean): Tensor[] {
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  return Object.entries(sample.inputs).map(([name, input]) => {
    const datatype = datatypeOfTriton(input.data_type)!;
    const shape = batched ? [sample.batch_size, ...input.dims] : [...input.dims];
    const count = shape.reduce((a, b) => a * b, 1);
    const fill = (_i: number) => (input.random_data ? random() : 0);
    let data: Tensor['data'];
    switch (datatype) {
      case 'BYTES':
        data = Array.from({ length: count }, () => (input.random_data ? random().toString(36).slice(2) : ''));
        break;
      case 'BOOL':
        data = Uint8Array.from({ length: count }, (_, i) => (fill(i) > 0.5 ? 1 : 0));
        break;
      case 'FP32':
        data = Float32Array.from({ length: count }, (_, i) => fill(i));
        break;
      case 'FP64':
        data = Float64Array.from({ length: count }, (_, i) => fill(i));
        break;
      case 'INT64':
        data = BigInt64Array.from({ length: count }, (_, i) => BigInt(Math.floor(fill(i) * 100)));
        break;
      case 'UINT64':
        data = BigUint64Array.from({ length: count }, (_, i) => BigInt(Math.floor(fill(i) * 100)));
        break;
      case 'FP16':
        // Half-precision bits of small non-negative numbers (or zero).
        data = Uint16Array.from({ length: count }, (_, i) =>
          input.random_data ? 0x3000 + Math.floor(fill(i) * 0x0c00) : 0,
        );
        break;
      default: {
        const Ctor = {
          INT8: Int8Array,
          INT16: Int16Array,
          INT32: Int32Array,
          UINT8: Uint8Array,
          UINT16: Uint16Array,
          UINT32: Uint32Array,
        }[datatype] as Int32ArrayConstructor;
        data = Ctor.from({ length: count }, (_, i) => Math.floor(fill(i) * 100)) as unknown as Tensor['data'];
      }
    }
    return { name, datatype, shape, data } as Tensor;
  });
}

function copyData(data: Tensor['data']): Tensor['data'] {
  return Array.isArray(data) ? [...data] : ((data as Uint8Array).slice() as unknown as Tensor['data']);
}

function withoutEmpty(params: ReturnType<typeof sessionParameters>): SessionOptions {
  const out: SessionOptions = {};
  if (params.intraOpThreads !== undefined) out.intraOpThreads = params.intraOpThreads;
  if (params.interOpThreads !== undefined) out.interOpThreads = params.interOpThreads;
  if (params.executionMode) out.executionMode = params.executionMode;
  if (params.graphOptimizationLevel) out.graphOptimizationLevel = params.graphOptimizationLevel;
  if (Object.keys(params.configEntries).length > 0) out.configEntries = params.configEntries;
  return out;
}
