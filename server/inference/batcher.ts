// Dynamic batching (Triton's dynamic_batching): requests for one version that agree on inputs, datatypes, non-batch
// dimensions and requested outputs are concatenated along dimension 0 into one run, then split back exactly.
// A batch is sent when it is full (max_batch_size, or the largest preferred_batch_size it can reach), or when its
// oldest request has waited max_queue_delay_microseconds (0: the next turn of the event loop) — and only while a
// session is free, so under load batches grow instead of queueing runs.
import { elementCount, formatShape, type Tensor } from '../../src/protocol/tensor.js';
import { BadRequestError, ServiceUnavailableError } from '../errors.js';
import type { DynamicBatching } from './model-config.js';
import { ModelRunError, type OnnxModel, type RunOptions, type RunTiming, type TensorSpec } from './onnx-model.js';

export interface BatcherOptions {
  /** `model 'm' version 3`, for messages. */
  label: string;
  maxBatchSize: number;
  /** Absent: no batching, only the max_batch_size check. */
  dynamic?: DynamicBatching;
  /** Executions that may run at once (the version's sessions). */
  concurrency: number;
}

interface Queued {
  inputs: readonly Tensor[];
  outputNames: readonly string[] | undefined;
  rows: number;
  key: string;
  enqueuedAt: bigint;
  options: RunOptions;
  resolve(outputs: Tensor[]): void;
  reject(err: unknown): void;
  onAbort?: () => void;
}

const NS_PER_US = 1000n;

/** A model that batches what it is asked to run; the wrapped model (a session pool) does the runs. */
export class BatchingModel implements OnnxModel {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  private readonly queue: Queued[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private failure: Error | undefined;
  private readonly delayNs: bigint;
  private readonly largestPreferred: number;

  constructor(
    private readonly inner: OnnxModel,
    private readonly options: BatcherOptions,
  ) {
    this.inputs = inner.inputs;
    this.outputs = inner.outputs;
    this.delayNs = BigInt(options.dynamic?.max_queue_delay_microseconds ?? 0) * NS_PER_US;
    this.largestPreferred = Math.max(0, ...(options.dynamic?.preferred_batch_size ?? []));
  }

  /** Requests waiting to be batched. */
  get queued(): number {
    return this.queue.length;
  }

  get placement(): OnnxModel['placement'] {
    return this.inner.placement;
  }

  run(inputs: readonly Tensor[], outputNames?: readonly string[], options: RunOptions = {}): Promise<Tensor[]> {
    let rows: number;
    try {
      rows = batchRows(inputs, this.options);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.options.dynamic) return this.inner.run(inputs, outputNames, options);
    if (this.failure) return Promise.reject(this.failure);
    const limit = this.options.dynamic.default_queue_policy.max_queue_size;
    if (limit > 0 && this.queue.length >= limit) {
      return Promise.reject(
        new ServiceUnavailableError(
          'overloaded',
          `${this.options.label} has ${this.queue.length} requests queued, its max_queue_size; retry shortly`,
          1,
        ),
      );
    }
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Tensor[]>((resolve, reject) => {
      const item: Queued = {
        inputs,
        outputNames,
        rows,
        key: batchKey(inputs, outputNames),
        enqueuedAt: process.hrtime.bigint(),
        options,
        resolve,
        reject,
      };
      if (signal) {
        // A client that went away while its request waited: drop the request.
        item.onAbort = () => {
          const at = this.queue.indexOf(item);
          if (at >= 0) {
            this.queue.splice(at, 1);
            reject(signal.reason);
          }
        };
        signal.addEventListener('abort', item.onAbort, { once: true });
      }
      this.queue.push(item);
      this.schedule();
    });
  }

  /** Fails everything queued (the version is unloading) and every later request, with a 503. */
  fail(reason: string): void {
    this.failure = new ServiceUnavailableError('unavailable', `${this.options.label} is ${reason}; retry`, 1);
    this.clearTimers();
    for (const item of this.queue.splice(0)) this.settle(item, () => item.reject(this.failure));
  }

  async close(): Promise<void> {
    if (!this.failure) this.fail('unloading');
    await this.inner.close();
  }

  /** Sends every batch that is due while sessions are free; arms a timer for the next one otherwise. */
  private schedule(): void {
    this.clearTimers();
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const { members, rows } = this.nextBatch();
      const waitedNs = process.hrtime.bigint() - this.queue[0]!.enqueuedAt;
      const full = rows >= this.options.maxBatchSize || (this.largestPreferred > 0 && rows >= this.largestPreferred);
      if (!full && waitedNs < this.delayNs) {
        this.wakeAfter(this.delayNs - waitedNs);
        return;
      }
      for (const item of members) this.queue.splice(this.queue.indexOf(item), 1);
      this.execute(members, rows);
    }
  }

  /**
   * The batch the oldest request would head: compatible requests in arrival order, never more rows than
   * max_batch_size (a request that would overflow it waits for the next batch), cut at the largest preferred size
   * it reaches.
   */
  private nextBatch(): { members: Queued[]; rows: number } {
    const head = this.queue[0]!;
    const members: Queued[] = [];
    let rows = 0;
    let preferredCut = -1;
    let preferredRows = 0;
    const preferred = this.options.dynamic?.preferred_batch_size ?? [];
    for (const item of this.queue) {
      if (item.key !== head.key || rows + item.rows > this.options.maxBatchSize) continue;
      members.push(item);
      rows += item.rows;
      if (preferred.includes(rows)) {
        preferredCut = members.length;
        preferredRows = rows;
      }
      if (rows === this.options.maxBatchSize) break;
    }
    if (preferredCut > 0 && rows < this.options.maxBatchSize && preferredRows >= this.largestPreferred) {
      return { members: members.slice(0, preferredCut), rows: preferredRows };
    }
    return { members, rows };
  }

  private execute(members: Queued[], rows: number): void {
    this.running++;
    const dispatchedAt = process.hrtime.bigint();
    for (const item of members) {
      if (item.onAbort) item.options.signal?.removeEventListener('abort', item.onAbort);
      const timing = item.options.timing;
      if (timing) timing.queueNs = (timing.queueNs ?? 0) + Number(dispatchedAt - item.enqueuedAt);
    }
    const done = this.runBatch(members, rows).finally(() => {
      this.running--;
      this.schedule();
    });
    void done;
  }

  private async runBatch(members: Queued[], rows: number): Promise<void> {
    if (members.length === 1) {
      const [item] = members as [Queued];
      const timing: Partial<RunTiming> = {};
      try {
        const outputs = await this.inner.run(item.inputs, item.outputNames, { timing });
        this.settle(item, () => item.resolve(outputs), timing, rows, true);
      } catch (err) {
        this.settle(item, () => item.reject(err), timing, rows, true);
      }
      return;
    }
    const timing: Partial<RunTiming> = {};
    let outputs: Tensor[];
    try {
      outputs = await this.inner.run(concatInputs(members), members[0]!.outputNames, { timing });
      const parts = splitOutputs(
        outputs,
        members.map((m) => m.rows),
        this.options.label,
      );
      members.forEach((item, i) => {
        this.settle(item, () => item.resolve(parts[i]!), timing, rows, i === 0);
      });
    } catch (err) {
      if (!(err instanceof ModelRunError) && !(err instanceof BatchSplitError)) {
        members.forEach((item, i) => {
          this.settle(item, () => item.reject(err), timing, rows, i === 0);
        });
        return;
      }
      // One member's data may be what the session cannot run: run each alone, so only that one fails.
      await Promise.all(
        members.map(async (item) => {
          const own: Partial<RunTiming> = {};
          try {
            const alone = await this.inner.run(item.inputs, item.outputNames, { timing: own });
            this.settle(item, () => item.resolve(alone), own, item.rows, true);
          } catch (failed) {
            this.settle(item, () => item.reject(failed), own, item.rows, true);
          }
        }),
      );
    }
  }

  /** Copies the execution's timing into the member's, then resolves or rejects it. */
  private settle(item: Queued, finish: () => void, timing?: Partial<RunTiming>, rows?: number, counts?: boolean): void {
    const own = item.options.timing;
    if (own && timing) {
      own.computeInputNs = (own.computeInputNs ?? 0) + (timing.computeInputNs ?? 0);
      own.computeInferNs = (own.computeInferNs ?? 0) + (timing.computeInferNs ?? 0);
      own.computeOutputNs = (own.computeOutputNs ?? 0) + (timing.computeOutputNs ?? 0);
      own.queueNs = (own.queueNs ?? 0) + (timing.queueNs ?? 0);
      own.batchSize = rows ?? item.rows;
      own.countsExecution = counts ?? true;
    }
    finish();
  }

  private wakeAfter(ns: bigint): void {
    // Timers have millisecond granularity and run on the loop's cached clock: sleep the whole milliseconds, then
    // finish the last fraction on the next turns, so a batch never leaves before its delay (nor much after).
    const ms = Number(ns / 1_000_000n);
    if (ms >= 1) {
      this.timer = setTimeout(() => this.schedule(), ms);
    } else {
      this.immediate = setImmediate(() => this.schedule());
    }
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}

class BatchSplitError extends Error {}

/**
 * Rows of a request (its first dimension, the same on every input), checked against max_batch_size: a 400 naming
 * the input when they disagree or exceed it.
 */
export function batchRows(inputs: readonly Tensor[], options: Pick<BatcherOptions, 'label' | 'maxBatchSize'>): number {
  let rows: number | undefined;
  inputs.forEach((input, i) => {
    const first = input.shape[0];
    if (first === undefined) {
      throw new BadRequestError(
        'input_shape_mismatch',
        `inputs[${i}]: input '${input.name}' has shape ${formatShape(input.shape)}; ${options.label} batches along the first dimension (max_batch_size ${options.maxBatchSize}), so every input needs one`,
      );
    }
    if (rows !== undefined && first !== rows) {
      throw new BadRequestError(
        'input_shape_mismatch',
        `inputs[${i}]: input '${input.name}' has ${first} rows (shape ${formatShape(input.shape)}) but inputs[0] has ${rows}; every input of a batched model has the same first dimension`,
      );
    }
    rows = first;
  });
  const n = rows ?? 1;
  if (n > options.maxBatchSize) {
    throw new BadRequestError(
      'input_shape_mismatch',
      `inputs[0]: a batch of ${n} rows; ${options.label} takes at most max_batch_size ${options.maxBatchSize} rows per request`,
    );
  }
  return n;
}

/** What must agree for requests to share a batch: names, datatypes, non-batch dimensions, requested outputs. */
function batchKey(inputs: readonly Tensor[], outputNames: readonly string[] | undefined): string {
  let key = outputNames ? `${outputNames.join('\u0001')}\u0002` : '*\u0002';
  for (const input of inputs)
    key += `${input.name}\u0001${input.datatype}\u0001${input.shape.slice(1).join('x')}\u0002`;
  return key;
}

/** Concatenates each input along dimension 0, in member order (inputs arrive in the model's order, checked). */
function concatInputs(members: readonly Queued[]): Tensor[] {
  const first = members[0]!.inputs;
  return first.map((input, i) => {
    const rows = members.reduce((n, m) => n + m.rows, 0);
    const shape = [rows, ...input.shape.slice(1)];
    if (Array.isArray(input.data)) {
      return { ...input, shape, data: members.flatMap((m) => m.inputs[i]!.data as string[]) } as Tensor;
    }
    const Ctor = (input.data as unknown as { constructor: new (n: number) => Uint8Array }).constructor;
    const out = new Ctor(elementCount(shape));
    let offset = 0;
    for (const m of members) {
      const part = m.inputs[i]!.data as unknown as Uint8Array;
      out.set(part, offset);
      offset += part.length;
    }
    return { ...input, shape, data: out } as unknown as Tensor;
  });
}

/** Splits each output along dimension 0 back into the members' rows (views, no copies). */
function splitOutputs(outputs: readonly Tensor[], rows: readonly number[], label: string): Tensor[][] {
  const total = rows.reduce((a, b) => a + b, 0);
  const parts: Tensor[][] = rows.map(() => []);
  for (const output of outputs) {
    if (output.shape[0] !== total) {
      throw new BatchSplitError(
        `${label}: output '${output.name}' has shape ${formatShape(output.shape)}, not ${total} rows, so a batch cannot be split back`,
      );
    }
    const perRow = total === 0 ? 0 : output.data.length / total;
    let start = 0;
    rows.forEach((n, i) => {
      const end = start + n * perRow;
      const data = Array.isArray(output.data)
        ? output.data.slice(start, end)
        : (output.data as unknown as Uint8Array).subarray(start, end);
      parts[i]!.push({ ...output, shape: [n, ...output.shape.slice(1)], data } as unknown as Tensor);
      start = end;
    });
  }
  return parts;
}
